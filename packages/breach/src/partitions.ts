// The general build path's temporary storage: records (the digest's first 96 bits and the count,
// 16 bytes) spread over partition files by their top digest bits, each sorted and merged in
// memory on its own. Memory stays within a budget (BuildOptions.memoryBytes): the write buffers of
// all partitions share a quarter of it, and a partition is sorted in memory only when it and its
// sort scratch fit in two thirds; a bigger one is split again by its next digest bits, on disk,
// until every piece fits (so the bound holds at any input size). They live in the build's private
// mkdtemp folder (0700, random name): nobody else can plant a file there.
import { appendFileSync, closeSync, mkdirSync, openSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFailed } from '@pwguard/files';
import { TEMP_HINT } from './writer.js';
import { WORDS, mergeRepeats, sortRecords, strictlySorted } from './records.js';

/** The default working-memory budget of a build (sort and buffers), without Node's own. */
export const DEFAULT_MEMORY = 96 << 20;
/** The smallest budget accepted (tests use it to force splitting at small sizes). */
export const MIN_MEMORY = 256 << 10;
const MAX_PARTITION_BITS = 12;
/** A partition's write buffer is never smaller than this (fewer partitions instead). */
const MIN_BUFFER = 16 << 10;
const RECORD_BYTES = WORDS * 4;

/** How a memory budget is spent. */
export interface MemoryPlan {
  /** Records of one partition sorted in memory at once, in bytes (its sort scratch is as big again). */
  readonly sortBytes: number;
  /** Write buffers of all partitions together. */
  readonly bufferBytes: number;
}

export function memoryPlan(memoryBytes = DEFAULT_MEMORY): MemoryPlan {
  if (!(memoryBytes >= MIN_MEMORY)) throw new RangeError(`a build needs at least ${MIN_MEMORY >> 10} KiB of memory, got ${memoryBytes} bytes`);
  return { sortBytes: Math.floor(memoryBytes / 3 / RECORD_BYTES) * RECORD_BYTES, bufferBytes: Math.floor(memoryBytes / 4) };
}

/** First-level partition bits for `totalBytes` of input: as many as the buffers allow, at most 2^12. */
export function partitionBits(totalBytes: number, plan: MemoryPlan = memoryPlan()): number {
  // Plaintext lines can be as short as 8 bytes, each a 16-byte record.
  const recordBytes = totalBytes * 2;
  const wanted = Math.max(0, Math.ceil(Math.log2(recordBytes / plan.sortBytes)));
  const buffers = Math.max(0, Math.floor(Math.log2(plan.bufferBytes / MIN_BUFFER)));
  return Math.min(MAX_PARTITION_BITS, buffers, wanted);
}

/** `bits` bits of the 96-bit digest (w0 w1 w2) starting `shift` bits from its top (shift + bits <= 96, bits <= 31). */
export function digestBits(w0: number, w1: number, w2: number, shift: number, bits: number): number {
  if (bits === 0) return 0;
  let top: number; // the 32 bits starting at `shift`
  if (shift === 0) top = w0;
  else if (shift < 32) top = ((w0 << shift) | (w1 >>> (32 - shift))) >>> 0;
  else if (shift === 32) top = w1;
  else if (shift < 64) top = ((w1 << (shift - 32)) | (w2 >>> (64 - shift))) >>> 0;
  else top = (w2 << (shift - 64)) >>> 0;
  return top >>> (32 - bits);
}

/** Records spread over 2^bits files by their top digest bits, with write buffers. */
export class Partitions {
  readonly count: number;
  records = 0;
  sorted = true;
  private readonly buffers: Uint32Array[] = [];
  private readonly fill: number[] = [];
  private readonly capacity: number;
  private prev = new Uint32Array(3);

  /** Records go to partition digestBits(shift, bits): the first level has shift 0. */
  constructor(readonly dir: string, readonly bits: number, bufferBytes: number, readonly shift = 0) {
    this.count = 1 << bits;
    this.capacity = Math.max(256, Math.floor(bufferBytes / this.count / RECORD_BYTES));
    for (let i = 0; i < this.count; i++) {
      checked(this.file(i), () => writeFileSync(this.file(i), '', { flag: 'wx', mode: 0o600 }));
      this.fill.push(0);
    }
  }

  file(i: number): string {
    return join(this.dir, `p${i}`);
  }

  push(w0: number, w1: number, w2: number, count: number): void {
    if (this.sorted && this.records > 0) {
      const p = this.prev;
      const order = w0 !== p[0] ? w0 - (p[0] as number) : w1 !== p[1] ? w1 - (p[1] as number) : w2 - (p[2] as number);
      if (order <= 0) this.sorted = false;
    }
    this.prev[0] = w0;
    this.prev[1] = w1;
    this.prev[2] = w2;
    this.records++;
    const part = digestBits(w0, w1, w2, this.shift, this.bits);
    let buf = this.buffers[part];
    if (!buf) {
      buf = new Uint32Array(Math.min(this.capacity, 4096) * WORDS);
      this.buffers[part] = buf;
    }
    const at = (this.fill[part] as number) * WORDS;
    buf[at] = w0;
    buf[at + 1] = w1;
    buf[at + 2] = w2;
    buf[at + 3] = count;
    this.fill[part] = (this.fill[part] as number) + 1;
    if (this.fill[part] * WORDS === buf.length) {
      // Buffers start small (small inputs stay cheap) and double up to their share of the pool.
      if (buf.length < this.capacity * WORDS) {
        const bigger = new Uint32Array(Math.min(this.capacity * WORDS, buf.length * 2));
        bigger.set(buf);
        this.buffers[part] = bigger;
      } else {
        this.flushOne(part);
      }
    }
  }

  flushOne(part: number): void {
    const buf = this.buffers[part];
    const n = this.fill[part] as number;
    if (!buf || n === 0) return;
    checked(this.file(part), () => appendFileSync(this.file(part), new Uint8Array(buf.buffer, 0, n * WORDS * 4)));
    this.fill[part] = 0;
  }

  flush(): void {
    for (let i = 0; i < this.count; i++) this.flushOne(i);
    this.buffers.length = 0;
  }
}

/** Node's writeFileSync/appendFileSync finish short writes; a full disk becomes one clear error. */
function checked(path: string, write: () => void): void {
  try {
    write();
  } catch (err) {
    throw writeFailed(err, path, 'temporary file', TEMP_HINT);
  }
}

/** What sorting held in memory at most, for the bound's test. */
export interface SortStats {
  /** Bytes of records and sort scratch held at once. */
  peakBytes: number;
  /** Partitions that were too big and were split again on disk. */
  splits: number;
}

/** Sort and merge every partition file in place; returns the number of distinct entries. */
export function sortPartitions(parts: Partitions, plan: MemoryPlan, onSorted: (done: number, total: number) => void, stats: SortStats): number {
  let entries = 0;
  for (let i = 0; i < parts.count; i++) {
    entries += sortFile(parts.file(i), parts.shift + parts.bits, plan, stats);
    onSorted(i + 1, parts.count);
  }
  return entries;
}

/**
 * Sort the records of one file (all sharing their first `shift` digest bits) in place. Too big
 * for the budget: split it by its next bits into sub-files (streamed, one chunk in memory), sort
 * each, and append them back in order.
 */
function sortFile(path: string, shift: number, plan: MemoryPlan, stats: SortStats): number {
  const bytes = statSync(path).size;
  const n = bytes / RECORD_BYTES;
  if (bytes > plan.sortBytes && shift < 96 - 8) {
    stats.splits++;
    const bits = Math.min(MAX_PARTITION_BITS, 96 - shift, Math.max(1, Math.ceil(Math.log2(bytes / plan.sortBytes)) + 1),
      Math.max(1, Math.floor(Math.log2(plan.bufferBytes / MIN_BUFFER))));
    const dir = `${path}.d`;
    checked(dir, () => mkdirSync(dir, { mode: 0o700 }));
    const sub = new Partitions(dir, bits, plan.bufferBytes, shift);
    const chunkRecords = Math.max(1, Math.floor(Math.min(plan.sortBytes, 1 << 20) / RECORD_BYTES));
    stats.peakBytes = Math.max(stats.peakBytes, chunkRecords * RECORD_BYTES + plan.bufferBytes);
    forEachChunk(path, chunkRecords, (r, count) => {
      for (let k = 0; k < count; k++) sub.push(r[k * WORDS] as number, r[k * WORDS + 1] as number, r[k * WORDS + 2] as number, r[k * WORDS + 3] as number);
    });
    sub.flush();
    checked(path, () => writeFileSync(path, ''));
    let entries = 0;
    for (let i = 0; i < sub.count; i++) {
      entries += sortFile(sub.file(i), shift + bits, plan, stats);
      forEachChunk(sub.file(i), chunkRecords, (r, count) => {
        checked(path, () => appendFileSync(path, new Uint8Array(r.buffer, 0, count * RECORD_BYTES)));
      });
      rmSync(sub.file(i), { force: true });
    }
    rmSync(dir, { recursive: true, force: true });
    return entries;
  }
  // Read straight into the word array (no second copy); the sort's scratch is as big again.
  let records: Uint32Array = new Uint32Array(n * WORDS);
  readInto(path, new Uint8Array(records.buffer));
  if (strictlySorted(records, n)) {
    stats.peakBytes = Math.max(stats.peakBytes, bytes);
    return n;
  }
  stats.peakBytes = Math.max(stats.peakBytes, 2 * bytes);
  records = sortRecords(records, n);
  const kept = mergeRepeats(records, n);
  checked(path, () => writeFileSync(path, new Uint8Array(records.buffer, records.byteOffset, kept * WORDS * 4)));
  return kept;
}

function readInto(path: string, into: Uint8Array): void {
  const fd = openSync(path, 'r');
  try {
    for (let at = 0; at < into.length;) {
      const got = readSync(fd, into, at, into.length - at, at);
      if (got === 0) throw new Error(`${path}: temporary file shorter than expected`);
      at += got;
    }
  } finally {
    closeSync(fd);
  }
}

function forEachChunk(path: string, chunkRecords: number, each: (records: Uint32Array, count: number) => void): void {
  const chunk = new Uint32Array(chunkRecords * WORDS);
  const bytes = new Uint8Array(chunk.buffer);
  const fd = openSync(path, 'r');
  try {
    let have = 0;
    for (;;) {
      const got = readSync(fd, bytes, have, bytes.length - have, null);
      have += got;
      if (got === 0 || have === bytes.length) {
        const whole = Math.floor(have / RECORD_BYTES);
        if (whole > 0) each(chunk, whole);
        if (got === 0) return;
        have = 0;
      }
    }
  } finally {
    closeSync(fd);
  }
}

export function streamPartition(path: string, assembler: { add(r: Uint32Array, at: number): void }): void {
  const fd = openSync(path, 'r');
  const chunk = new Uint32Array((1 << 16) * WORDS); // 1 MiB
  const bytes = new Uint8Array(chunk.buffer);
  try {
    for (;;) {
      const got = readSync(fd, bytes, 0, bytes.length, null);
      if (got === 0) return;
      const n = got / (WORDS * 4);
      for (let i = 0; i < n; i++) assembler.add(chunk, i * WORDS);
    }
  } finally {
    closeSync(fd);
  }
}
