// userPassword values computed here, so the password never travels to or sits in the directory in
// clear. {SSHA} verifies on every OpenLDAP; {PBKDF2-SHA512} is far slower to guess but needs
// slapd's pw-pbkdf2 module (Debian slapd-contrib).
import { createHash, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

export type LdapHash = 'ssha' | 'pbkdf2-sha512';
export const LDAP_HASHES: readonly LdapHash[] = ['ssha', 'pbkdf2-sha512'];

/** pw-pbkdf2's default work factor is 10,000; OWASP's 2023 figure for PBKDF2-HMAC-SHA512 is 210,000. */
export const PBKDF2_ITERATIONS = 210_000;

export function hashUserPassword(scheme: LdapHash, password: string): string {
  const salt = randomBytes(scheme === 'ssha' ? 8 : 16);
  if (scheme === 'ssha') return `{SSHA}${ssha(password, salt).toString('base64')}`;
  const key = pbkdf2Sync(password, salt, PBKDF2_ITERATIONS, 64, 'sha512');
  return `{PBKDF2-SHA512}${PBKDF2_ITERATIONS}$${ab64(salt)}$${ab64(key)}`;
}

/** Verifies the values hashUserPassword makes (the memory backend's check). */
export function verifyUserPassword(stored: string, password: string): boolean {
  if (stored.startsWith('{SSHA}')) {
    const raw = Buffer.from(stored.slice(6), 'base64');
    return raw.length > 20 && timingSafeEqual(ssha(password, raw.subarray(20)), raw);
  }
  const m = /^\{PBKDF2-SHA512\}(\d+)\$([./A-Za-z0-9]+)\$([./A-Za-z0-9]+)$/.exec(stored);
  if (!m) return false;
  const salt = Buffer.from((m[2] as string).replace(/\./g, '+'), 'base64');
  const want = Buffer.from((m[3] as string).replace(/\./g, '+'), 'base64');
  const key = pbkdf2Sync(password, salt, Number(m[1]), want.length, 'sha512');
  return timingSafeEqual(key, want);
}

function ssha(password: string, salt: Buffer): Buffer {
  return Buffer.concat([createHash('sha1').update(password).update(salt).digest(), salt]);
}

/** passlib's "adapted base64" that pw-pbkdf2 writes: `.` for `+`, no padding. */
function ab64(b: Buffer): string {
  return b.toString('base64').replace(/=+$/, '').replace(/\+/g, '.');
}
