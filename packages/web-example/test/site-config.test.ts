import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { readLdapConfig, readSecret, readTokenKey, SiteConfigError } from '../src/site-config.js';

const dir = mkdtempSync(join(tmpdir(), 'pwguard-site-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, bytes: Uint8Array | string, mode = 0o600): string {
  const path = join(dir, name);
  writeFileSync(path, bytes, { mode });
  return path;
}

/** `n` bytes from `start` on: lone UTF-8 continuation bytes, each of which decodes to U+FFFD. */
const run = (start: number, n: number) => Buffer.from(Array.from({ length: n }, (_, i) => start + i));

describe('readSecret / readTokenKey', () => {
  test('binary keys are read as bytes: two keys that decode to the same text stay different', () => {
    const a = run(0x80, 32);
    const b = run(0xa0, 32);
    expect(a.toString('utf8')).toBe(b.toString('utf8'));
    expect(readSecret(file('a.key', a), '--secret-file')).toEqual(a);
    expect(readSecret(file('b.key', b), '--secret-file')).toEqual(b);
  });

  test('the 16-byte minimum counts bytes, not the bytes of decoded text', () => {
    // 8 bytes decode to 8 x U+FFFD, 24 bytes once re-encoded.
    const path = file('short.key', run(0x80, 8));
    expect(() => readTokenKey(path, '--secret-file')).toThrow(new SiteConfigError(`--secret-file ${path} holds 8 bytes; a key needs at least 16 (e.g. head -c 32 /dev/urandom)`));
  });

  test('a long key of few distinct bytes is refused', () => {
    const path = file('same.key', 'a'.repeat(64));
    expect(() => readTokenKey(path, '--secret-file')).toThrow(/fewer than 8 distinct bytes/);
  });

  test('one trailing newline (an editor\'s) is not part of the secret', () => {
    expect(readSecret(file('nl.key', 'Secret-Text\r\n'), 'x').toString()).toBe('Secret-Text');
  });

  test('a secret others can read, or that is not a regular file, is refused', () => {
    const open = file('open.key', run(0x80, 32), 0o644);
    expect(() => readSecret(open, '--secret-file')).toThrow(/readable by group or others: chmod 600/);
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', ['-m', '600', fifo]);
    expect(() => readSecret(fifo, '--secret-file')).toThrow(`--secret-file ${fifo} is not a regular file`);
  });
});

describe('readLdapConfig: the policy file syntax, the LDAP keys', () => {
  test('a line that is not "key = value", a bare key or an unknown key is refused naming file and line', () => {
    const pw = file('bind.pw', 'secret\n');
    const good = `# LDAP\nurl = ldap://127.0.0.1:1\nbase = dc=x\nbind_dn = cn=a,dc=x\nbind_password_file = ${pw}\n`;
    expect(readLdapConfig(file('ok.conf', good))).toMatchObject({ url: 'ldap://127.0.0.1:1', base: 'dc=x', bindPassword: 'secret' });
    const bad = file('bad.conf', `${good}this is not a setting\n`);
    expect(() => readLdapConfig(bad)).toThrow(new SiteConfigError(`${bad}:6: not a "key = value" line`));
    const bare = file('bare.conf', `${good}url\n`);
    expect(() => readLdapConfig(bare)).toThrow(new SiteConfigError(`${bare}:6: not a "key = value" line`));
    const unknown = file('unknown.conf', `${good}colour = blue\n`);
    expect(() => readLdapConfig(unknown)).toThrow(/unknown\.conf:6: colour: unknown key \(known: url, base/);
  });
});
