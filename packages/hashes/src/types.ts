// The shapes every scheme shares: what identify() reports and what verify() answers.

/** A storage assessment: a stable code and its English text (see findings.ts). */
export interface Finding {
  code: string;
  message: string;
  /** Details the message was made from (a cost finding: measure, value, floor, source). */
  readonly [detail: string]: unknown;
}

/** An unsalted digest a breach store can answer directly (HIBP SHA-1, NTLM). */
export interface Digest {
  kind: 'sha1' | 'ntlm' | 'md5';
  hex: string;
}

/** What an auditor needs to plan: scheme, salt, cost parameters, storage findings. */
export interface SchemeInfo {
  /** e.g. 'yescrypt', 'sha512crypt', 'ldap-ssha', 'nt', 'apr1', 'cleartext' (see SCHEMES). */
  id: string;
  salted: boolean;
  params: Record<string, number | string>;
  digest?: Digest;
  findings: Finding[];
  /** Only for {CLEARTEXT} and untagged plaintext: to judge the password. Never print it. */
  cleartext?: string;
}

export type Identification =
  | { status: 'ok'; scheme: SchemeInfo }
  | { status: 'malformed'; schemeId: string; reason: string }
  | { status: 'unknown' };

export type VerifyResult = 'match' | 'mismatch' | 'malformed' | 'unsupported';

/**
 * Where a value was read from, when known. It settles the cases the value alone cannot:
 * 32 hex digits are an NT or LM hash in Samba attributes but a plaintext in userPassword, and
 * /etc/shadow never holds plaintext (`!`, `*` are account states, not passwords).
 */
export type ValueSource = 'shadow' | 'ldap' | 'htpasswd' | 'sambaNTPassword' | 'sambaLMPassword';

export interface IdentifyOptions {
  source?: ValueSource;
}

/** A password as the user typed it (UTF-8 text) or as raw bytes (high-bit, non-UTF-8). */
export type Password = string | Uint8Array;

/** A parse outcome: the scheme's view of the value, or why it is malformed. */
export type Parsed = { ok: true; info: SchemeInfo } | { ok: false; reason: string };

/** One scheme: the same small interface for all (passlib's handler shape). */
/**
 * How expensive one guess is, the column that batching and scheduling are derived from:
 * 'digest' a single hash (millions a second per core), 'fast' a fixed cheap loop (md5crypt, DES:
 * thousands), 'slow' a tunable key-stretching scheme (sha-crypt, bcrypt, yescrypt, PBKDF2, Argon2).
 */
export type SchemeSpeed = 'digest' | 'fast' | 'slow';

export interface Scheme {
  readonly id: string;
  readonly description: string;
  readonly speed: SchemeSpeed;
  /** An obsolete scheme nobody should be writing any more (the legacy_scheme finding's family). */
  readonly legacy?: boolean;
  /** True when the value carries this scheme's marker; parse() then decides if it is well formed. */
  claims(stored: string, source?: ValueSource): boolean;
  parse(stored: string, source?: ValueSource): Parsed;
  /** Runs only on values parse() accepted; compares in constant time. */
  verify(password: Uint8Array, stored: string, info: SchemeInfo): Promise<boolean | 'unsupported'>;
  /**
   * The native addon's part: 'required' (libxcrypt's crypt_rn: without the addon the scheme is
   * "not checked"), 'preferred' (the addon is faster; a TypeScript path exists). The worker pool
   * runs every scheme with an addon part when the addon is loaded.
   */
  readonly addon?: 'required' | 'preferred';
  /** What the addon is given for a parsed value, when that is not the stored value itself. */
  addonSetting?(stored: string): string;
}
