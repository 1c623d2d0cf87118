// The scheme table's speed and legacy columns, and what is derived from them.
import { SCHEMES, schemeSpeed } from '@pwguard/hashes';

test('every scheme has a speed class and a unique id', () => {
  const ids = SCHEMES.map((s) => s.id);
  expect(new Set(ids).size).toBe(ids.length);
  for (const s of SCHEMES) expect(['digest', 'fast', 'slow']).toContain(s.speed);
});

test.each([
  ['yescrypt', 'slow'], ['bcrypt', 'slow'], ['sha512crypt', 'slow'], ['ldap-pbkdf2-sha256', 'slow'], ['ldap-argon2', 'slow'],
  ['md5crypt', 'fast'], ['apr1', 'fast'], ['descrypt', 'fast'], ['sunmd5', 'fast'],
  ['ldap-ssha', 'digest'], ['nt', 'digest'], ['samba-nt', 'digest'], ['cleartext', 'digest'],
] as const)('%s is %s', (id, speed) => {
  expect(schemeSpeed(id)).toBe(speed);
});

test('an id no scheme has is treated as slow (small batches are always safe), e.g. a "bigcrypt"', () => {
  expect(schemeSpeed('bigcrypt')).toBe('slow');
});

test('the legacy flag marks the obsolete schemes, and no key-stretching one', () => {
  const legacy = SCHEMES.filter((s) => s.legacy).map((s) => s.id).sort();
  expect(legacy).toEqual(['apr1', 'bsdicrypt', 'descrypt', 'md5crypt', 'nt', 'samba-lm', 'sha1crypt', 'sunmd5']);
  for (const s of SCHEMES) if (s.speed === 'slow') expect(s.legacy).toBeFalsy();
});

test('DES, the least specific crypt shape, is the last crypt scheme identify() tries', () => {
  const ids = SCHEMES.map((s) => s.id);
  expect(ids.indexOf('descrypt')).toBeGreaterThan(ids.indexOf('md5crypt'));
  expect(ids.indexOf('descrypt')).toBeLessThan(ids.indexOf('cleartext'));
});
