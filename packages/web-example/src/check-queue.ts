// Load shedding for the checks (POST /api/check): a check costs 5-30 ms of CPU on the event loop,
// so past saturation an unbounded backlog only makes every answer late. At most `size` checks are
// pending (running or waiting); one more is refused at once (the caller answers 503 with
// Retry-After) instead of joining the backlog. A check never starts in the I/O callback that
// brought it: checks start from setImmediate, after the event loop has read every request that
// arrived meanwhile. Otherwise each request would be checked to the end before the next socket is
// even read, the queue would never fill, and the backlog would build unseen in the kernel's
// socket buffers (the first version did exactly that under scripts/bench-web's overload).
import { availableParallelism } from 'node:os';

/** Pending checks per core by default: at ~170 checks/s a core, a full queue waits about 50 ms. */
export const QUEUE_PER_CORE = 8;

export function defaultQueueSize(cores = availableParallelism()): number {
  return QUEUE_PER_CORE * Math.max(1, cores);
}

/** The queue is full: the request was not started. */
export class QueueFull extends Error {
  constructor() {
    super('too many checks waiting');
    this.name = 'QueueFull';
  }
}

export class CheckQueue {
  private running = 0;
  private scheduled = false;
  private readonly waiting: Array<() => void> = [];

  /** `size`: checks pending at most, running ones included; `concurrency`: checks run at once. */
  constructor(readonly size: number = defaultQueueSize(), readonly concurrency = 1) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`queue size must be a whole number >= 1, got ${size}`);
  }

  /** Checks running or waiting now. */
  get pending(): number {
    return this.running + this.waiting.length;
  }

  /** True when run() would refuse now (the caller can shed before reading a request body). */
  get full(): boolean {
    return this.pending >= this.size;
  }

  /** Run `job` when its turn comes (never before the event loop turns); throws QueueFull at once when `size` checks are pending. */
  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.full) throw new QueueFull();
    await new Promise<void>((start) => {
      this.waiting.push(start);
      this.schedule();
    });
    try {
      return await job();
    } finally {
      this.running--;
      this.schedule();
    }
  }

  /** Start waiting jobs up to `concurrency`, from setImmediate: after pending I/O is read. */
  private schedule(): void {
    if (this.scheduled || this.running >= this.concurrency || this.waiting.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      while (this.running < this.concurrency && this.waiting.length > 0) {
        this.running++;
        (this.waiting.shift() as () => void)();
      }
    });
  }
}
