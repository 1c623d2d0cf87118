// Writing a store file: buckets and directory streamed out in key order, SHA-256 of the body and
// the header written last, the file renamed into place only when complete (@pwguard/files: a
// random O_EXCL temp file, every write checked, so a full disk never replaces a good store).
import { closeSync, constants, openSync, readSync, rmSync, statSync } from 'node:fs';
import { createHash, type Hash } from 'node:crypto';
import { join } from 'node:path';
import { AtomicFile, writeAll } from '@pwguard/files';
import { bucketBytes, bucketCrc, encodeBucket } from './bucket.js';
import { countCode, type CountCode } from './countcode.js';
import {
  ABS_BYTES, HEADER_BYTES, PER_BUCKET_DIR_BYTES, SUPER_SHIFT, bucketCount, encodeHeader, type StoreParams,
} from './format.js';
import { InputError } from './input.js';
import { fingerprint, type Fingerprint } from './lead.js';
import { WORDS } from './records.js';

const OUT_CHUNK = 4 << 20;

/** Thrown inside the direct path when the input is not strictly sorted: take the partition path. */
export class NotDirect extends Error {}

/** Where the temporary files of a build go, and why a failure there is not the store's. */
export const TEMP_HINT = 'the store was not replaced (--temp-dir can put temporary files on a larger disk)';

/** Sequential writer that hashes what it writes. */
class Writer {
  private readonly buf = new Uint8Array(OUT_CHUNK);
  private used = 0;
  written = 0;
  constructor(private readonly out: (chunk: Uint8Array) => void, private readonly hash: Hash) {}

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
    this.out(chunk);
    this.hash.update(chunk);
    this.buf.fill(0, 0, this.used);
    this.used = 0;
  }
}

export interface StoreTarget {
  readonly output: string;
  /** Input paths: the store is never written over one of them. */
  readonly inputs?: readonly string[];
  /** A private folder on the output's file system for the partial store (see BuildOptions.stageIn). */
  readonly stageIn?: string;
}

/**
 * Write the store: `feed` pushes the sorted entries into the assembler; `accept` sees the final
 * parameters before the file replaces `output` (the direct path's estimate check).
 */
export function writeStore(
  to: StoreTarget, params0: Omit<StoreParams, 'dataBytes'>, temp: string, progress: (done: number) => void,
  feed: (assembler: BucketAssembler) => void, accept: (p: StoreParams) => boolean,
) {
  const file = AtomicFile.create(to.output, {
    mode: 0o644, what: 'breach store', ...(to.inputs ? { inputs: to.inputs } : {}), ...(to.stageIn ? { stageIn: to.stageIn } : {}),
  });
  const dirPath = join(temp, 'directory');
  let dirFd: number | undefined;
  try {
    const body = createHash('sha256');
    file.write(Buffer.alloc(HEADER_BYTES)); // placeholder, sequential: later writes follow it
    const data = new Writer((chunk) => file.write(chunk), body);
    dirFd = openSync(dirPath, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
    const fd = dirFd;
    const dir = new Writer((chunk) => writeAll(fd, chunk, dirPath, { what: 'temporary file', after: TEMP_HINT }), createHash('sha256'));
    const assembler = new BucketAssembler({ ...params0, dataBytes: 0 }, data, dir, progress);
    feed(assembler);
    const params: StoreParams = assembler.finish();
    if (!accept(params)) throw new NotDirect();
    data.flush();
    dir.flush();
    closeSync(dirFd);
    dirFd = undefined;
    copyInto(dirPath, file, body);
    const dirBytes = dir.written;
    file.write(encodeHeader(params, dirBytes, body.digest()).subarray(0, HEADER_BYTES), 0);
    file.commit();
    return { params, bytes: statSync(to.output).size };
  } catch (err) {
    file.abort();
    throw err;
  } finally {
    if (dirFd !== undefined) closeSync(dirFd);
    rmSync(dirPath, { force: true }); // the direct path may fall back and write it again
  }
}

function copyInto(path: string, file: AtomicFile, hash: Hash): void {
  const src = openSync(path, 'r');
  const buf = Buffer.alloc(OUT_CHUNK);
  try {
    for (;;) {
      const got = readSync(src, buf, 0, buf.length, null);
      if (got === 0) return;
      file.write(buf.subarray(0, got));
      hash.update(buf.subarray(0, got));
    }
  } finally {
    closeSync(src);
  }
}

/** Collects the sorted record stream into buckets and writes each bucket and its directory entry. */
export class BucketAssembler {
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
