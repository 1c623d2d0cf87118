import { describe, expect, test } from '@jest/globals';
import { verify } from '@pwguard/hashes';
import { MemoryBackend } from '../src/accounts.js';
import { hashUserPassword, LDAP_HASHES, PBKDF2_ITERATIONS } from '../src/ldap-hash.js';

describe('userPassword values', () => {
  test.each(LDAP_HASHES)('%s: verified by @pwguard/hashes, salted, never the cleartext', async (scheme) => {
    const a = hashUserPassword(scheme, 'Ünïcode-Pass-42');
    const b = hashUserPassword(scheme, 'Ünïcode-Pass-42');
    expect(a).not.toBe(b);
    expect(a).not.toContain('Ünïcode');
    expect(await verify('Ünïcode-Pass-42', a)).toBe('match');
    expect(await verify('Ünïcode-Pass-43', a)).toBe('mismatch');
  });

  test('the PBKDF2 form is pw-pbkdf2\'s: iterations$salt$key in adapted base64, 16-byte salt, 64-byte key', () => {
    const m = /^\{PBKDF2-SHA512\}(\d+)\$([./A-Za-z0-9]+)\$([./A-Za-z0-9]+)$/.exec(hashUserPassword('pbkdf2-sha512', 'x'));
    expect(Number(m?.[1])).toBe(PBKDF2_ITERATIONS);
    expect(m?.[2]).toHaveLength(22);
    expect(m?.[3]).toHaveLength(86);
  });
});

test('the demo backend keeps only a hash, and knows its accounts', async () => {
  const backend = new MemoryBackend([{ user: 'alice', gecos: 'Alice Liddell' }]);
  expect(await backend.context('alice')).toEqual({ user: 'alice', gecos: 'Alice Liddell', extraWords: undefined });
  expect(await backend.context('zed')).toBeNull();
  await backend.setPassword('alice', 'New-Alice-Pass-1');
  expect(await backend.verify('alice', 'New-Alice-Pass-1')).toBe(true);
  expect(await backend.verify('alice', 'new-alice-pass-1')).toBe(false);
  await expect(backend.setPassword('zed', 'x')).rejects.toThrow(/no such account: zed/);
});
