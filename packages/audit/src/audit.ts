// One audit run over merged accounts: identify, look unsalted digests up, guess breadth-first,
// judge what was found against today's policy, and build the report.
import { availableParallelism } from 'node:os';
import type { Account } from './account.js';
import { sourceLabel } from './account.js';
import { createBackend, type Backend } from './backend.js';
import {
  applyCheckpoint, loadCheckpointKey, makeCheckpoint, newCheckpointKey, readCheckpoint, writeCheckpoint, type CheckpointKey, type CheckpointOptions,
} from './checkpoint.js';
import { crack, isDone, type CrackStats } from './crack.js';
import { finding, needsAction, type Finding } from './findings.js';
import { buildGuessList, MAX_LIST_WORDS } from './guesses/lists.js';
import { buildGuessStream, listCoverage, type GuessStream } from './guesses/stream.js';
import { planExpire } from './expire.js';
import { statusOf } from './status.js';
import { defaultRules, type Rule } from '@pwguard/strength';
import type { BreachSource, Judge, Judgement } from './judge.js';
import { BAND_TEXT, bandOf, bySeverity, REPORT_SCHEMA, severityOf, summarize, type AccountReport, type AuditReport, type Coverage, type FoundPassword } from './report.js';
import { inShard, type Shard } from './shard.js';
import { markShared, sharedWith, type ShareKey } from './share.js';
import type { SourceProblem } from './sources/problems.js';
import { buildTargets, contextOf, originAt, sequenceLength, sharedConsumed, type Target, type Unchecked } from './targets.js';

export const DEFAULT_MAX_GUESSES = 2000;

export interface AuditOptions {
  /** Worker threads for crypt(3) guessing (default: number of CPUs). */
  readonly jobs?: number;
  /** Per-account guess cap (default 2,000). */
  readonly maxGuesses?: number;
  /** Whole-run time budget in ms. */
  readonly budgetMs?: number;
  readonly wordlists?: readonly string[];
  /** The policy's org_words: the site's own words, guessed early (with the rules). */
  readonly orgWords?: readonly string[];
  /** Mangling rules for the list words (--rules); default: the built-in weighted rules. */
  readonly rules?: readonly Rule[];
  /** Use the built-in ranked common-password list (default true). */
  readonly common?: boolean;
  readonly judge?: Judge;
  readonly breach?: BreachSource;
  readonly shard?: Shard;
  /** Per-audit secret: each account report carries keyed digests for cross-shard `report merge`. */
  readonly shareKey?: ShareKey;
  readonly checkpoint?: CheckpointOptions;
  readonly showPasswords?: boolean;
  readonly signal?: AbortSignal;
  readonly onProgress?: (stats: CrackStats, elapsedMs: number) => void;
  /** Injected for tests that bring their own @pwguard/hashes pool; default: created here. */
  readonly backend?: Backend;
  readonly now?: Date;
}

export interface PreparedAudit {
  /** Accounts read from the sources, before --shard chose its part. */
  readonly inputAccounts: number;
  readonly accounts: Account[];
  readonly targets: Target[];
  readonly unchecked: Unchecked[];
  readonly list: GuessStream;
  readonly backend: Backend;
  readonly problems: SourceProblem[];
}

/** Everything before guessing: shard, guess lists, targets. Shared by the run and --plan. */
export async function prepareAudit(all: readonly Account[], problems: SourceProblem[], options: AuditOptions): Promise<PreparedAudit> {
  const accounts = all.filter((a) => inShard(a.user, options.shard));
  const maxGuesses = options.maxGuesses ?? DEFAULT_MAX_GUESSES;
  const list = await buildSharedStream({ ...options, maxGuesses }, problems);
  const backend = options.backend ?? (await createBackend({ jobs: options.jobs ?? defaultJobs() }));
  const { targets, unchecked } = buildTargets(accounts, backend, options.now);
  const mismatch = storeMismatch(targets, options.breach);
  if (mismatch) problems.push(mismatch);
  for (const t of targets) t.planned = sequenceLength(t, list, maxGuesses);
  return { inputAccounts: all.length, accounts, targets, unchecked, list, backend, problems };
}

/**
 * The candidates every account shares: the ranked lists crossed with the rules, as far as the
 * guess cap needs. `pwguard guesses` builds it the same way.
 */
export async function buildSharedStream(
  options: Pick<AuditOptions, 'common' | 'wordlists' | 'orgWords' | 'rules' | 'signal' | 'now' | 'maxGuesses'>,
  problems: SourceProblem[],
): Promise<GuessStream> {
  const maxGuesses = options.maxGuesses ?? DEFAULT_MAX_GUESSES;
  const words = await buildGuessList({
    common: options.common ?? true, wordlists: options.wordlists ?? [], orgWords: options.orgWords ?? [], problems, limit: maxGuesses,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return buildGuessStream(words, options.rules ?? defaultRules(options.now), Math.min(maxGuesses, MAX_LIST_WORDS));
}

const KIND_NAME: Readonly<Record<string, string>> = { sha1: 'SHA-1', ntlm: 'NTLM' };

/** A breach store of another kind than the unsalted digests is of no use to them: say so. */
function storeMismatch(targets: readonly Target[], store: BreachSource | undefined): SourceProblem | undefined {
  if (!store?.countDigest || !store.kind) return undefined;
  const other = new Map<string, number>();
  for (const t of targets) {
    const kind = t.scheme.digest?.kind;
    if (kind && kind !== store.kind) other.set(kind, (other.get(kind) ?? 0) + 1);
  }
  if (other.size === 0) return undefined;
  const what = [...other].map(([k, n]) => `${n} unsalted ${KIND_NAME[k] ?? k} value(s)`).join(' and ');
  return { where: store.description, message: `holds ${KIND_NAME[store.kind] ?? store.kind} hashes: ${what} need a store of their own kind and were not looked up` };
}

export function defaultJobs(): number {
  return Math.max(1, availableParallelism());
}

export async function auditAccounts(all: readonly Account[], problems: SourceProblem[], options: AuditOptions = {}): Promise<AuditReport> {
  const started = Date.now();
  const prep = await prepareAudit(all, problems, options);
  try {
    return await runPrepared(prep, options, started);
  } finally {
    if (!options.backend) await prep.backend.close();
  }
}

export async function runPrepared(prep: PreparedAudit, options: AuditOptions, started = Date.now()): Promise<AuditReport> {
  const { targets, list } = prep;
  const cp = options.checkpoint;
  let key: CheckpointKey | undefined;
  if (cp?.resume) {
    const saved = readCheckpoint(cp.path);
    key = loadCheckpointKey(cp, saved);
    applyCheckpoint(targets, saved, list.fingerprint, cp.path, key);
  } else if (cp) {
    key = newCheckpointKey(cp);
  }
  let lastSave = Date.now();
  const save = (): void => {
    if (cp && key) writeCheckpoint(cp.path, makeCheckpoint(targets, list.fingerprint, key), cp.inputs);
  };
  // A checkpoint that cannot be written (full disk) stops the run like an interrupt and is then
  // reported: the previous checkpoint is kept, so --resume continues from it.
  const saveFailed = new AbortController();
  let saveError: unknown;
  const stats = await crack(targets, list, prep.backend, {
    jobs: options.jobs ?? defaultJobs(),
    maxGuesses: options.maxGuesses ?? DEFAULT_MAX_GUESSES,
    ...(options.budgetMs !== undefined ? { deadline: started + options.budgetMs } : {}),
    signal: options.signal ? AbortSignal.any([options.signal, saveFailed.signal]) : saveFailed.signal,
    onBatch: (s) => {
      options.onProgress?.(s, Date.now() - started);
      if (cp && saveError === undefined && Date.now() - lastSave >= (cp.everyMs ?? 5000)) {
        try {
          save();
        } catch (err) {
          saveError = err;
          saveFailed.abort();
        }
        lastSave = Date.now();
      }
    },
  });
  if (saveError !== undefined) throw saveError;
  save();
  const accounts = await reportAccounts(prep, options);
  markSharedPasswords(accounts, prep, options.shareKey);
  const reports = accounts.map((a) => a.report).sort(bySeverity);
  const summary = summarize(reports, {
    inputAccounts: prep.inputAccounts,
    guessesTried: stats.guessesTried,
    seconds: Math.round((Date.now() - started) / 100) / 10,
    stopReason: stats.stopReason ?? null,
    maxGuesses: options.maxGuesses ?? DEFAULT_MAX_GUESSES,
    guessLists: [...list.lists],
  }, prep.problems.length);
  const base = { summary, accounts: reports };
  return {
    schema: REPORT_SCHEMA,
    status: statusOf(base),
    generatedAt: new Date().toISOString(),
    shard: options.shard ? { index: options.shard.index, count: options.shard.count } : null,
    ...(options.shareKey ? { shareKeyId: options.shareKey.id } : {}),
    passwordsShown: options.showPasswords === true,
    summary,
    accounts: reports,
    problems: prep.problems,
    expirePlan: planExpire(base),
  };
}

interface Built {
  report: AccountReport;
  /** The found password, kept in memory only (shared-password detection). */
  password?: string;
}

async function reportAccounts(prep: PreparedAudit, options: AuditOptions): Promise<Built[]> {
  const byAccount = new Map<Account, Target[]>();
  for (const t of prep.targets) {
    for (const m of t.members) {
      const list = byAccount.get(m.account);
      if (list) list.push(t);
      else byAccount.set(m.account, [t]);
    }
  }
  // Indexed once: a scan of every unchecked value per account was quadratic (100k accounts in an
  // unknown scheme: 10^10 steps).
  const uncheckedBy = new Map<Account, Unchecked[]>();
  for (const u of prep.unchecked) {
    const list = uncheckedBy.get(u.member.account);
    if (list) list.push(u);
    else uncheckedBy.set(u.member.account, [u]);
  }
  const out: Built[] = [];
  for (const a of prep.accounts) out.push(await reportAccount(a, byAccount.get(a) ?? [], uncheckedBy.get(a) ?? [], prep, options));
  return out;
}

async function reportAccount(a: Account, targets: Target[], unchecked: readonly Unchecked[], prep: PreparedAudit, options: AuditOptions): Promise<Built> {
  const findings: Finding[] = [];
  const flags = new Set(a.flags.map((f) => f.flag));
  const expired = a.flags.find((f) => f.flag === 'expired');
  if (flags.has('no_password')) findings.push(finding('no_password'));
  if (flags.has('lm_present')) findings.push(finding('lm_present'));
  const lockedHash = a.credentials.some((c) => c.locked);
  if (flags.has('locked')) findings.push(finding('locked', { hashKept: lockedHash }, { hashKept: lockedHash ? ' (its old hash is kept and was audited)' : ' (no password hash)' }));
  if (expired) findings.push(finding('expired', { date: expired.date }));
  if (flags.has('must_change')) findings.push(finding('must_change'));
  for (const u of unchecked) findings.push(finding('not_checked', { reason: `${u.member.credential.attribute}: ${u.reason}` }));
  if (a.credentials.length === 0 && !flags.has('no_password') && !flags.has('locked')) {
    findings.push(finding('not_checked', { reason: 'no password attribute could be read (check the bind DN\'s access)' }));
  }
  const storage = new Set<string>();
  for (const t of targets) {
    for (const f of t.scheme.findings) {
      if (storage.has(f.code)) continue;
      storage.add(f.code);
      findings.push(finding('storage', { issue: f.code, scheme: t.scheme.id, issueText: f.message }));
    }
    if (t.skipped) findings.push(finding('not_checked', { reason: t.skipped }));
  }
  const got = await foundFor(a, targets, prep.list, options);
  const password = got.password;
  let found = got.found;
  const breachErrors = new Set(got.breachErrors);
  if (password !== undefined && options.judge) {
    const v = got.judged ?? (await options.judge(password, contextOf(a)));
    if (v.breachUnchecked !== undefined) breachErrors.add(v.breachUnchecked);
    const codes = v.reasons.map((r) => r.code);
    if (!v.ok) findings.push(finding('policy_rejects', { reasonCodes: codes }, { reasons: codes.map((c) => c.replace(/_/g, ' ')).join(', ') }));
    const seen = v.reasons.find((r) => r.code === 'breached')?.count;
    if (found && found.breachCount === undefined && typeof seen === 'number') found = { ...found, breachCount: seen };
  }
  if (found) findings.unshift(foundFinding(found));
  // Fail closed: a breach lookup that failed is said, never read as "not breached".
  const [error] = breachErrors; // one finding: the policy's lookup and the count share a store
  if (error !== undefined) findings.push(finding('breach_unchecked', { error }));
  const worst = worstTarget(targets);
  const coverage = coverageOf(targets, worst, prep.list);
  if (!found && coverage) {
    findings.push(finding('not_found', { tried: coverage.tried, planned: coverage.planned, complete: coverage.complete }, {
      tried: coverage.tried.toLocaleString('en-US'),
      ofPlanned: coverage.complete ? '' : ` of ${coverage.planned.toLocaleString('en-US')} planned`,
      state: coverage.complete ? 'not in the lists tried, which does not make it strong' : 'guessing stopped early',
    }));
  }
  const weak = found !== undefined || flags.has('no_password');
  const state: AccountReport['state'] = flags.has('no_password') ? 'no_password' : flags.has('locked') ? 'locked' : expired ? 'expired' : 'active';
  const fields = { weak, state, needsAction: findings.some(needsAction), coverage, findings };
  const report: AccountReport = {
    user: a.user,
    sources: a.sources.map(sourceLabel),
    state,
    severity: severityOf(fields),
    scheme: (worst ?? targets[0])?.scheme.id ?? null,
    schemes: [...new Set(targets.map((t) => t.scheme.id))].sort(),
    lastChange: (a.lastChangeDays !== undefined && a.lastChangeDays > 0 ? new Date(a.lastChangeDays * 86_400_000).toISOString().slice(0, 10) : null),
    weak,
    needsAction: fields.needsAction,
    found: found ?? null,
    coverage,
    findings,
    ...(a.dn ? { dn: a.dn } : {}),
  };
  return password === undefined ? { report } : { report, password };
}

function foundFinding(f: FoundPassword): Finding {
  if (f.how === 'breached_hash') return finding('breached_hash', { count: f.breachCount ?? 0 });
  // Never the rank: line 51 of a public list is the password.
  const how = f.how === 'wordlist' ? `in wordlist ${f.list}` : BAND_TEXT[f.band];
  return finding('weak_password', { foundBy: f.how, band: f.band }, { how });
}

interface Got {
  found?: FoundPassword;
  password?: string;
  /** The judgement already made of `password` (cleartext values are judged to decide). */
  judged?: Judgement;
  /** Breach lookups that failed. */
  breachErrors: string[];
}

async function foundFor(a: Account, targets: Target[], list: GuessStream, options: AuditOptions): Promise<Got> {
  const breachErrors: string[] = [];
  let best: { t: Target; i: number } | undefined;
  for (const t of targets) if (t.found !== undefined && (!best || t.found < best.i)) best = { t, i: t.found };
  if (best) {
    const g = originAt(best.t, list, best.i);
    if (g) {
      const attribute = best.t.members.find((m) => m.account === a)?.credential.attribute ?? 'unknown';
      const count = await breachCount(options.breach, g.word, breachErrors);
      return {
        breachErrors,
        password: g.word,
        found: {
          how: g.origin.how,
          band: bandOf(g.origin.how, g.origin.rank, g.origin.mangled === true),
          ...(g.origin.list !== undefined ? { list: g.origin.list } : {}),
          attribute,
          ...(count !== undefined ? { breachCount: count } : {}),
          ...(options.showPasswords ? { password: g.word, ...(g.origin.rank !== undefined && g.origin.mangled !== true ? { rank: g.origin.rank } : {}) } : {}),
        },
      };
    }
  }
  for (const t of targets) {
    const hex = t.scheme.digest?.hex;
    const kind = t.scheme.digest?.kind;
    const store = options.breach;
    if (hex && store?.countDigest && store.kind === kind) {
      let count = 0;
      try {
        count = store.countDigest(hex);
      } catch (err) {
        breachErrors.push(errorText(err));
      }
      if (count > 0) return { breachErrors, found: { how: 'breached_hash', band: 'breached_hash', attribute: t.members[0]?.credential.attribute ?? 'unknown', breachCount: count } };
    }
  }
  for (const t of targets) {
    const clear = t.scheme.cleartext;
    if (clear === undefined) continue;
    // A password stored in clear is weak when today's policy rejects it or the breach store has it.
    const v = options.judge ? await options.judge(clear, contextOf(a)) : undefined;
    const count = await breachCount(options.breach, clear, breachErrors);
    if ((v && !v.ok) || (count ?? 0) > 0) {
      const attribute = t.members[0]?.credential.attribute ?? 'unknown';
      return {
        breachErrors,
        password: clear,
        ...(v ? { judged: v } : {}),
        found: { how: 'cleartext', band: 'cleartext', attribute, ...(count !== undefined ? { breachCount: count } : {}), ...(options.showPasswords ? { password: clear } : {}) },
      };
    }
    if (v?.breachUnchecked !== undefined) breachErrors.push(v.breachUnchecked);
  }
  return { breachErrors };
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function breachCount(store: BreachSource | undefined, password: string, errors: string[]): Promise<number | undefined> {
  if (!store) return undefined;
  try {
    return await store.count(password);
  } catch (err) {
    errors.push(errorText(err));
    return undefined;
  }
}

/** The stored password still being guessed that got the fewest guesses (undefined: none open). */
function worstTarget(targets: readonly Target[]): Target | undefined {
  const open = targets.filter((t) => t.found === undefined && t.skipped === undefined);
  return open.length === 0 ? undefined : open.reduce((w, t) => (t.tried < w.tried ? t : w));
}

function coverageOf(targets: Target[], worst: Target | undefined, list: GuessStream): Coverage | null {
  if (targets.length === 0) return null;
  const about = worst ?? targets.reduce((w, t) => (t.tried < w.tried ? t : w));
  const lists = listCoverage(list, sharedConsumed(about, list, about.tried));
  if (!worst) return { tried: Math.min(...targets.map((t) => t.tried)), planned: Math.max(...targets.map((t) => t.planned)), complete: true, lists };
  const open = targets.filter((t) => t.found === undefined && t.skipped === undefined);
  return { tried: worst.tried, planned: worst.planned, complete: open.every(isDone), lists };
}

/**
 * Identical stored values on several accounts, or the same found password on several accounts.
 * With a share key, each account also gets the keyed digests of the same two things, so that
 * `report merge` finds exactly these groups across shards (mergeReports).
 */
function markSharedPasswords(built: Built[], prep: PreparedAudit, key: ShareKey | undefined): void {
  const keys = new Map<string, string[]>();
  const digests = new Map<string, string[]>();
  const add = (user: string, raw: string, digest: () => string): void => {
    const k = keys.get(user);
    if (k) k.push(raw);
    else keys.set(user, [raw]);
    if (!key) return;
    const d = digests.get(user);
    if (d) d.push(digest());
    else digests.set(user, [digest()]);
  };
  for (const t of prep.targets) for (const m of t.members) add(m.account.user, `h:${t.key}`, () => (key as ShareKey).stored(t.scheme.id, t.stored));
  for (const b of built) if (b.password !== undefined) add(b.report.user, `p:${b.password}`, () => (key as ShareKey).password(b.password as string));
  const others = sharedWith([...keys].map(([user, k]) => ({ user, keys: k })));
  for (const b of built) {
    const o = others.get(b.report.user);
    if (o) markShared(b.report, o);
    if (key) (b.report as { shareDigests?: string[] }).shareDigests = [...new Set(digests.get(b.report.user) ?? [])].sort();
  }
}
