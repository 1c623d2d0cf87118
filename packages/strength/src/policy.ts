// The policy: every key, its type, default and meaning, in one table. The config file, PAM
// module-style arguments and the CLI all go through this table (see config.ts).

export type OnError = 'reject' | 'accept';
export type OnWeakLogin = 'record' | 'expire';
export type Profile = 'default' | 'nist';

export interface Policy {
  /** `default` (pwguard's values) or `nist` (NIST SP 800-63B-4 single-factor: min 15, no composition rules). */
  readonly profile: Profile;
  /** Fewest Unicode code points a password may have, default-ignorable ones not counted (NFKC may lower the count, never raise it). */
  readonly min_length: number;
  /** Most code points; longer ones are refused at once, before any costly check. Never below 64. */
  readonly max_length: number;
  /** Lowest acceptable zxcvbn score, 0-4. */
  readonly min_score: number;
  /** Refuse passwords built on the user name, GECOS words or organisation words. */
  readonly context_check: boolean;
  /** Site words treated like the user's own (site name, host name), comma or space separated. */
  readonly org_words: readonly string[];
  /** File of banned words, one per line (`#` comments), matched like context words. */
  readonly banned_words_file: string;
  /** Breached-password store; empty means the small built-in list. */
  readonly breach_store: string;
  /** Check passwords against the breach store at all. */
  readonly breach_check: boolean;
  /** Refuse a password seen at least this many times in breaches. */
  readonly breach_min_count: number;
  /** pwquality-style: at least this many character classes (0 = off). */
  readonly min_classes: number;
  /** pwquality-style: at most this many identical characters in a row (0 = off). */
  readonly max_repeat: number;
  /** pwquality-style: at most this long a monotonic sequence like abcd/4321 (0 = off). */
  readonly max_sequence: number;
  /** 0 = warn only: reasons are shown but the password is accepted (as in pwquality). */
  readonly enforcing: boolean;
  /** Also refuse weak passwords that root sets (otherwise root only gets warnings). */
  readonly enforce_for_root: boolean;
  /** PAM hook: what to do when the check itself cannot run (no password given, broken config or store). */
  readonly on_error: OnError;
  /** PAM hook at login: record a weak password only, or also force a change at next login. */
  readonly on_weak_login: OnWeakLogin;
  /** PAM hook at login: where weak logins are recorded (one line per event, never the password). */
  readonly weak_login_log: string;
}

export type PolicyKey = keyof Policy;

type KeyType =
  | { kind: 'int'; min: number; max: number }
  | { kind: 'bool' }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'path' }
  | { kind: 'words' };

export interface KeySpec {
  readonly key: PolicyKey;
  readonly type: KeyType;
  readonly default: Policy[PolicyKey];
  /** Value under `profile = nist`, when it differs. */
  readonly nist?: Policy[PolicyKey];
  readonly help: string;
}

/** The one table of policy keys: defaults live here and nowhere else. */
export const POLICY_KEYS: readonly KeySpec[] = [
  { key: 'profile', type: { kind: 'enum', values: ['default', 'nist'] }, default: 'default', help: 'default, or nist (NIST SP 800-63B-4 single-factor values)' },
  { key: 'min_length', type: { kind: 'int', min: 1, max: 1024 }, default: 12, nist: 15, help: 'minimum length in Unicode code points as typed (invisible ones not counted; NFKC never adds length)' },
  { key: 'max_length', type: { kind: 'int', min: 64, max: 1024 }, default: 256, help: 'maximum length; longer is refused before any costly check (at least 64)' },
  { key: 'min_score', type: { kind: 'int', min: 0, max: 4 }, default: 3, help: 'minimum zxcvbn score, 0-4' },
  { key: 'context_check', type: { kind: 'bool' }, default: true, help: 'refuse passwords containing the user name, GECOS or organisation words' },
  { key: 'org_words', type: { kind: 'words' }, default: [], help: 'site words treated like the user\'s own (comma or space separated)' },
  { key: 'banned_words_file', type: { kind: 'path' }, default: '', help: 'file of banned words, one per line' },
  { key: 'breach_store', type: { kind: 'path' }, default: '', help: 'breached-password store (pwguard breach build); empty = built-in list' },
  { key: 'breach_check', type: { kind: 'bool' }, default: true, help: 'check passwords against the breach store' },
  { key: 'breach_min_count', type: { kind: 'int', min: 1, max: 2 ** 31 }, default: 1, help: 'refuse a password seen at least this many times in breaches' },
  { key: 'min_classes', type: { kind: 'int', min: 0, max: 4 }, default: 0, help: 'minimum character classes (0 = off; NIST advises against)' },
  { key: 'max_repeat', type: { kind: 'int', min: 0, max: 1024 }, default: 0, help: 'maximum identical characters in a row (0 = off)' },
  { key: 'max_sequence', type: { kind: 'int', min: 0, max: 1024 }, default: 0, help: 'maximum monotonic sequence length (0 = off)' },
  { key: 'enforcing', type: { kind: 'bool' }, default: true, help: '0 = warn only, accept anyway' },
  { key: 'enforce_for_root', type: { kind: 'bool' }, default: false, help: 'refuse weak passwords set by root too' },
  { key: 'on_error', type: { kind: 'enum', values: ['reject', 'accept'] }, default: 'reject', help: 'PAM hook: reject or accept when the check cannot run' },
  { key: 'on_weak_login', type: { kind: 'enum', values: ['record', 'expire'] }, default: 'record', help: 'PAM login check: record weak passwords, or also force a change' },
  { key: 'weak_login_log', type: { kind: 'path' }, default: '/var/lib/pwguard/weak-logins.log', help: 'PAM login check: where weak logins are recorded' },
];

export const KEY_SPECS: ReadonlyMap<string, KeySpec> = new Map(POLICY_KEYS.map((s) => [s.key, s]));

/** The built-in policy (profile `default`). */
export const DEFAULT_POLICY: Policy = Object.freeze(
  Object.fromEntries(POLICY_KEYS.map((s) => [s.key, s.default])) as unknown as Policy,
);
