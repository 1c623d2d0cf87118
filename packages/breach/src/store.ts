// Opening a store and looking digests up in it. A cold lookup makes two small preads (one
// directory record slice, one bucket); a preloaded store answers from memory.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { createHash } from 'node:crypto';
import type { BreachLookup } from '@pwguard/strength';
import { bucketCrc, bucketEntries, bucketEntriesOf, lookupInBucket } from './bucket.js';
import { fingerprint, fingerprintString, hexWord, type Fingerprint } from './lead.js';
import { countCode, type CountCode } from './countcode.js';
import { groupDigits } from './digits.js';
import {
  ABS_BYTES, HEADER_BYTES, PER_BUCKET_DIR_BYTES, SUPER_SHIFT, StoreError, bucketCount, bucketsPerSuper, decodeHeader,
  entryBits, falsePositiveRate, superRecordBytes, type Header,
} from './format.js';
import { HEX_LENGTH, isDigestHex, leadFromDigest, leadFromHex, passwordHasher, type HashKind, type Lead } from './kinds.js';

export interface OpenOptions {
  /**
   * Read the whole file into memory (and check its body checksum) for batch lookups; otherwise
   * each lookup reads two small blocks. Files over 2 GiB are loaded in overlapping chunks.
   */
  readonly preload?: boolean;
}

export interface RangeEntry {
  readonly suffix: string;
  readonly count: number;
}

/** A breached-password store on disk. */
export interface BreachStore extends BreachLookup {
  readonly path: string;
  readonly kind: HashKind;
  readonly entries: number;
  readonly header: Header;
  /** Expected false-positive rate for a password that is not in the store. */
  readonly falsePositiveRate: number;
  count(password: string): Promise<number>;
  /** Count for a digest of the store's kind (hex, either case); 0 when absent. */
  countDigest(hex: string): number;
  /** Counts for many digests given as their leading words (w0, w1, w2 for each). */
  countLeads(leads: Uint32Array): Float64Array;
  /** Counts for one hex digest per line of `text`; NaN for a malformed line. */
  countDigestLines(text: Uint8Array): Float64Array;
  /** Entries whose digest starts with `prefix` (5 hex digits): see docs/breach.md for matching. */
  range(prefix: string): RangeEntry[];
  close(): void;
}

const PAD = 8;
const CHUNK = 2 ** 30;
/** No superblock's data exceeds this: its end offsets are 16-bit. */
const MAX_SUPER_DATA = 0x10000;

/** Where a store's bytes come from: the file (cold) or memory (preloaded). */
interface Source {
  /** The whole file, when preloaded into one buffer (the fast path). */
  readonly memory?: Uint8Array;
  /** False when the body checksum was already checked (preloaded). */
  readonly checkBuckets: boolean;
  /** `length` bytes from file offset `at`, with PAD readable bytes after them; returns buffer and offset in it. */
  read(at: number, length: number): { buf: Uint8Array; off: number };
  close(): void;
}

export function openStore(path: string, options: OpenOptions = {}): BreachStore {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw new StoreError(path, `cannot open: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new StoreError(path, 'not a regular file');
    const size = st.size;
    const head = Buffer.alloc(HEADER_BYTES);
    readSync(fd, head, 0, HEADER_BYTES, 0);
    const header = decodeHeader(path, head, size);
    const source = options.preload ? preloadSource(path, fd, header, size) : fileSource(fd, size);
    return new Store(path, header, source);
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}

function fileSource(fd: number, size: number): Source {
  return {
    checkBuckets: true,
    read(at, length) {
      const buf = new Uint8Array(length + PAD);
      readSync(fd, buf, 0, Math.min(length + PAD, size - at), at);
      return { buf, off: 0 };
    },
    close: () => closeSync(fd),
  };
}

function preloadSource(path: string, fd: number, header: Header, size: number): Source {
  const chunks: Buffer[] = [];
  const body = createHash('sha256');
  for (let start = 0; start < size; start += CHUNK) {
    const length = Math.min(CHUNK + MAX_SUPER_DATA + PAD, size - start);
    const chunk = Buffer.alloc(length + PAD);
    readSync(fd, chunk, 0, length, start);
    const own = chunk.subarray(start === 0 ? HEADER_BYTES : 0, Math.min(CHUNK, length));
    body.update(own);
    chunks.push(chunk);
  }
  if (!body.digest().equals(header.bodySha256)) throw new StoreError(path, 'body checksum mismatch: the file is corrupt');
  closeSync(fd);
  return {
    checkBuckets: false,
    ...(chunks.length === 1 ? { memory: chunks[0] as Buffer } : {}),
    read(at) {
      const index = Math.floor(at / CHUNK);
      return { buf: chunks[index] as Buffer, off: at - index * CHUNK };
    },
    close() {
      chunks.length = 0;
    },
  };
}

export class Store implements BreachStore {
  readonly kind: HashKind;
  readonly entries: number;
  readonly description: string;
  readonly falsePositiveRate: number;
  private readonly code: CountCode;
  private readonly lead: Lead = { w0: 0, w1: 0, w2: 0 };
  private readonly fp: Fingerprint = { bucket: 0, high: 0, low: 0 };
  private readonly dirAt: number;
  private readonly recordBytes: number;
  private readonly entryBits: number;
  private readonly memory: Uint8Array | undefined;
  private readonly superBases: Float64Array | undefined;
  private hasher: ((password: string) => Uint8Array) | undefined;
  private closed = false;

  constructor(readonly path: string, readonly header: Header, private readonly source: Source) {
    this.kind = header.kind;
    this.entries = header.entries;
    this.code = countCode(header.countBits);
    this.dirAt = HEADER_BYTES + header.dataBytes;
    this.recordBytes = superRecordBytes(header);
    this.entryBits = entryBits(header);
    this.memory = source.memory;
    // Superblock offsets, 1/64 of the directory, kept apart so a lookup touches one cache line less.
    if (this.memory) {
      const m = this.memory;
      const supers = bucketCount(header) / bucketsPerSuper(header);
      this.superBases = new Float64Array(supers);
      for (let s = 0; s < supers; s++) {
        const rec = this.dirAt + s * this.recordBytes;
        this.superBases[s] = (((m[rec] as number) | ((m[rec + 1] as number) << 8) | ((m[rec + 2] as number) << 16) | ((m[rec + 3] as number) << 24)) >>> 0) +
          ((m[rec + 4] as number) | ((m[rec + 5] as number) << 8) | ((m[rec + 6] as number) << 16) | ((m[rec + 7] as number) << 24)) * 4294967296;
      }
    }
    this.falsePositiveRate = falsePositiveRate(header);
    this.description = `store ${path} (${header.kind}, ${groupDigits(header.entries)} entries)`;
  }

  async count(password: string): Promise<number> {
    this.hasher ??= await passwordHasher(this.kind);
    return this.countLead(leadFromDigest(this.hasher(password), this.lead));
  }

  countDigest(hex: string): number {
    if (!isDigestHex(hex, this.kind)) throw new RangeError(`not a ${HEX_LENGTH[this.kind]}-hex-digit ${this.kind} digest`);
    return this.countLead(leadFromHex(hex, this.lead));
  }

  /** Count for a digest's leading 96 bits (the benchmark's hot path). */
  countLead(lead: Lead): number {
    if (this.closed) throw new StoreError(this.path, 'store is closed');
    const p = this.header;
    const fp = fingerprint(p, lead, this.fp);
    const m = this.memory;
    let code: number;
    if (m !== undefined) {
      // Preloaded and checksummed: read the directory in place, no copies, no CRC.
      const j = fp.bucket;
      const inSuper = j & ((1 << SUPER_SHIFT) - 1);
      const rec = this.dirAt + (j >>> SUPER_SHIFT) * this.recordBytes;
      const base = (this.superBases as Float64Array)[j >>> SUPER_SHIFT] as number;
      const e = rec + ABS_BYTES + PER_BUCKET_DIR_BYTES * inSuper;
      const start = inSuper === 0 ? 0 : (m[e - 4] as number) | ((m[e - 3] as number) << 8);
      const bytes = ((m[e] as number) | ((m[e + 1] as number) << 8)) - start;
      const n = Math.floor((bytes * 8 - p.highRange) / this.entryBits);
      code = lookupInBucket(p, m, HEADER_BYTES + base + start, n, fp.high, fp.low);
    } else {
      const { buf, off, n } = this.bucket(fp.bucket);
      code = lookupInBucket(p, buf, off, n, fp.high, fp.low);
    }
    return code === 0 ? 0 : this.code.decode(code);
  }

  /**
   * Counts for a batch of hex digests, one per line of `text` (LF or CRLF, surrounding blanks
   * ignored): NaN for a line that is not a digest of the store's kind. Parses bytes in place, for
   * `pwguard breach lookup --hash` on millions of lines.
   */
  countDigestLines(text: Uint8Array): Float64Array {
    const width = HEX_LENGTH[this.kind];
    let lines = 0;
    for (let at = text.indexOf(10); at >= 0; at = text.indexOf(10, at + 1)) lines++;
    if (text.length > 0 && text[text.length - 1] !== 10) lines++;
    const out = new Float64Array(lines);
    const lead = this.lead;
    let pos = 0;
    for (let line = 0; line < lines; line++) {
      let end = text.indexOf(10, pos);
      if (end < 0) end = text.length;
      let s = pos;
      let e = end;
      while (s < e && isBlank(text[s] as number)) s++;
      while (e > s && isBlank(text[e - 1] as number)) e--;
      out[line] = e - s === width && hexLead(text, s, width, lead) ? this.countLead(lead) : NaN;
      pos = end + 1;
    }
    return out;
  }

  /** Counts for many digests, given as their leading words (w0, w1, w2 for each). */
  countLeads(leads: Uint32Array): Float64Array {
    const total = Math.floor(leads.length / 3);
    const out = new Float64Array(total);
    const lead = this.lead;
    for (let i = 0; i < total; i++) {
      lead.w0 = leads[3 * i] as number;
      lead.w1 = leads[3 * i + 1] as number;
      lead.w2 = leads[3 * i + 2] as number;
      out[i] = this.countLead(lead);
    }
    return out;
  }

  range(prefix: string): RangeEntry[] {
    if (!/^[0-9a-fA-F]{5}$/.test(prefix)) throw new RangeError('a range prefix is 5 hex digits');
    return rangeOf(this, parseInt(prefix, 16));
  }

  /** A bucket's bytes and entry count, checked against its directory CRC. */
  bucket(index: number): { buf: Uint8Array; off: number; n: number } {
    if (this.closed) throw new StoreError(this.path, 'store is closed');
    const { start, end, crc } = this.dirEntry(index);
    if (end < start || end > this.header.dataBytes) throw new StoreError(this.path, `bucket ${index} is corrupt (directory damaged); run pwguard breach verify`);
    const data = this.source.read(HEADER_BYTES + start, end - start);
    const n = bucketEntries(this.header, end - start);
    if (n < 0 || (this.source.checkBuckets && bucketCrc(index, data.buf, data.off, end - start) !== crc)) {
      throw new StoreError(this.path, `bucket ${index} is corrupt (directory or data damaged); run pwguard breach verify`);
    }
    return { buf: data.buf, off: data.off, n };
  }

  dirEntry(index: number): { start: number; end: number; crc: number } {
    const inSuper = index & ((1 << SUPER_SHIFT) - 1);
    const recordAt = this.dirAt + (index >>> SUPER_SHIFT) * superRecordBytes(this.header);
    const { buf, off } = this.source.read(recordAt, ABS_BYTES + PER_BUCKET_DIR_BYTES * (inSuper + 1));
    const view = new DataView(buf.buffer, buf.byteOffset + off);
    const base = view.getUint32(0, true) + view.getUint32(4, true) * 4294967296;
    const at = ABS_BYTES + PER_BUCKET_DIR_BYTES * inSuper;
    const start = inSuper === 0 ? 0 : view.getUint16(at - PER_BUCKET_DIR_BYTES, true);
    return { start: base + start, end: base + view.getUint16(at, true), crc: view.getUint16(at + 2, true) };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.source.close();
  }

  get countCodec(): CountCode {
    return this.code;
  }
}

/**
 * Entries under a 20-bit digest prefix, as fingerprint strings (see fingerprintHex). Keys are
 * monotone in the digest, so a prefix is a whole run of buckets, or (buckets wider than the
 * prefix) a run of keys inside one bucket: exactly [part * M, (part + 1) * M) with
 * M = highRange * 2^(lowBits - w), an integer while lowBits >= w.
 */
function rangeOf(store: Store, prefix: number): RangeEntry[] {
  const p = store.header;
  const b = p.bucketBits;
  const out: RangeEntry[] = [];
  const first = b >= 20 ? prefix * 2 ** (b - 20) : Math.floor(prefix / 2 ** (20 - b));
  const last = b >= 20 ? first + 2 ** (b - 20) - 1 : first;
  let from = 0;
  let to = Infinity;
  if (b < 20) {
    const w = 20 - b;
    const part = prefix % 2 ** w;
    const span = p.highRange * 2 ** (p.lowBits - w);
    from = Math.floor(part * span);
    to = Math.ceil((part + 1) * span); // exclusive; fractional spans (lowBits < w) keep edge keys on both sides
  }
  for (let bucket = first; bucket <= last; bucket++) {
    const { buf, off, n } = store.bucket(bucket);
    for (const e of bucketEntriesOf(p, buf, off, n)) {
      const key = e.high * 2 ** p.lowBits + e.low;
      if (key < from || key >= to) continue;
      out.push({ suffix: fingerprintString(p, bucket, e.high, e.low), count: store.countCodec.decode(e.code) });
    }
  }
  return out;
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 13;
}

/** Parse `width` (32 or 40) hex digits at `at` into the lead words; false when one is not hex. */
function hexLead(text: Uint8Array, at: number, width: number, lead: Lead): boolean {
  lead.w0 = hexWord(text, at);
  lead.w1 = hexWord(text, at + 8);
  lead.w2 = hexWord(text, at + 16);
  return lead.w0 !== -1 && lead.w1 !== -1 && lead.w2 !== -1 && hexWord(text, at + 24) !== -1 && (width === 32 || hexWord(text, at + 32) !== -1);
}
