// The one table of schemes and the registry built from it. Order matters: the first scheme that
// claims a value decides (most specific marker first, plaintext as the fallback). Each scheme's
// row carries its speed class; batching and scheduling are derived from it (schemeSpeed).
import { CRYPT_SCHEMES } from './schemes/crypt.js';
import { APR1 } from './schemes/apr1.js';
import { LDAP_DIGEST_SCHEMES, splitTag } from './schemes/ldap-digest.js';
import { PBKDF2_SCHEMES } from './schemes/ldap-pbkdf2.js';
import { ARGON2 } from './schemes/ldap-argon2.js';
import { SAMBA_LM, SAMBA_NT } from './schemes/samba.js';
import { CLEARTEXT } from './schemes/cleartext.js';
import type { Identification, IdentifyOptions, Password, Scheme, SchemeInfo, SchemeSpeed, ValueSource, VerifyResult } from './types.js';

/** Every scheme, in the order identify() tries them (DES's bare 13 characters claim nothing tagged). */
export const SCHEMES: readonly Scheme[] = [
  ...CRYPT_SCHEMES,
  APR1,
  ...LDAP_DIGEST_SCHEMES,
  ...PBKDF2_SCHEMES,
  ARGON2,
  SAMBA_NT,
  SAMBA_LM,
  CLEARTEXT,
];

const BY_ID = new Map(SCHEMES.map((s) => [s.id, s]));

/** The speed class of a scheme id (unknown ids are treated as slow: small batches are always safe). */
export function schemeSpeed(id: string): SchemeSpeed {
  return BY_ID.get(id)?.speed ?? 'slow';
}

const UNTAGGED_HASHES: readonly Scheme[] = [...CRYPT_SCHEMES, APR1];

/** Which schemes a value from this source can be: the value alone cannot tell NT hex from plaintext. */
function schemesFor(source: ValueSource | undefined): readonly Scheme[] {
  if (source === 'sambaNTPassword') return [SAMBA_NT];
  if (source === 'sambaLMPassword') return [SAMBA_LM];
  if (source === 'shadow') return CRYPT_SCHEMES;
  // OpenLDAP compares untagged values as plaintext; crypt strings must be wrapped in {CRYPT}.
  if (source === 'ldap') return SCHEMES.filter((s) => !UNTAGGED_HASHES.includes(s) && s !== SAMBA_NT && s !== SAMBA_LM);
  return SCHEMES.filter((s) => s !== SAMBA_NT && s !== SAMBA_LM);
}

interface Resolved {
  scheme: Scheme;
  /** The value the scheme sees ({CRYPT} removed). */
  value: string;
}

type Resolution = { ok: true; resolved: Resolved; info: SchemeInfo } | { ok: false; id: Identification };

function resolve(stored: string, source: ValueSource | undefined): Resolution {
  const tag = splitTag(stored);
  // {CRYPT} is a wrapper around crypt(3), not a scheme of its own.
  const wrapped = tag?.tag === 'CRYPT' && source !== 'shadow' && !source?.startsWith('samba');
  const value = wrapped ? tag.rest : stored;
  const pool = wrapped ? CRYPT_SCHEMES : schemesFor(source);
  const scheme = pool.find((s) => s.claims(value, source));
  if (!scheme) {
    if (wrapped) return { ok: false, id: { status: 'malformed', schemeId: 'crypt', reason: 'no crypt(3) scheme follows {CRYPT}' } };
    return { ok: false, id: { status: 'unknown' } };
  }
  const parsed = scheme.parse(value, source);
  if (!parsed.ok) return { ok: false, id: { status: 'malformed', schemeId: scheme.id, reason: parsed.reason } };
  if (wrapped) parsed.info.params.wrapper = '{CRYPT}';
  return { ok: true, resolved: { scheme, value }, info: parsed.info };
}

/** What a stored value is. Never throws: unknown, malformed (with the scheme), or ok. */
export function identify(stored: string, options: IdentifyOptions = {}): Identification {
  try {
    const r = resolve(stored, options.source);
    return r.ok ? { status: 'ok', scheme: r.info } : r.id;
  } catch {
    return { status: 'unknown' };
  }
}

/** identify() for each value of a multi-valued attribute (any userPassword value logs in). */
export function identifyAll(values: readonly string[], options: IdentifyOptions = {}): Identification[] {
  return values.map((v) => identify(v, options));
}

export function passwordBytes(password: Password): Uint8Array {
  return typeof password === 'string' ? Buffer.from(password, 'utf8') : password;
}

/** Does the password match? Constant-time comparison; a malformed value never matches. */
export async function verify(password: Password, stored: string, options: IdentifyOptions = {}): Promise<VerifyResult> {
  const r = resolveForVerify(stored, options.source);
  if (!r.ok) return r.result;
  try {
    const outcome = await r.resolved.scheme.verify(passwordBytes(password), r.resolved.value, r.info);
    if (outcome === 'unsupported') return 'unsupported';
    return outcome ? 'match' : 'mismatch';
  } catch {
    return 'unsupported';
  }
}

/** Resolution for verifiers: malformed and unknown values become results, never matches. */
export function resolveForVerify(
  stored: string,
  source: ValueSource | undefined,
): { ok: true; resolved: Resolved; info: SchemeInfo } | { ok: false; result: 'malformed' | 'unsupported' } {
  const r = resolve(stored, source);
  if (r.ok) return r;
  return { ok: false, result: r.id.status === 'malformed' ? 'malformed' : 'unsupported' };
}

