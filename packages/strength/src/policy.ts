// The policy: every key, its type, default and meaning, in one table. The config file, PAM
// module-style arguments and the CLI all go through this table (see config.ts).

type KeyType =
  | { readonly kind: 'int'; readonly min: number; readonly max: number }
  | { readonly kind: 'bool' }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'path' }
  | { readonly kind: 'words' };

const int = (min: number, max: number) => ({ kind: 'int', min, max }) as const;
const bool = { kind: 'bool' } as const;
const path = { kind: 'path' } as const;
const words = { kind: 'words' } as const;
const oneOf = <const V extends readonly string[]>(...values: V) => ({ kind: 'enum', values }) as const;

/**
 * The one table of policy keys, in the order `policy show` and the docs list them: each key's
 * type, default, NIST value and the one help text. The `Policy` type is derived from it, so a key
 * is added in exactly one place.
 */
const KEYS = {
  profile: { type: oneOf('default', 'nist'), default: 'default', help: 'default, or nist (NIST SP 800-63B-4 single-factor values)' },
  min_length: { type: int(1, 1024), default: 12, nist: 15, help: 'minimum length in Unicode code points as typed (invisible ones not counted; NFKC never adds length)' },
  max_length: { type: int(64, 1024), default: 256, help: 'maximum length; longer is refused before any costly check (at least 64)' },
  min_score: { type: int(0, 4), default: 3, help: 'minimum zxcvbn score, 0-4' },
  context_check: { type: bool, default: true, help: 'refuse passwords containing the user name, GECOS or organisation words' },
  difok: { type: int(0, 64), default: 5, help: 'where the old password is known (PAM, own change): at least this many characters changed (edit distance, as pwquality), neither password inside the other; 0 = only not the same' },
  org_words: { type: words, default: [] as readonly string[], help: "site words treated like the user's own (comma or space separated)" },
  banned_words_file: { type: path, default: '', help: 'file of banned words, one per line (# comments)' },
  breach_store: { type: path, default: '', help: 'breached-password store (pwguard breach build); empty = built-in list' },
  breach_check: { type: bool, default: true, help: 'check passwords against the breach store' },
  breach_min_count: { type: int(1, 2 ** 31), default: 1, help: 'refuse a password seen at least this many times in breaches' },
  min_guess_rank: { type: int(0, 10 ** 9), default: 1_000_000, help: "refuse passwords the audit's attacker model (common list and the user's words x the default rules) guesses within this many guesses (0 = off)" },
  min_classes: { type: int(0, 4), default: 0, help: 'minimum character classes (0 = off; NIST advises against)' },
  max_repeat: { type: int(0, 1024), default: 0, help: 'maximum identical characters in a row (0 = off)' },
  max_sequence: { type: int(0, 1024), default: 0, help: 'maximum monotonic sequence length like abcd or 4321 (0 = off)' },
  enforcing: { type: bool, default: true, help: '0 = warn only: reasons are shown but the password is accepted' },
  enforce_for_root: { type: bool, default: false, help: 'refuse weak passwords set by root too (otherwise root only gets warnings)' },
  on_error: { type: oneOf('reject', 'accept'), default: 'reject', help: 'PAM hook: reject or accept when the check itself cannot run' },
  on_weak_login: { type: oneOf('record', 'expire'), default: 'record', help: 'PAM login check: record weak passwords, or also force a change' },
  weak_login_log: { type: path, default: '/var/lib/pwguard/weak-logins.log', help: 'PAM login check: where weak logins are recorded (never the password)' },
} as const satisfies Record<string, { type: KeyType; default: unknown; nist?: unknown; help: string }>;

type ValueOf<T extends KeyType> = T extends { kind: 'int' } ? number
  : T extends { kind: 'bool' } ? boolean
  : T extends { kind: 'enum'; values: readonly (infer V)[] } ? V
  : T extends { kind: 'words' } ? readonly string[]
  : string;

/** A resolved policy: one value per key of the table. */
export type Policy = { readonly [K in keyof typeof KEYS]: ValueOf<(typeof KEYS)[K]['type']> };
export type PolicyKey = keyof Policy;
export type OnError = Policy['on_error'];
export type OnWeakLogin = Policy['on_weak_login'];
export type Profile = Policy['profile'];

export interface KeySpec {
  readonly key: PolicyKey;
  readonly type: KeyType;
  readonly default: Policy[PolicyKey];
  /** Value under `profile = nist`, when it differs. */
  readonly nist?: Policy[PolicyKey];
  readonly help: string;
}

/** The table as a list, for parsing, `policy show` and the docs: defaults live here and nowhere else. */
export const POLICY_KEYS: readonly KeySpec[] = Object.entries(KEYS).map(([key, spec]) => ({ key: key as PolicyKey, ...spec }));

export const KEY_SPECS: ReadonlyMap<string, KeySpec> = new Map(POLICY_KEYS.map((s) => [s.key, s]));

/** The built-in policy (profile `default`), typed by the table itself: no cast. */
export const DEFAULT_POLICY: Policy = Object.freeze(defaults(KEYS));

function defaults<T extends Record<string, { readonly default: unknown }>>(table: T): { readonly [K in keyof T]: T[K]['default'] } {
  return Object.fromEntries(Object.entries(table).map(([key, spec]) => [key, spec.default])) as { readonly [K in keyof T]: T[K]['default'] };
}
