// The LDAP backend's settings: a `key = value` file (same syntax as the policy file), so the
// bind password stays in a file of its own and never on a command line.
import { readFileSync, statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseConfigText, PolicyError, type Setting } from '@pwguard/strength';
import { LDAP_HASHES, type LdapHash } from './ldap-hash.js';
import { weakKeyReason } from './token.js';
import type { LdapBackendOptions } from './ldap-backend.js';

export class SiteConfigError extends Error {
  override readonly name = 'SiteConfigError';
}

const KEYS = ['url', 'base', 'bind_dn', 'bind_password_file', 'ca_file', 'hash', 'timeout'] as const;
type Key = (typeof KEYS)[number];

/** The policy file's syntax (one parser for every pwguard config file); its errors become ours. */
function settingsOf(text: string, path: string): Setting[] {
  try {
    return parseConfigText(text, path, { bareKeys: false });
  } catch (err) {
    if (err instanceof PolicyError) throw new SiteConfigError(err.message);
    throw err;
  }
}

export function readLdapConfig(path: string): LdapBackendOptions {
  const text = readText(path, 'LDAP config file');
  const values = new Map<Key, { value: string; line: number }>();
  for (const s of settingsOf(text, path)) {
    const key = s.key as Key;
    if (!KEYS.includes(key)) throw new SiteConfigError(`${path}:${s.line}: ${s.key}: unknown key (known: ${KEYS.join(', ')})`);
    values.set(key, { value: s.value, line: s.line ?? 0 });
  }
  const need = (key: Key): string => {
    const v = values.get(key)?.value;
    if (!v) throw new SiteConfigError(`${path}: ${key}: missing`);
    return v;
  };
  const base = dirname(resolve(path));
  const hash = values.get('hash');
  if (hash && !LDAP_HASHES.includes(hash.value as LdapHash)) {
    throw new SiteConfigError(`${path}:${hash.line}: hash: must be one of ${LDAP_HASHES.join(', ')}`);
  }
  const timeout = values.get('timeout');
  if (timeout && !(Number(timeout.value) > 0)) throw new SiteConfigError(`${path}:${timeout.line}: timeout: must be a positive number of seconds`);
  const caFile = values.get('ca_file')?.value;
  return {
    url: need('url'),
    base: need('base'),
    bindDn: need('bind_dn'),
    bindPassword: readSecret(resolve(base, need('bind_password_file')), 'bind_password_file').toString('utf8'),
    ...(caFile ? { caFile: resolve(base, caFile) } : {}),
    ...(hash ? { hash: hash.value as LdapHash } : {}),
    ...(timeout ? { timeoutSeconds: Number(timeout.value) } : {}),
  };
}

/**
 * A secret file's bytes without its trailing newline, read as bytes (never decoded as text, so
 * binary keys keep every byte); refused when others may read it or it is not a regular file.
 */
export function readSecret(path: string, what: string): Buffer {
  let st: Stats;
  try {
    st = statSync(path);
  } catch (err) {
    throw new SiteConfigError(`cannot read ${what} ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  if (!st.isFile()) throw new SiteConfigError(`${what} ${path} is not a regular file`);
  if ((st.mode & 0o077) !== 0) throw new SiteConfigError(`${what} ${path} is readable by group or others: chmod 600 it`);
  const bytes = readBytes(path, what);
  let end = bytes.length;
  while (end > 0 && (bytes[end - 1] === 0x0a || bytes[end - 1] === 0x0d)) end--;
  return bytes.subarray(0, end);
}

/** The reset-token key: a secret file (see readSecret) strong enough to sign tokens. */
export function readTokenKey(path: string, what: string): Buffer {
  const key = readSecret(path, what);
  const weak = weakKeyReason(key);
  if (weak) throw new SiteConfigError(`${what} ${path} ${weak}`);
  return key;
}

function readBytes(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new SiteConfigError(`cannot read ${what} ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}

function readText(path: string, what: string): string {
  return readBytes(path, what).toString('utf8');
}
