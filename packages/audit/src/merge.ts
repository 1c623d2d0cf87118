// `pwguard report merge`: join the JSON reports of the shards of one audit into one report.
import { planExpire } from './expire.js';
import { needsAction } from './findings.js';
import { bySeverity, REPORT_SCHEMA, severityOf, summarize, type AccountReport, type AuditReport } from './report.js';
import { markShared, sharedWith } from './share.js';
import { statusOf } from './status.js';

export class MergeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MergeError';
  }
}

/** Check that a parsed JSON value is an audit report; `where` names the file in errors. */
export function asReport(value: unknown, where: string): AuditReport {
  const r = value as Partial<AuditReport> | null;
  if (!r || typeof r !== 'object' || r.schema !== REPORT_SCHEMA) {
    throw new MergeError(`${where}: not a pwguard audit report (schema ${REPORT_SCHEMA})`);
  }
  if (!Array.isArray(r.accounts) || !r.summary || typeof r.summary !== 'object') {
    throw new MergeError(`${where}: report has no accounts or summary`);
  }
  return r as AuditReport;
}

export function mergeReports(reports: ReadonlyArray<{ report: AuditReport; where: string }>): AuditReport {
  if (reports.length === 0) throw new MergeError('no reports to merge');
  const shards: Array<{ index: number; count: number }> = [];
  const seenShard = new Map<number, string>();
  const counts = new Set<number>();
  for (const { report, where } of reports) {
    for (const s of report.shardsMerged ?? (report.shard ? [report.shard] : [])) {
      counts.add(s.count);
      const prev = seenShard.get(s.index);
      if (prev) throw new MergeError(`${where}: shard ${s.index}/${s.count} is also in ${prev}`);
      seenShard.set(s.index, where);
      shards.push(s);
    }
  }
  if (counts.size > 1) throw new MergeError(`reports come from different shard counts (${[...counts].join(', ')}): merge shards of one run`);
  const users = new Map<string, string>();
  const accounts: AccountReport[] = [];
  for (const { report, where } of reports) {
    for (const a of report.accounts) {
      const prev = users.get(a.user);
      if (prev) throw new MergeError(`${where}: account ${a.user} is also in ${prev} (overlapping shards?)`);
      users.set(a.user, where);
      accounts.push(a);
    }
  }
  accounts.sort(bySeverity);
  const first = reports[0]?.report as AuditReport;
  const missing = counts.size === 1 ? missingShards([...counts][0] as number, seenShard) : [];
  const problems = reports.flatMap((r) => r.report.problems ?? []);
  const unkeyed = reports.filter((r) => r.report.shareKeyId === undefined).map((r) => r.where);
  if (unkeyed.length === 0) {
    const ids = new Set(reports.map((r) => r.report.shareKeyId));
    if (ids.size > 1) throw new MergeError(`reports were made with different --share-key files (${reports.map((r) => `${r.where}: ${r.report.shareKeyId}`).join(', ')}): give every shard of one audit the same key`);
    accounts.splice(0, accounts.length, ...regroupShared(accounts).sort(bySeverity));
  } else {
    accounts.forEach((a, i) => {
      if (a.shareDigests) accounts[i] = withoutDigests(a);
    });
    if (reports.length > 1) {
      problems.push({ where: 'report merge', message: `${unkeyed.join(', ')} made without --share-key: shared passwords are only found within each shard, not across shards` });
    }
  }
  if (missing.length) problems.push({ where: 'report merge', message: `shard(s) ${missing.join(', ')} of ${[...counts][0]} missing: the merged report does not cover every account` });
  const summary = summarize(accounts, {
    // Every shard read the same sources: any one of them says how many accounts there were.
    inputAccounts: Math.max(accounts.length, ...reports.map((r) => r.report.summary.inputAccounts ?? r.report.summary.accounts)),
    guessesTried: reports.reduce((n, r) => n + r.report.summary.guessesTried, 0),
    seconds: Math.max(...reports.map((r) => r.report.summary.seconds)),
    stopReason: reports.map((r) => r.report.summary.stopReason).find((x) => x !== null) ?? null,
    maxGuesses: first.summary.maxGuesses,
    guessLists: first.summary.guessLists,
  }, problems.length);
  return {
    schema: REPORT_SCHEMA,
    status: statusOf({ summary }),
    generatedAt: new Date().toISOString(),
    shard: null,
    shardsMerged: shards.sort((a, b) => a.index - b.index),
    passwordsShown: reports.some((r) => r.report.passwordsShown),
    summary,
    accounts,
    problems,
    expirePlan: planExpire({ accounts }),
  };
}

/**
 * Shared passwords across shards: each shard's shared_password findings (found within the shard)
 * are replaced by those the digests of all shards give, exactly as one run over every account
 * would find them. The digests themselves are dropped from the merged report.
 */
function regroupShared(accounts: readonly AccountReport[]): AccountReport[] {
  const others = sharedWith(accounts.map((a) => ({ user: a.user, keys: a.shareDigests ?? [] })));
  return accounts.map((a) => {
    const findings = a.findings.filter((f) => f.code !== 'shared_password');
    const out: AccountReport = { ...withoutDigests(a), findings, needsAction: findings.some(needsAction) };
    const o = others.get(a.user);
    if (o) markShared(out, o);
    else (out as { severity: AccountReport['severity'] }).severity = severityOf(out);
    return out;
  });
}

function withoutDigests(a: AccountReport): AccountReport {
  const { shareDigests: _drop, ...rest } = a;
  return rest;
}

function missingShards(count: number, seen: ReadonlyMap<number, string>): number[] {
  return Array.from({ length: count }, (_v, i) => i + 1).filter((i) => !seen.has(i));
}

