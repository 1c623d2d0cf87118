// Storage findings: stable codes with their English text, in one table. Cost findings carry the
// scheme's own number and its floor (floors.ts) as details; the text is filled by the one engine.
import { renderTemplate, type TemplateValues } from '@pwguard/strength';
import type { Finding } from './types.js';

export const FINDINGS = {
  cleartext: 'the password is stored in clear text',
  unsalted: 'unsalted fast digest: equal passwords share one hash and breach lists match it directly',
  fast_digest: 'salted single-round digest: billions of guesses per second on one GPU',
  des_truncation: 'DES crypt: only the first 8 characters count, and it is fast to guess',
  legacy_scheme: 'obsolete crypt scheme: fast to guess on current hardware',
  md5crypt: 'md5crypt/apr1: a fixed 1000 MD5 rounds, fast to guess on current hardware',
  low_rounds: 'too few rounds: {measure} {value}; at least {floor} ({source})',
  low_cost: 'cost too low: {measure} {value}; at least {floor} ({source})',
  low_iterations: 'too few iterations: {measure} {value}; at least {floor} ({source})',
  lm_present: 'LM hash present: uppercased and split in 7-character halves, it is cracked in seconds',
  bcrypt_2x: 'bcrypt $2x$: produced by the pre-2011 crypt_blowfish bug with 8-bit characters',
} as const;

export type FindingCode = keyof typeof FINDINGS;

export function finding(code: FindingCode, details: TemplateValues = {}): Finding {
  return { ...details, code, message: renderTemplate(FINDINGS[code], details) };
}
