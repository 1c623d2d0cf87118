// The general build path's temporary storage: records (the digest's first 96 bits and the count,
// 16 bytes) spread over 2^p partition files by their top digest bits, each sorted and merged in
// memory on its own. Memory stays bounded by PARTITION_TARGET and BUFFER_POOL. They live in the
// build's private mkdtemp folder (0700, random name): nobody else can plant a file there.
import { appendFileSync, closeSync, openSync, readFileSync, readSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFailed } from '@pwguard/files';
import { TEMP_HINT } from './writer.js';
import { WORDS, mergeRepeats, sortRecords, strictlySorted } from './records.js';

/** Partition files hold at most about this many bytes of records (for inputs up to 64 GiB of text). */
const PARTITION_TARGET = 32 << 20;
/** Write buffers of all partitions together. */
const BUFFER_POOL = 32 << 20;
const MAX_PARTITION_BITS = 12;

export function partitionBits(totalBytes: number): number {
  // Plaintext lines can be as short as 8 bytes, each a 16-byte record.
  const recordBytes = totalBytes * 2;
  return Math.min(MAX_PARTITION_BITS, Math.max(0, Math.ceil(Math.log2(recordBytes / PARTITION_TARGET))));
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

  constructor(readonly dir: string, readonly bits: number) {
    this.count = 1 << bits;
    this.capacity = Math.max(256, Math.floor(BUFFER_POOL / this.count / (WORDS * 4)));
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
    const part = this.bits === 0 ? 0 : w0 >>> (32 - this.bits);
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

export function sortPartitions(parts: Partitions, onSorted: (done: number, total: number) => void): number {
  let entries = 0;
  for (let i = 0; i < parts.count; i++) {
    const raw = readFileSync(parts.file(i));
    const n = raw.length / (WORDS * 4);
    let records: Uint32Array = new Uint32Array(n * WORDS); // a copy: the file buffer may not be 4-byte aligned
    new Uint8Array(records.buffer).set(raw);
    if (!strictlySorted(records, n)) {
      records = sortRecords(records, n);
      const kept = mergeRepeats(records, n);
      checked(parts.file(i), () => writeFileSync(parts.file(i), new Uint8Array(records.buffer, records.byteOffset, kept * WORDS * 4)));
      entries += kept;
    } else {
      entries += n;
    }
    onSorted(i + 1, parts.count);
  }
  return entries;
}

export function streamPartition(path: string, assembler: { add(r: Uint32Array, at: number): void }): void {
  const fd = openSync(path, 'r');
  const chunk = new Uint32Array((1 << 20) * WORDS);
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
