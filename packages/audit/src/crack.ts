// The guessing scheduler. Every target first gets its FLOOR likeliest guesses, breadth-first; then
// each next batch goes to the target whose next guess is likeliest per unit of work (rank times
// the square root of the measured cost per guess). Batches are sized to the scheme's speed,
// `jobs * 2` are in flight so the worker pool stays busy, and the run stops at the budget, the
// per-account cap, or an abort.
import { schemeSpeed, type SchemeSpeed } from '@pwguard/hashes';
import type { Backend } from './backend.js';
import type { GuessStream } from './guesses/stream.js';
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


/** Guesses per call, by the scheme table's speed class: slow schemes small (fair across targets), digests large (less overhead). */
const CALL_BATCH: Record<SchemeSpeed, number> = { digest: 512, fast: 64, slow: 8 };

export function batchSize(schemeId: string): number {
  return CALL_BATCH[schemeSpeed(schemeId)];
}

export function isDone(t: Target): boolean {
  return t.found !== undefined || t.skipped !== undefined || t.tried >= t.planned;
}

/** Every target gets these first guesses (empty, top context, top list) before any gets more. */
export const FLOOR = 16;

export async function crack(targets: Target[], list: GuessStream, backend: Backend, opts: CrackOptions): Promise<CrackStats> {
  for (const t of targets) t.planned = sequenceLength(t, list, opts.maxGuesses);
  const stats: CrackStats = { guessesTried: 0, guessesPlanned: targets.reduce((n, t) => n + (isDone(t) ? 0 : t.planned - t.tried), 0), targetsDone: 0, targetsTotal: targets.length, found: 0, stoppedEarly: false };
  const run = new Runner(targets, list, backend, opts, stats);
  // Phase 1, strictly breadth-first: the first FLOOR guesses (the empty password first) for all.
  for (const t of targets) if (!(await run.issueUpTo(t, Math.min(FLOOR, t.planned)))) break;
  await run.drain();
  // Phase 2, cost-weighted: the next guess goes where rank x sqrt(cost per guess) is lowest, so a
  // slow yescrypt account does not hold every md5crypt account back, yet is not starved either.
  if (!stats.stopReason) await run.weighted();
  await run.drain();
  stats.stoppedEarly = targets.some((t) => !isDone(t));
  return stats;
}

class Runner {
  private readonly inflight = new Set<Promise<void>>();
  private readonly limit: number;
  /** Settles when the run is interrupted. */
  private readonly aborted: Promise<void> | undefined;
  /** Next sequence index to hand out, per target (ahead of `tried` while batches run). */
  private readonly issued = new Map<Target, number>();
  /** Fastest observed ms per guess per scheme and cost parameters (the minimum resists queueing noise). */
  private readonly cost = new Map<string, number>();

  constructor(
    private readonly targets: Target[],
    private readonly list: GuessStream,
    private readonly backend: Backend,
    private readonly opts: CrackOptions,
    private readonly stats: CrackStats,
  ) {
    this.limit = Math.max(1, opts.jobs * 2);
    const signal = opts.signal;
    // One listener for the whole run (one per wait would pile up on the signal).
    this.aborted = signal && new Promise<void>((r) => (signal.aborted ? r() : signal.addEventListener('abort', () => r(), { once: true })));
    for (const t of targets) {
      this.issued.set(t, t.tried);
      this.count(t);
    }
  }

  /** Counted incrementally (a scan of every target after every batch is quadratic). */
  private readonly counted = new Set<Target>();
  private readonly foundSet = new Set<Target>();

  private count(t: Target): void {
    if (t.found !== undefined && !this.foundSet.has(t)) {
      this.foundSet.add(t);
      this.stats.found++;
    }
    if (isDone(t) && !this.counted.has(t)) {
      this.counted.add(t);
      this.stats.targetsDone++;
    }
  }

  /** Wait for the batches in flight; on an interrupt, stop waiting (their results are dropped). */
  async drain(): Promise<void> {
    await this.orAbort(Promise.all(this.inflight));
  }

  private orAbort(p: Promise<unknown>): Promise<unknown> {
    return this.aborted ? Promise.race([p, this.aborted]) : p;
  }

  /** Issue batches for `t` up to sequence index `end`; false when the run must stop. */
  async issueUpTo(t: Target, end: number): Promise<boolean> {
    while ((this.issued.get(t) as number) < end && !isDone(t)) {
      if (!(await this.slot())) return false;
      if (isDone(t)) break;
      this.issue(t, end);
    }
    return true;
  }

  async weighted(): Promise<void> {
    const heap = new MinHeap<Target>();
    for (const t of this.targets) if (!isDone(t) && (this.issued.get(t) as number) < t.planned) heap.push(this.priority(t), t);
    for (let e = heap.pop(); e; e = heap.pop()) {
      const t = e.value;
      if (isDone(t) || (this.issued.get(t) as number) >= t.planned) continue;
      const p = this.priority(t);
      if (p > e.key * 1.0001 && heap.size > 0) {
        heap.push(p, t); // the estimate changed since it was queued
        continue;
      }
      if (!(await this.slot())) return;
      if (isDone(t)) continue;
      this.issue(t, t.planned);
      if ((this.issued.get(t) as number) < t.planned) heap.push(this.priority(t), t);
    }
  }

  private priority(t: Target): number {
    return ((this.issued.get(t) as number) + 1) * Math.sqrt(this.cost.get(costKey(t)) ?? 1);
  }

  /** Wait for a free slot; false when the budget or an interrupt ends the run. */
  private async slot(): Promise<boolean> {
    const reason = stopReason(this.opts);
    if (reason) {
      this.stats.stopReason = reason;
      return false;
    }
    while (this.inflight.size >= this.limit) {
      await this.orAbort(Promise.race(this.inflight));
      if (this.opts.signal?.aborted) {
        this.stats.stopReason = 'interrupted';
        return false;
      }
    }
    return true;
  }

  private issue(t: Target, end: number): void {
    const start = this.issued.get(t) as number;
    const stop = Math.min(end, start + batchSize(t.scheme.id));
    this.issued.set(t, stop);
    const began = performance.now();
    const p = runBatch(t, this.list, this.backend, start, stop, this.stats, this.opts.signal).then(() => {
      this.inflight.delete(p);
      if (this.opts.signal?.aborted) return; // the run already ended: the report and checkpoint are made
      const ms = (performance.now() - began) / Math.max(1, stop - start);
      const key = costKey(t);
      this.cost.set(key, Math.min(ms, this.cost.get(key) ?? Infinity));
      this.count(t);
      this.opts.onBatch?.(this.stats);
    });
    this.inflight.add(p);
  }
}

function costKey(t: Target): string {
  return `${t.scheme.id}|${JSON.stringify(t.scheme.params)}`;
}

/** A small binary min-heap keyed by number. */
class MinHeap<T> {
  private readonly items: Array<{ key: number; value: T }> = [];

  get size(): number {
    return this.items.length;
  }

  push(key: number, value: T): void {
    const a = this.items;
    a.push({ key, value });
    for (let i = a.length - 1; i > 0; ) {
      const up = (i - 1) >> 1;
      if ((a[up] as { key: number }).key <= key) break;
      [a[i], a[up]] = [a[up] as { key: number; value: T }, a[i] as { key: number; value: T }];
      i = up;
    }
  }

  pop(): { key: number; value: T } | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last) {
      a[0] = last;
      for (let i = 0; ; ) {
        const [l, r] = [2 * i + 1, 2 * i + 2];
        let m = i;
        if (l < a.length && (a[l] as { key: number }).key < (a[m] as { key: number }).key) m = l;
        if (r < a.length && (a[r] as { key: number }).key < (a[m] as { key: number }).key) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m] as { key: number; value: T }, a[i] as { key: number; value: T }];
        i = m;
      }
    }
    return top;
  }
}

function stopReason(opts: CrackOptions): CrackStats['stopReason'] {
  if (opts.signal?.aborted) return 'interrupted';
  if (opts.deadline !== undefined && Date.now() >= opts.deadline) return 'budget';
  return undefined;
}

/** Completed ranges that are not yet contiguous with `tried`, per target. */
const pending = new WeakMap<Target, Map<number, number>>();

async function runBatch(t: Target, list: GuessStream, backend: Backend, start: number, stop: number, stats: CrackStats, signal?: AbortSignal): Promise<void> {
  if (isDone(t) && t.found !== undefined && t.found < start) return;
  const guesses = guessesBetween(t, list, start, stop);
  let r: number | 'unsupported';
  try {
    r = await backend.findMatch(t.stored, t.source, guesses);
  } catch (err) {
    if (signal?.aborted) return; // the pool was closed under it
    throw err;
  }
  // A batch that ends after an interrupt is dropped: `tried` (and the checkpoint) stay where the
  // report says they are, and --resume simply does it again.
  if (signal?.aborted) return;
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
