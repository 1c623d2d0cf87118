// The auditor's guessing loop: many candidates against one stored value. Schemes the addon
// computes (crypt(3), apr1, LDAP digests, PBKDF2) run in worker_threads, each looping over a batch
// of candidates in C (one message per batch, not per guess); the rest (Argon2, NT) run here.
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { ADDON_PATH, cryptAddon, cryptSupport } from './native.js';
import { passwordBytes, resolveForVerify } from './schemes.js';
import type { IdentifyOptions, Password, SchemeSpeed } from './types.js';

/** findMatch() could not check the value at all: it is malformed or its scheme cannot be verified here. */
export class UncheckableHashError extends Error {
  constructor(readonly result: 'malformed' | 'unsupported', detail: string) {
    super(detail);
    this.name = 'UncheckableHashError';
  }
}

export interface VerifierPoolOptions {
  /** Worker threads for crypt(3) schemes; default: all cores; at most maxJobs(). */
  jobs?: number;
}

/** Threads beyond a few per core only cost memory: 4 x the cores is the most a pool takes. */
export function maxJobs(): number {
  return 4 * Math.max(1, availableParallelism());
}

/** The pool was closed while a search ran: the search has no answer. */
export class PoolClosedError extends Error {
  constructor() {
    super('verifier pool is closed');
    this.name = 'PoolClosedError';
  }
}

export interface VerifierPool {
  /** Index of the first candidate that verifies, or -1. Rejects with UncheckableHashError. */
  findMatch(stored: string, candidates: readonly Password[], options?: IdentifyOptions): Promise<number>;
  close(): Promise<void>;
  readonly jobs: number;
}

// CommonJS, evaluated in each worker: it only needs the addon, so it works from src/ and dist/.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const addon = require(workerData.addonPath);
parentPort.on('message', (m) => {
  let result;
  try {
    result = m.packed
      ? addon.findMatchPacked(m.stored, m.packed, m.first, m.best)
      : addon.findMatch(m.stored, m.candidates, m.first, m.best);
  } catch { result = -3; }
  parentPort.postMessage(result);
});`;

const NO_MATCH = 0x7fffffff;
/** Stored in `best` when the pool closes: every worker loop stops before its next candidate. */
const STOP = -1;
/** Most guesses in one worker message, by speed class: cheap schemes get big batches so the message cost stays small next to the work. */
const WORKER_BATCH: Record<SchemeSpeed, number> = { digest: 1024, fast: 1024, slow: 64 };

interface Job {
  best: Int32Array;
  pending: number;
  failed?: string;
  settled?: boolean;
  done: (err: Error | null, index: number) => void;
}

interface Task {
  job: Job;
  stored: string;
  candidates: readonly Password[];
  first: number;
}

interface Slot {
  worker: Worker;
  task: Task | null;
}

const utf8 = new TextEncoder();

/**
 * A batch travels as one UTF-8 buffer, NUL after each candidate, moved to the worker rather than
 * copied; the addon then needs no conversion per candidate. Bytes or a NUL inside a candidate
 * need the array form.
 */
function batchMessage(task: Task): { message: Record<string, unknown>; transfer: ArrayBuffer[] } {
  const base = { stored: task.stored, first: task.first, best: task.job.best };
  if (task.candidates.every((c) => typeof c === 'string' && !c.includes('\0'))) {
    const packed = utf8.encode(`${task.candidates.join('\0')}\0`);
    return { message: { ...base, packed }, transfer: [packed.buffer] };
  }
  return { message: { ...base, candidates: task.candidates }, transfer: [] };
}

class Pool implements VerifierPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private readonly running = new Set<Job>();
  private closed = false;

  constructor(readonly jobs: number) {}

  async findMatch(stored: string, candidates: readonly Password[], options: IdentifyOptions = {}): Promise<number> {
    if (this.closed) throw new PoolClosedError();
    const r = resolveForVerify(stored, options.source);
    if (!r.ok) throw new UncheckableHashError(r.result, r.result === 'malformed' ? 'stored value is malformed' : 'scheme not recognised or not verifiable');
    if (candidates.length === 0) return -1;
    const { scheme, value } = r.resolved;
    const support = cryptSupport();
    if (scheme.addon === 'required' && !support.ok) throw new UncheckableHashError('unsupported', support.reason);
    if (scheme.addon && support.ok) return this.inWorkers(scheme.addonSetting?.(value) ?? value, scheme.speed, candidates);
    return this.onMainThread(scheme.verify, value, r.info, candidates);
  }

  private inWorkers(stored: string, speed: SchemeSpeed, candidates: readonly Password[]): Promise<number> {
    const max = WORKER_BATCH[speed];
    const size = Math.max(1, Math.min(max, Math.ceil(candidates.length / (this.jobs * 4))));
    return new Promise((resolve, reject) => {
      const best = new Int32Array(new SharedArrayBuffer(4));
      best[0] = NO_MATCH;
      const job: Job = {
        best,
        pending: Math.ceil(candidates.length / size),
        done: (err, i) => {
          if (job.settled) return;
          job.settled = true;
          this.running.delete(job);
          if (err) reject(err);
          else resolve(i);
        },
      };
      this.running.add(job);
      for (let first = 0; first < candidates.length; first += size) {
        this.queue.push({ job, stored, candidates: candidates.slice(first, first + size), first });
      }
      this.pump();
    });
  }

  private async onMainThread(
    check: (pw: Uint8Array, stored: string, info: never) => Promise<boolean | 'unsupported'>,
    stored: string,
    info: unknown,
    candidates: readonly Password[],
  ): Promise<number> {
    // A window of `jobs` at a time keeps PBKDF2 busy on libuv's threads; order decides the winner.
    for (let start = 0; start < candidates.length; start += this.jobs) {
      if (this.closed) throw new PoolClosedError();
      const window = candidates.slice(start, start + this.jobs);
      // A verifier that throws cannot say "no": the value is then not checkable, never "strong".
      const results = await Promise.all(
        window.map((c) => check(passwordBytes(c), stored, info as never).catch((): 'unsupported' => 'unsupported')),
      );
      if (results.includes('unsupported')) throw new UncheckableHashError('unsupported', 'this scheme variant cannot be verified here');
      const hit = results.indexOf(true);
      if (hit >= 0) return start + hit;
    }
    return -1;
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const task = this.queue[0]!;
      if (task.first >= Atomics.load(task.job.best, 0) || task.job.failed) {
        this.queue.shift(); // an earlier candidate already matched: this batch cannot win
        this.finish(task.job);
        continue;
      }
      const slot = this.idleSlot();
      if (!slot) return;
      this.queue.shift();
      slot.task = task;
      slot.worker.ref();
      const { message, transfer } = batchMessage(task);
      slot.worker.postMessage(message, transfer);
    }
  }

  private idleSlot(): Slot | undefined {
    const idle = this.slots.find((s) => s.task === null);
    if (idle || this.slots.length >= this.jobs) return idle;
    const slot: Slot = { worker: new Worker(WORKER_SOURCE, { eval: true, workerData: { addonPath: ADDON_PATH } }), task: null };
    slot.worker.on('message', (result: number) => this.settle(slot, result));
    slot.worker.on('error', (err) => this.crash(slot, err));
    this.slots.push(slot);
    return slot;
  }

  private settle(slot: Slot, result: number): void {
    const task = slot.task;
    slot.task = null;
    if (!this.closed) slot.worker.unref(); // an idle pool never keeps the process alive
    if (task) {
      if (result === -2) task.job.failed = 'libxcrypt refused the stored setting';
      if (result === -3) task.job.failed = 'the crypt(3) worker failed';
      this.finish(task.job);
    }
    this.pump();
  }

  private crash(slot: Slot, err: Error): void {
    this.slots.splice(this.slots.indexOf(slot), 1);
    if (slot.task) {
      slot.task.job.failed = `crypt(3) worker stopped: ${err.message}`;
      this.finish(slot.task.job);
    }
    this.pump();
  }

  private finish(job: Job): void {
    job.pending -= 1;
    if (job.pending > 0) return;
    if (job.failed) return job.done(new UncheckableHashError('unsupported', job.failed), -1);
    const index = Atomics.load(job.best, 0);
    job.done(null, index === NO_MATCH ? -1 : index);
  }

  /**
   * Stop: searches in flight end with PoolClosedError, and each worker stops before its next
   * candidate (terminate() cannot interrupt native code, so a worker is told through `best`
   * first; at most one guess per worker is still finished).
   */
  async close(): Promise<void> {
    this.closed = true;
    this.queue.length = 0;
    for (const job of [...this.running]) {
      Atomics.store(job.best, 0, STOP);
      job.done(new PoolClosedError(), -1);
    }
    // Referenced until they have exited: otherwise an otherwise idle process ends (exit 0)
    // while a worker is still finishing its last guess, and close() never returns.
    for (const s of this.slots) s.worker.ref();
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    this.slots.length = 0;
  }
}

/** A multi-core verifier for guessing loops. Call close() when done. */
export function createVerifierPool(options: VerifierPoolOptions = {}): VerifierPool {
  const jobs = Math.max(1, Math.floor(options.jobs ?? availableParallelism()));
  if (jobs > maxJobs()) throw new RangeError(`jobs ${jobs}: at most ${maxJobs()} on this machine (4 x its ${maxJobs() / 4} cores)`);
  cryptAddon(); // load once up front so cryptSupport() is settled before the first batch
  return new Pool(jobs);
}
