// Storage findings: stable codes with their English text, in one table.
import type { Finding } from './types.js';

export const FINDINGS = {
  cleartext: 'the password is stored in clear text',
  unsalted: 'unsalted fast digest: equal passwords share one hash and breach lists match it directly',
  fast_digest: 'salted single-round digest: billions of guesses per second on one GPU',
  des_truncation: 'DES crypt: only the first 8 characters count, and it is fast to guess',
  legacy_scheme: 'obsolete crypt scheme: fast to guess on current hardware',
  md5crypt: 'md5crypt/apr1: a fixed 1000 MD5 rounds, fast to guess on current hardware',
  low_rounds: 'sha-crypt rounds below the default 5000',
  low_cost: 'cost below the recommended minimum (bcrypt 10; yescrypt libxcrypt default N=4096 r=32; Argon2 OWASP 2023 memory x time)',
  low_iterations: 'PBKDF2 iterations below the OWASP 2023 floor (SHA-1 1,300,000; SHA-256 600,000; SHA-512 210,000)',
  lm_present: 'LM hash present: uppercased, split in 7-character halves, crackable in minutes',
  bcrypt_2x: 'bcrypt $2x$: produced by the pre-2011 crypt_blowfish bug with 8-bit characters',
} as const;

export type FindingCode = keyof typeof FINDINGS;

export function finding(code: FindingCode): Finding {
  return { code, message: FINDINGS[code] };
}
