// Building a store: read every input into partition files of records (by the digest's top bits),
// sort and merge each partition unless the input arrived sorted, then write buckets in order.
// Memory stays bounded: see PARTITION_TARGET and BUFFER_POOL, and docs/breach.md.
import { appendFileSync, closeSync, mkdtempSync, openSync, readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { createHash, type Hash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { bucketBytes, bucketCrc, encodeBucket } from './bucket.js';
import { countCode, type CountCode } from './countcode.js';
import {
  ABS_BYTES, HEADER_BYTES, MAX_ENTRIES, PER_BUCKET_DIR_BYTES, SUPER_SHIFT, bucketCount, chooseParams, encodeHeader,
  falsePositiveRate, type StoreParams,
} from './format.js';
import { InputError, readSource, resolveInput, type Input, type InputKind, type ReadStats, type Sink } from './input.js';
import { passwordHasher, type HashKind } from './kinds.js';
import { fingerprint, type Fingerprint } from './lead.js';
import { WORDS, compare, mergeRepeats, sortRecords, strictlySorted } from './records.js';

export interface BuildOptions {
  /** HIBP files, HIBP range folders, or plaintext wordlists. */
  readonly inputs: readonly string[];
  readonly output: string;
  /** Declared kind of every input; detected from each file's first line when absent. */
  readonly kind?: InputKind;
  /** Kind of store to build when only plaintext is given (default sha1). */
  readonly storeKind?: HashKind;
  /** Bits of the log-scale count code, 0..8 (default 7). */
  readonly countBits?: number;
  /** Target false-positive rate (default 1e-9). */
  readonly fpRate?: number;
  /** Where the temporary partition files go (default the system temp folder). */
  readonly tempDir?: string;
  readonly onProgress?: (p: BuildProgress) => void;
  readonly onWarning?: (message: string) => void;
}

export interface BuildProgress {
  readonly phase: 'read' | 'sort' | 'write';
  readonly done: number;
  readonly total: number;
  /** What done/total count: input bytes, partitions, or entries. */
  readonly unit: 'bytes' | 'partitions' | 'entries';
  readonly lines: number;
}

export interface BuildResult {
  readonly kind: HashKind;
  readonly entries: number;
  readonly lines: number;
  readonly skipped: number;
  readonly bytes: number;
  readonly bytesPerEntry: number;
  readonly falsePositiveRate: number;
  /** True when the input arrived sorted without repeats (no sort pass). */
  readonly sortedInput: boolean;
}

/** Partition files hold at most about this many bytes of records (for inputs up to 64 GiB of text). */
const PARTITION_TARGET = 32 << 20;
/** Write buffers of all partitions together. */
const BUFFER_POOL = 32 << 20;
const MAX_PARTITION_BITS = 12;
const OUT_CHUNK = 4 << 20;

export async function buildStore(options: BuildOptions): Promise<BuildResult> {
  const warn = options.onWarning ?? (() => {});
  if (options.inputs.length === 0) throw new InputError('(no input)', undefined, 'give at least one input file or folder');
  const inputs = options.inputs.map((p) => resolveInput(p, options.kind, warn));
  const kind = storeKindOf(inputs, options.storeKind);
  const countBits = options.countBits ?? 7;
  countCode(countBits); // validates
  const hasher = await passwordHasher(kind);
  const temp = mkdtempSync(join(options.tempDir ?? tmpdir(), 'pwguard-breach-'));
  try {
    const totalBytes = inputs.reduce((s, i) => s + i.sources.reduce((t, x) => t + x.bytes, 0), 0);
    return buildDirect(inputs, options, kind, countBits, hasher, temp, totalBytes) ??
      buildSorted(inputs, options, kind, countBits, hasher, temp, totalBytes);
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

type Hasher = (pw: Uint8Array) => Uint8Array;

/** Thrown inside the direct path when the input is not strictly sorted: take the partition path. */
class NotDirect extends Error {}

/**
 * The fast path for sorted hash files (HIBP's own order): parameters from an estimate of the entry
 * count (input bytes / sampled line length, plus 3%), then one pass, input straight to buckets.
 * Falls back (undefined) when the input is out of order, has repeats or plaintext, or the
 * estimate was too low (the false-positive bound would not hold) or far too high (wasted bits).
 */
function buildDirect(inputs: readonly Input[], o: BuildOptions, kind: HashKind, countBits: number, hasher: Hasher, temp: string, totalBytes: number): BuildResult | undefined {
  if (inputs.some((i) => i.kind === 'plaintext')) return undefined;
  const estimate = Math.ceil(totalBytes * sampledLinesPerByte(inputs) * 1.03) + 64;
  if (estimate > MAX_ENTRIES) return undefined;
  const params = chooseParams(kind, estimate, countBits, o.fpRate ?? 1e-9);
  const stats: ReadStats = { lines: 0, entries: 0, skipped: 0 };
  try {
    const written = writeStore(o.output, params, temp, () => {}, (assembler) => {
      readAll(inputs, o, hasher, (w0, w1, w2, count) => {
        if (!assembler.addWords(w0, w1, w2, count)) throw new NotDirect();
      }, stats, totalBytes);
    }, (p) => p.entries <= estimate && p.entries * 1.1 >= estimate);
    return result(kind, written, stats, true);
  } catch (err) {
    if (err instanceof NotDirect) return undefined;
    throw err;
  }
}

/** Input lines per byte, from up to 1 MiB of the first sources. */
function sampledLinesPerByte(inputs: readonly Input[]): number {
  let bytes = 0;
  let lines = 0;
  const buf = Buffer.alloc(1 << 20);
  for (const source of inputs.flatMap((i) => i.sources).slice(0, 64)) {
    const fd = openSync(source.path, 'r');
    try {
      const got = readSync(fd, buf, 0, buf.length - bytes, 0);
      const whole = got === source.bytes ? got : buf.lastIndexOf(10, got - 1) + 1;
      for (let at = buf.indexOf(10); at >= 0 && at < whole; at = buf.indexOf(10, at + 1)) lines++;
      bytes += whole;
    } finally {
      closeSync(fd);
    }
    if (bytes >= buf.length) break;
  }
  return bytes > 0 ? lines / bytes : 0;
}

/** The general path: partition files, sorted and merged unless the input arrived sorted. */
function buildSorted(inputs: readonly Input[], o: BuildOptions, kind: HashKind, countBits: number, hasher: Hasher, temp: string, totalBytes: number): BuildResult {
  const parts = new Partitions(temp, partitionBits(totalBytes));
  const stats: ReadStats = { lines: 0, entries: 0, skipped: 0 };
  readAll(inputs, o, hasher, parts.push.bind(parts), stats, totalBytes);
  parts.flush();
  const sortedInput = parts.sorted;
  const entries = sortedInput ? parts.records : sortPartitions(parts, o, stats.lines);
  if (entries === 0) throw new InputError(o.inputs.join(', '), undefined, 'no entries found');
  if (entries > MAX_ENTRIES) throw new InputError(o.inputs.join(', '), undefined, `${entries} entries: a store holds at most ${MAX_ENTRIES}`);
  const params = chooseParams(kind, entries, countBits, o.fpRate ?? 1e-9);
  const progress = (done: number): void => o.onProgress?.({ phase: 'write', done, total: entries, unit: 'entries', lines: stats.lines });
  const written = writeStore(o.output, params, temp, progress, (assembler) => {
    for (let i = 0; i < parts.count; i++) streamPartition(parts.file(i), assembler);
  }, () => true);
  return result(kind, written, stats, sortedInput);
}

function result(kind: HashKind, written: { params: StoreParams; bytes: number }, stats: ReadStats, sortedInput: boolean): BuildResult {
  return {
    kind, entries: written.params.entries, lines: stats.lines, skipped: stats.skipped, bytes: written.bytes,
    bytesPerEntry: written.bytes / written.params.entries, falsePositiveRate: falsePositiveRate(written.params), sortedInput,
  };
}

function storeKindOf(inputs: readonly Input[], wanted: HashKind | undefined): HashKind {
  let kind = wanted;
  let from: string | undefined;
  for (const input of inputs) {
    if (input.kind === 'plaintext') continue;
    if (kind && kind !== input.kind) {
      const why = from ? `${from} holds ${kind} hashes` : `the store kind asked for is ${kind}`;
      throw new InputError(input.path, undefined, `holds ${input.kind} hashes, but ${why}: a store holds one kind`);
    }
    kind = input.kind;
    from ??= input.path;
  }
  return kind ?? 'sha1';
}

function partitionBits(totalBytes: number): number {
  // Plaintext lines can be as short as 8 bytes, each a 16-byte record.
  const recordBytes = totalBytes * 2;
  return Math.min(MAX_PARTITION_BITS, Math.max(0, Math.ceil(Math.log2(recordBytes / PARTITION_TARGET))));
}

function readAll(inputs: readonly Input[], o: BuildOptions, hasher: Hasher, sink: Sink, stats: ReadStats, total: number): void {
  let done = 0;
  let last = 0;
  const onBytes = (n: number): void => {
    done += n;
    const now = Date.now();
    if (o.onProgress && now - last >= 200) {
      last = now;
      o.onProgress({ phase: 'read', done, total, unit: 'bytes', lines: stats.lines });
    }
  };
  for (const input of inputs) {
    for (const source of input.sources) readSource(source, input.kind, o.kind === 'plaintext', hasher, sink, stats, onBytes);
  }
  o.onProgress?.({ phase: 'read', done, total, unit: 'bytes', lines: stats.lines });
}

/** Records spread over 2^bits files by their top digest bits, with write buffers. */
class Partitions {
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
      writeFileSync(this.file(i), '');
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
    appendFileSync(this.file(part), new Uint8Array(buf.buffer, 0, n * WORDS * 4));
    this.fill[part] = 0;
  }

  flush(): void {
    for (let i = 0; i < this.count; i++) this.flushOne(i);
    this.buffers.length = 0;
  }
}

function sortPartitions(parts: Partitions, o: BuildOptions, lines: number): number {
  let entries = 0;
  for (let i = 0; i < parts.count; i++) {
    const raw = readFileSync(parts.file(i));
    const n = raw.length / (WORDS * 4);
    let records: Uint32Array = new Uint32Array(n * WORDS); // a copy: the file buffer may not be 4-byte aligned
    new Uint8Array(records.buffer).set(raw);
    if (!strictlySorted(records, n)) {
      records = sortRecords(records, n);
      const kept = mergeRepeats(records, n);
      writeFileSync(parts.file(i), new Uint8Array(records.buffer, records.byteOffset, kept * WORDS * 4));
      entries += kept;
    } else {
      entries += n;
    }
    o.onProgress?.({ phase: 'sort', done: i + 1, total: parts.count, unit: 'partitions', lines });
  }
  return entries;
}

/** Sequential writer that hashes what it writes. */
class Writer {
  private readonly buf = new Uint8Array(OUT_CHUNK);
  private used = 0;
  written = 0;
  constructor(private readonly fd: number, private readonly hash: Hash) {}

  /** Room for `bytes` zeroed bytes; returns the buffer and offset to fill. */
  reserve(bytes: number): { buf: Uint8Array; at: number } {
    if (this.used + bytes > this.buf.length) this.flush();
    if (bytes > this.buf.length) throw new RangeError(`a bucket of ${bytes} bytes`);
    const at = this.used;
    this.used += bytes;
    this.written += bytes;
    return { buf: this.buf, at };
  }

  flush(): void {
    if (this.used === 0) return;
    const chunk = this.buf.subarray(0, this.used);
    writeSync(this.fd, chunk);
    this.hash.update(chunk);
    this.buf.fill(0, 0, this.used);
    this.used = 0;
  }
}

/**
 * Write the store: `feed` pushes the sorted entries into the assembler; `accept` sees the final
 * parameters before the file replaces `output` (the direct path's estimate check).
 */
function writeStore(
  output: string, params0: Omit<StoreParams, 'dataBytes'>, temp: string, progress: (done: number) => void,
  feed: (assembler: BucketAssembler) => void, accept: (p: StoreParams) => boolean,
) {
  const target = resolve(output);
  const partial = join(dirname(target), `.${target.split('/').pop()}.partial-${process.pid}`);
  const fd = openSync(partial, 'w', 0o644);
  try {
    const body = createHash('sha256');
    writeSync(fd, Buffer.alloc(HEADER_BYTES)); // placeholder, sequential: later writes follow it
    const data = new Writer(fd, body);
    const dirPath = join(temp, 'directory');
    const dirFd = openSync(dirPath, 'w');
    const dir = new Writer(dirFd, createHash('sha256'));
    const assembler = new BucketAssembler({ ...params0, dataBytes: 0 }, data, dir, progress);
    feed(assembler);
    const params: StoreParams = assembler.finish();
    if (!accept(params)) throw new NotDirect();
    data.flush();
    dir.flush();
    closeSync(dirFd);
    copyInto(dirPath, fd, body);
    const dirBytes = dir.written;
    writeSync(fd, encodeHeader(params, dirBytes, body.digest()), 0, HEADER_BYTES, 0);
    closeSync(fd);
    renameSync(partial, target);
    return { params, bytes: statSync(target).size };
  } catch (err) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
    rmSync(partial, { force: true });
    throw err;
  }
}

function streamPartition(path: string, assembler: BucketAssembler): void {
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

function copyInto(path: string, fd: number, hash: Hash): void {
  const src = openSync(path, 'r');
  const buf = Buffer.alloc(OUT_CHUNK);
  try {
    for (;;) {
      const got = readSync(src, buf, 0, buf.length, null);
      if (got === 0) return;
      writeSync(fd, buf, 0, got);
      hash.update(buf.subarray(0, got));
    }
  } finally {
    closeSync(src);
  }
}

/** Collects the sorted record stream into buckets and writes each bucket and its directory entry. */
class BucketAssembler {
  private current = 0;
  private n = 0;
  private highs = new Uint32Array(1024);
  private lows = new Uint32Array(1024);
  private codes = new Uint8Array(1024);
  private readonly fp: Fingerprint = { bucket: 0, high: 0, low: 0 };
  private readonly lead = { w0: 0, w1: 0, w2: 0 };
  private readonly code: CountCode;
  private readonly buckets: number;
  private superStart = 0;
  private dirRecord: { buf: Uint8Array; at: number } | undefined;
  private entries = 0;
  private added = 0;
  private readonly prev = new Uint32Array(WORDS);

  constructor(private readonly p: StoreParams, private readonly data: Writer, private readonly dir: Writer, private readonly progress: (done: number) => void) {
    this.code = countCode(p.countBits);
    this.buckets = bucketCount(p);
  }

  add(r: Uint32Array, at: number): void {
    if (!this.addWords(r[at] as number, r[at + 1] as number, r[at + 2] as number, r[at + 3] as number)) throw new Error('internal: records out of order');
  }

  /** Add the next entry; false (nothing added) when it is not after the previous one. */
  addWords(w0: number, w1: number, w2: number, count: number): boolean {
    const p = this.prev;
    if (this.added > 0 && (w0 !== p[0] ? w0 < (p[0] as number) : w1 !== p[1] ? w1 < (p[1] as number) : w2 <= (p[2] as number))) return false;
    this.lead.w0 = p[0] = w0;
    this.lead.w1 = p[1] = w1;
    this.lead.w2 = p[2] = w2;
    const fp = fingerprint(this.p, this.lead, this.fp);
    while (fp.bucket > this.current) this.closeBucket();
    if (this.n === this.highs.length) this.grow();
    this.highs[this.n] = fp.high;
    this.lows[this.n] = fp.low;
    this.codes[this.n] = this.code.encode(count);
    this.n++;
    if (++this.added % 1_000_000 === 0) this.progress(this.added);
    return true;
  }

  finish(): StoreParams {
    while (this.current < this.buckets) this.closeBucket();
    this.progress(this.added);
    return { ...this.p, entries: this.entries, dataBytes: this.data.written };
  }

  private grow(): void {
    const size = this.highs.length * 2;
    const highs = new Uint32Array(size);
    highs.set(this.highs);
    const lows = new Uint32Array(size);
    lows.set(this.lows);
    const codes = new Uint8Array(size);
    codes.set(this.codes);
    this.highs = highs;
    this.lows = lows;
    this.codes = codes;
  }

  private closeBucket(): void {
    const n = this.orderAndMerge();
    const bytes = bucketBytes(this.p, n);
    const j = this.current;
    const inSuper = j & ((1 << SUPER_SHIFT) - 1);
    if (inSuper === 0) {
      this.superStart = this.data.written;
      const perSuper = Math.min(1 << SUPER_SHIFT, this.buckets);
      this.dirRecord = this.dir.reserve(ABS_BYTES + PER_BUCKET_DIR_BYTES * perSuper);
      const view = new DataView(this.dirRecord.buf.buffer, this.dirRecord.at);
      view.setUint32(0, this.superStart % 4294967296, true);
      view.setUint32(4, Math.floor(this.superStart / 4294967296), true);
    }
    const out = this.data.reserve(bytes);
    encodeBucket(this.p, out.buf, out.at, n, this.highs, this.lows, this.codes);
    const end = this.data.written - this.superStart;
    if (end > 0xffff) throw new InputError('(input)', undefined, `bucket ${j} is far over the expected size: the digests are not uniformly distributed (were they made by SHA-1/NTLM?)`);
    const record = this.dirRecord as { buf: Uint8Array; at: number };
    const view = new DataView(record.buf.buffer, record.at);
    view.setUint16(ABS_BYTES + PER_BUCKET_DIR_BYTES * inSuper, end, true);
    view.setUint16(ABS_BYTES + PER_BUCKET_DIR_BYTES * inSuper + 2, bucketCrc(j, out.buf, out.at, bytes), true);
    this.entries += n;
    this.n = 0;
    this.current++;
  }

  /**
   * Keys are monotone in the digest, so the entries arrive in (high, low) order; the insertion
   * sort only guards that (it is linear on sorted input). Digests that share a fingerprint become
   * one entry with the larger count.
   */
  private orderAndMerge(): number {
    const { highs, lows, codes } = this;
    for (let i = 1; i < this.n; i++) {
      const h = highs[i] as number;
      const l = lows[i] as number;
      const c = codes[i] as number;
      let j = i - 1;
      while (j >= 0 && ((highs[j] as number) > h || ((highs[j] as number) === h && (lows[j] as number) > l))) {
        highs[j + 1] = highs[j] as number;
        lows[j + 1] = lows[j] as number;
        codes[j + 1] = codes[j] as number;
        j--;
      }
      highs[j + 1] = h;
      lows[j + 1] = l;
      codes[j + 1] = c;
    }
    let out = 0;
    for (let i = 0; i < this.n; i++) {
      if (out > 0 && highs[out - 1] === highs[i] && lows[out - 1] === lows[i]) {
        codes[out - 1] = Math.max(codes[out - 1] as number, codes[i] as number);
        continue;
      }
      highs[out] = highs[i] as number;
      lows[out] = lows[i] as number;
      codes[out] = codes[i] as number;
      out++;
    }
    return out;
  }
}
