// The guessing scheduler: breadth-first across targets (every target gets guesses [0,16) before
// any gets [16,64), and so on), batches sized to the scheme's speed, `jobs * 2` batches in flight
// so the worker pool stays busy, stopping at the budget, the per-account cap, or an abort.
import type { Backend } from './backend.js';
import type { GuessList } from './guesses/lists.js';
import { guessesBetween, sequenceLength, type Target } from './targets.js';

export interface CrackOptions {
  readonly jobs: number;
  /** Wall-clock deadline (ms since epoch); undefined = none. */
  readonly deadline?: number;
  /** Per-account cap on guesses (sequence length). */
  readonly maxGuesses: number;
  readonly signal?: AbortSignal;
  /** Called after each finished batch (progress bar, periodic checkpoint). */
  readonly onBatch?: (stats: CrackStats) => void;
}

export interface CrackStats {
  guessesTried: number;
  /** Guesses left to try when the run started (an upper bound: found targets stop early). */
  guessesPlanned: number;
  targetsDone: number;
  targetsTotal: number;
  found: number;
  /** True when the run stopped before every target reached its cap. */
  stoppedEarly: boolean;
  stopReason?: 'budget' | 'interrupted';
}

const TIER_ENDS = [1, 16, 64, 256, 1024, 4096, 16384, 65536];

/** Guesses per call: slow schemes small (fair across targets), fast digests large (less overhead). */
export function batchSize(schemeId: string): number {
  if (/^ldap-(pbkdf2|argon2)/.test(schemeId)) return 8;
  if (/^(ldap-|samba-|nt$|cleartext)/.test(schemeId)) return 512;
  if (/^(md5crypt|apr1|descrypt|bsdicrypt|bigcrypt|sha1crypt|nt)/.test(schemeId)) return 64;
  return 8;
}

function tierEnd(tier: number): number {
  return TIER_ENDS[tier] ?? (TIER_ENDS[TIER_ENDS.length - 1] as number) * 4 ** (tier - TIER_ENDS.length + 1);
}

export function isDone(t: Target): boolean {
  return t.found !== undefined || t.skipped !== undefined || t.tried >= t.planned;
}

export async function crack(targets: Target[], list: GuessList, backend: Backend, opts: CrackOptions): Promise<CrackStats> {
  for (const t of targets) t.planned = Math.min(opts.maxGuesses, sequenceLength(t, list));
  const stats: CrackStats = { guessesTried: 0, guessesPlanned: targets.reduce((n, t) => n + (isDone(t) ? 0 : t.planned - t.tried), 0), targetsDone: 0, targetsTotal: targets.length, found: 0, stoppedEarly: false };
  const count = (): void => {
    stats.targetsDone = targets.filter(isDone).length;
    stats.found = targets.filter((t) => t.found !== undefined).length;
  };
  count();
  const inflight = new Set<Promise<void>>();
  const limit = Math.max(1, opts.jobs * 2);
  const maxPlanned = Math.max(0, ...targets.map((t) => t.planned));
  for (let tier = 0; stats.stopReason === undefined && (tier === 0 || tierEnd(tier - 1) < maxPlanned); tier++) {
    for (const t of targets) {
      let next = t.tried;
      const end = Math.min(tierEnd(tier), t.planned);
      while (next < end && !isDone(t)) {
        const reason = stopReason(opts);
        if (reason) {
          stats.stopReason = reason;
          break;
        }
        while (inflight.size >= limit) await Promise.race(inflight);
        if (isDone(t)) break;
        const start = next;
        const stop = Math.min(end, start + batchSize(t.scheme.id));
        next = stop;
        const p = runBatch(t, list, backend, start, stop, stats).then(() => {
          inflight.delete(p);
          count();
          opts.onBatch?.(stats);
        });
        inflight.add(p);
      }
      if (stats.stopReason) break;
    }
    await Promise.all(inflight);
  }
  await Promise.all(inflight);
  count();
  stats.stoppedEarly = targets.some((t) => !isDone(t));
  return stats;
}

function stopReason(opts: CrackOptions): CrackStats['stopReason'] {
  if (opts.signal?.aborted) return 'interrupted';
  if (opts.deadline !== undefined && Date.now() >= opts.deadline) return 'budget';
  return undefined;
}

/** Completed ranges that are not yet contiguous with `tried`, per target. */
const pending = new WeakMap<Target, Map<number, number>>();

async function runBatch(t: Target, list: GuessList, backend: Backend, start: number, stop: number, stats: CrackStats): Promise<void> {
  if (isDone(t) && t.found !== undefined && t.found < start) return;
  const guesses = guessesBetween(t, list, start, stop);
  const r = await backend.findMatch(t.stored, t.source, guesses);
  if (r === 'unsupported') {
    t.skipped = `this build cannot verify ${t.scheme.id}`;
    return;
  }
  stats.guessesTried += guesses.length;
  if (r >= 0 && (t.found === undefined || start + r < t.found)) t.found = start + r;
  const p = pending.get(t) ?? new Map<number, number>();
  pending.set(t, p);
  p.set(start, stop);
  for (let e = p.get(t.tried); e !== undefined; e = p.get(t.tried)) {
    p.delete(t.tried);
    t.tried = e;
  }
}
