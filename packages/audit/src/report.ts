// The report: a documented, stable JSON schema (docs/audit.md). Passwords appear only when the
// caller asked for them (--show-passwords); hashes never appear.
import type { ExpireAction } from './expire.js';
import type { Finding } from './findings.js';
import type { SourceProblem } from './sources/problems.js';
import type { AuditStatus } from './status.js';

export const REPORT_SCHEMA = 'pwguard-audit/1';

export type FoundHow = 'empty' | 'context' | 'common' | 'wordlist' | 'breached_hash' | 'cleartext';

/**
 * How weak a found password is, coarsely: a rank in a public list is a line number, and the
 * account's own name and details are known to anyone who reads the report, so the exact rank
 * would give the password away.
 */
export type FoundBand = 'top10' | 'top100' | 'top1000' | 'top10000' | 'common' | 'mangled' | 'wordlist' | 'context' | 'empty' | 'cleartext' | 'breached_hash';

export const BAND_TEXT: Readonly<Record<FoundBand, string>> = {
  top10: 'among the 10 most common passwords',
  top100: 'among the 100 most common passwords',
  top1000: 'among the 1,000 most common passwords',
  top10000: 'among the 10,000 most common passwords',
  common: 'in the common-password list',
  mangled: 'a common password with small changes: capitals, digits, a year or a symbol',
  wordlist: 'in a wordlist',
  context: "from the account's own name or details",
  empty: 'empty password',
  cleartext: 'stored in clear text',
  breached_hash: 'its unsalted hash is in the breach store',
};

export function bandOf(how: FoundHow, rank?: number, mangled = false): FoundBand {
  if (how !== 'common') return how;
  if (mangled) return 'mangled';
  if (rank === undefined) return 'common';
  return rank <= 10 ? 'top10' : rank <= 100 ? 'top100' : rank <= 1000 ? 'top1000' : rank <= 10000 ? 'top10000' : 'common';
}

export interface FoundPassword {
  readonly how: FoundHow;
  /** How weak, without saying which password (see FoundBand). */
  readonly band: FoundBand;
  /** 1-based rank in its list: only with --show-passwords (it would give the password away). */
  readonly rank?: number;
  /** Wordlist path, for how = wordlist. */
  readonly list?: string;
  /** Attribute or file kind it was found in: shadow, htpasswd, userPassword, sambaNTPassword. */
  readonly attribute: string;
  /** Times seen in breaches, when a breach store answered. */
  readonly breachCount?: number;
  /** Only with --show-passwords. */
  readonly password?: string;
}

/**
 * How far one guess list got for one account (its least-tested stored password). The lists are
 * merged by weight, so a list is not tried "up to line N": `wordsTried` counts the list's base
 * words that were tried as written (the identity rule, the likeliest one for every word), and
 * `candidatesTried` every candidate made from the list (word x rule) that was tried.
 */
export interface ListCoverage {
  /** As in summary.guessLists: `org_words`, `common`, `keyboard`, `wordlist:PATH`. */
  readonly list: string;
  /** Base words of the list in play (a --wordlist is read at most as far as the guess cap). */
  readonly words: number;
  readonly wordsTried: number;
  readonly candidatesTried: number;
}

export interface Coverage {
  /** Guesses tried against the account's least-tested stored password. */
  readonly tried: number;
  /** Guesses that were planned for it (the per-account cap, or the whole list). */
  readonly planned: number;
  /** True only when every planned guess was tried (tried = planned) or the password was found. */
  readonly complete: boolean;
  /** Per guess list, how far it got (empty when guessing never reached the shared lists). */
  readonly lists: ListCoverage[];
}

/** Most urgent first: the order of `accounts` in every format. */
export const SEVERITY = ['weak_usable', 'weak_unusable', 'action', 'review', 'ok'] as const;
export type Severity = (typeof SEVERITY)[number];

export interface AccountReport {
  readonly user: string;
  /** e.g. `shadow:/etc/shadow:12`, `ldap:uid=bob,ou=people,dc=example,dc=org`. */
  readonly sources: string[];
  readonly state: 'active' | 'locked' | 'expired' | 'no_password';
  /** SEVERITY: weak and usable, weak but locked/expired, other action, review (not fully tested or not checked), ok. */
  readonly severity: Severity;
  /** Scheme of the stored password the coverage is about (`sha512crypt`, `bcrypt`, ...); null when none could be guessed. */
  readonly scheme: string | null;
  /** Every scheme the account's stored passwords use. */
  readonly schemes: string[];
  /** Date of the last password change (shadow lastchg, LDAP pwdChangedTime), YYYY-MM-DD; null when unknown. */
  readonly lastChange: string | null;
  /** True when the password was found, is empty, or its hash is in the breach store. */
  readonly weak: boolean;
  /** True when any finding needs action. */
  readonly needsAction: boolean;
  readonly found: FoundPassword | null;
  /** Null when nothing could be guessed (no password, only unknown schemes). */
  readonly coverage: Coverage | null;
  readonly findings: Finding[];
  /** LDAP entry, for --expire. */
  readonly dn?: string;
  /**
   * Only in shard reports made with --share-key: keyed digests (HMAC-SHA-256 under the audit's
   * share key, 128 bits, base64url) of each stored value and of the found password, for `report
   * merge` to find shared passwords across shards. Never a password or a hash; merge drops them.
   */
  readonly shareDigests?: string[];
}

export interface ReportSummary {
  accounts: number;
  /** Accounts read from the sources before --shard chose its part (0: unusable input). */
  inputAccounts: number;
  weak: number;
  needsAction: number;
  notChecked: number;
  /** Accounts whose guessing stopped before their plan (budget, interrupt). */
  incomplete: number;
  foundBy: Record<FoundHow, number>;
  /** Count of accounts per finding code. */
  findings: Record<string, number>;
  guessesTried: number;
  seconds: number;
  stopReason: 'budget' | 'interrupted' | null;
  maxGuesses: number;
  guessLists: string[];
  problems: number;
}

export interface AuditReport {
  readonly schema: typeof REPORT_SCHEMA;
  /** The run's status (status.ts: AUDIT_STATUS), which the exit code reports too. */
  readonly status: AuditStatus;
  readonly generatedAt: string;
  /** Set when the run audited one shard (`--shard K/N`); merged reports list every part. */
  readonly shard: { index: number; count: number } | null;
  readonly shardsMerged?: Array<{ index: number; count: number }>;
  /** With --share-key: names the key (an HMAC of a constant), the same in every shard of one audit. */
  readonly shareKeyId?: string;
  readonly passwordsShown: boolean;
  readonly summary: ReportSummary;
  readonly accounts: AccountReport[];
  readonly problems: SourceProblem[];
  /** What `--expire` does (or would do) for the weak accounts, whether or not --expire was given. */
  readonly expirePlan: ExpireAction[];
}

/** Where an account goes in the order of urgency. */
export function severityOf(a: Pick<AccountReport, 'weak' | 'state' | 'needsAction' | 'coverage' | 'findings'>): Severity {
  if (a.weak && a.state !== 'locked' && a.state !== 'expired') return 'weak_usable';
  if (a.weak) return 'weak_unusable';
  if (a.needsAction) return 'action';
  if ((a.coverage && !a.coverage.complete) || a.findings.some((f) => f.code === 'not_checked')) return 'review';
  return 'ok';
}

/** Most urgent first, then by user name. */
export function bySeverity(x: AccountReport, y: AccountReport): number {
  const d = SEVERITY.indexOf(x.severity ?? severityOf(x)) - SEVERITY.indexOf(y.severity ?? severityOf(y));
  return d !== 0 ? d : x.user < y.user ? -1 : x.user > y.user ? 1 : 0;
}

/** Per list, the account not found that got least far in it (all accounts when every one was found). */
export function leastLists(accounts: readonly AccountReport[]): ListCoverage[] {
  const open = accounts.filter((a) => a.coverage?.lists?.length && !a.found);
  const pool = open.length ? open : accounts.filter((a) => a.coverage?.lists?.length);
  const least = new Map<string, ListCoverage>();
  for (const a of pool) {
    for (const l of a.coverage?.lists ?? []) {
      const prev = least.get(l.list);
      if (!prev || l.wordsTried < prev.wordsTried) least.set(l.list, l);
    }
  }
  return [...least.values()];
}

export function summarize(
  accounts: readonly AccountReport[],
  base: Pick<ReportSummary, 'guessesTried' | 'seconds' | 'stopReason' | 'maxGuesses' | 'guessLists' | 'inputAccounts'>,
  problems: number,
): ReportSummary {
  const foundBy: Record<FoundHow, number> = { empty: 0, context: 0, common: 0, wordlist: 0, breached_hash: 0, cleartext: 0 };
  const findings: Record<string, number> = {};
  for (const a of accounts) {
    if (a.found) foundBy[a.found.how]++;
    for (const c of new Set(a.findings.map((f) => f.code))) findings[c] = (findings[c] ?? 0) + 1;
  }
  return {
    accounts: accounts.length,
    weak: accounts.filter((a) => a.weak).length,
    needsAction: accounts.filter((a) => a.needsAction).length,
    notChecked: accounts.filter((a) => a.findings.some((f) => f.code === 'not_checked')).length,
    incomplete: accounts.filter((a) => a.coverage !== null && !a.coverage.complete && !a.found).length,
    foundBy,
    findings,
    problems,
    ...base,
  };
}
