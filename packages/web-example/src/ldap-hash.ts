// userPassword values computed here, so the password never travels to or sits in the directory in
// clear. {SSHA} verifies on every OpenLDAP; {PBKDF2-SHA512} is far slower to guess but needs
// slapd's pw-pbkdf2 module (Debian slapd-contrib).
import { createHash, pbkdf2Sync, randomBytes } from 'node:crypto';

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

function ssha(password: string, salt: Buffer): Buffer {
  return Buffer.concat([createHash('sha1').update(password).update(salt).digest(), salt]);
}

/** passlib's "adapted base64" that pw-pbkdf2 writes: `.` for `+`, no padding. */
function ab64(b: Buffer): string {
  return b.toString('base64').replace(/=+$/, '').replace(/\+/g, '.');
}
