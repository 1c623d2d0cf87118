// LDAP userPassword digests: {SHA} {MD5} {SHA256..512} (unsalted) and {SSHA} {SMD5} {SSHA256..512}
// (digest followed by salt bytes: OpenLDAP writes 4, other servers 4 to 16).
import { createHash, timingSafeEqual } from 'node:crypto';
import { finding } from '../findings.js';
import { decodeBase64 } from '../encoding.js';
import type { Digest, Parsed, Scheme } from '../types.js';

interface DigestDef {
  tag: string;
  algorithm: 'sha1' | 'md5' | 'sha256' | 'sha384' | 'sha512';
  size: number;
  salted: boolean;
}

const DEFS: readonly DigestDef[] = [
  ['SSHA512', 'sha512', 64, true], ['SHA512', 'sha512', 64, false],
  ['SSHA384', 'sha384', 48, true], ['SHA384', 'sha384', 48, false],
  ['SSHA256', 'sha256', 32, true], ['SHA256', 'sha256', 32, false],
  ['SSHA', 'sha1', 20, true], ['SHA', 'sha1', 20, false],
  ['SMD5', 'md5', 16, true], ['MD5', 'md5', 16, false],
].map(([tag, algorithm, size, salted]) => ({ tag, algorithm, size, salted }) as DigestDef);

/** Splits `{TAG}rest` (tag matched case-insensitively, as OpenLDAP and 389-ds do). */
export function splitTag(stored: string): { tag: string; rest: string } | null {
  const m = /^\{([A-Za-z0-9_-]+)\}/.exec(stored);
  return m ? { tag: (m[1] ?? '').toUpperCase(), rest: stored.slice(m[0].length) } : null;
}

function breachDigest(def: DigestDef, bytes: Buffer): Digest | undefined {
  if (def.salted) return undefined;
  if (def.algorithm === 'sha1' || def.algorithm === 'md5') return { kind: def.algorithm, hex: bytes.toString('hex') };
  return undefined;
}

function makeDigestScheme(def: DigestDef): Scheme {
  const id = `ldap-${def.tag.toLowerCase()}`;
  const decode = (stored: string): Buffer | null => decodeBase64(splitTag(stored)?.rest ?? '');
  return {
    id,
    speed: 'digest',
    description: `LDAP {${def.tag}}: base64(${def.algorithm}${def.salted ? '(password + salt) + salt' : '(password)'})`,
    claims: (stored) => splitTag(stored)?.tag === def.tag,
    parse(stored): Parsed {
      const bytes = decode(stored);
      if (!bytes) return { ok: false, reason: `{${def.tag}} value is not valid base64` };
      const saltLength = bytes.length - def.size;
      if (def.salted ? saltLength < 1 : saltLength !== 0) {
        return { ok: false, reason: `{${def.tag}} value decodes to ${bytes.length} bytes, expected ${def.size}${def.salted ? ' plus a salt' : ''}` };
      }
      const digest = breachDigest(def, bytes);
      return {
        ok: true,
        info: {
          id, salted: def.salted,
          params: def.salted ? { saltBytes: saltLength } : {},
          findings: [finding(def.salted ? 'fast_digest' : 'unsalted')],
          ...(digest ? { digest } : {}),
        },
      };
    },
    addon: 'preferred',
    addonSetting(stored) {
      const bytes = decode(stored) ?? Buffer.alloc(0);
      return `!pwguard-digest$${def.algorithm}$${bytes.subarray(def.size).toString('hex')}$${bytes.subarray(0, def.size).toString('hex')}`;
    },
    async verify(password, stored) {
      const bytes = decode(stored) ?? Buffer.alloc(0);
      const expected = bytes.subarray(0, def.size);
      const salt = bytes.subarray(def.size);
      const computed = createHash(def.algorithm).update(password).update(salt).digest();
      return computed.length === expected.length && timingSafeEqual(computed, expected);
    },
  };
}

export const LDAP_DIGEST_SCHEMES: readonly Scheme[] = DEFS.map(makeDigestScheme);
