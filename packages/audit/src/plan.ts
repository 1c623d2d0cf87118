// --plan: measure each scheme's guessing speed on this machine (a short timed batch against one of
// its real targets), then say how long the chosen guesses will take, before doing anything.
import { randomBytes } from 'node:crypto';
import type { PreparedAudit } from './audit.js';
import { batchSize } from './crack.js';
import type { Target } from './targets.js';

export interface PlanRow {
  readonly scheme: string;
  /** Cost parameters that set the speed, e.g. `rounds=5000`, `cost=10`. */
  readonly params: string;
  readonly targets: number;
  readonly accounts: number;
  readonly guesses: number;
  /** Guesses per second with all jobs, measured. */
  readonly perSecond: number;
  readonly seconds: number;
}

export interface Plan {
  readonly rows: PlanRow[];
  readonly totalGuesses: number;
  readonly totalSeconds: number;
  readonly jobs: number;
}

export async function makePlan(prep: PreparedAudit, jobs: number, sampleMs = 1500): Promise<Plan> {
  const groups = new Map<string, Target[]>();
  for (const t of prep.targets) {
    const k = `${t.scheme.id}\0${paramText(t)}`;
    const g = groups.get(k);
    if (g) g.push(t);
    else groups.set(k, [t]); // (a copy per target was quadratic: minutes at 100k md5crypt accounts)
  }
  const rows: PlanRow[] = [];
  for (const ts of groups.values()) {
    const t = ts[0] as Target;
    const perSecond = await measure(prep, t, jobs, sampleMs);
    const guesses = ts.reduce((n, x) => n + Math.max(0, x.planned - x.tried), 0);
    rows.push({
      scheme: t.scheme.id,
      params: paramText(t),
      targets: ts.length,
      accounts: new Set(ts.flatMap((x) => x.members.map((m) => m.account.user))).size,
      guesses,
      perSecond,
      seconds: perSecond > 0 ? guesses / perSecond : Infinity,
    });
  }
  rows.sort((a, b) => b.seconds - a.seconds);
  return {
    rows,
    jobs,
    totalGuesses: rows.reduce((n, r) => n + r.guesses, 0),
    totalSeconds: rows.reduce((n, r) => n + r.seconds, 0),
  };
}

function paramText(t: Target): string {
  return Object.entries(t.scheme.params).map(([k, v]) => `${k}=${v}`).join(',');
}

/** Guesses per second for this scheme with `jobs` batches in flight, from random non-matching guesses. */
async function measure(prep: PreparedAudit, t: Target, jobs: number, sampleMs: number): Promise<number> {
  const size = batchSize(t.scheme.id);
  const started = Date.now();
  let done = 0;
  while (Date.now() - started < sampleMs) {
    const batches = Array.from({ length: jobs }, () => Array.from({ length: size }, () => randomBytes(9).toString('base64')));
    const r = await Promise.all(batches.map((b) => prep.backend.findMatch(t.stored, t.source, b)));
    if (r.includes('unsupported')) return 0;
    done += size * jobs;
  }
  return done / ((Date.now() - started) / 1000);
}

export function formatPlan(p: Plan, budgetMs?: number): string {
  const lines = [`Plan (${p.jobs} job(s); speeds measured now on this machine):`];
  lines.push(`  ${'scheme'.padEnd(16)} ${'params'.padEnd(22)} ${'accounts'.padStart(8)} ${'guesses'.padStart(12)} ${'guesses/s'.padStart(11)} ${'time'.padStart(10)}`);
  for (const r of p.rows) {
    lines.push(`  ${r.scheme.padEnd(16)} ${r.params.slice(0, 22).padEnd(22)} ${String(r.accounts).padStart(8)} ${r.guesses.toLocaleString('en-US').padStart(12)} ${(r.perSecond > 0 ? Math.round(r.perSecond).toLocaleString('en-US') : 'unsupported').padStart(11)} ${duration(r.seconds).padStart(10)}`);
  }
  lines.push(`  total: ${p.totalGuesses.toLocaleString('en-US')} guesses, about ${duration(p.totalSeconds)}`);
  if (budgetMs !== undefined) {
    const fits = p.totalSeconds * 1000 <= budgetMs;
    lines.push(`  budget ${duration(budgetMs / 1000)}: ${fits ? 'enough for every planned guess' : 'not enough: accounts will be tested breadth-first, likeliest guesses first, and the report will say how far'}`);
  }
  return `${lines.join('\n')}\n`;
}

export function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return 'n/a';
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172800) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86400).toFixed(1)} days`;
}

/** Parse `90s`, `15m`, `2h`, `1d`, `1h30m` into ms; undefined when malformed. */
export function parseDuration(text: string): number | undefined {
  const t = text.trim();
  if (!/^(\d+(\.\d+)?[smhd])+$/.test(t)) return /^\d+$/.test(t) ? Number(t) * 1000 : undefined;
  const unit: Record<string, number> = { s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7 };
  let ms = 0;
  for (const m of t.matchAll(/(\d+(?:\.\d+)?)([smhd])/g)) ms += Number(m[1]) * (unit[m[2] as string] as number);
  return ms;
}
