// The store file: a 128-byte header, the bucket data, then the bucket directory.
// docs/breach.md describes every field; this file is the one place that reads and writes them.
import { createHash } from 'node:crypto';
import type { HashKind } from './kinds.js';

export const MAGIC = Buffer.from([0x89, 0x50, 0x57, 0x47, 0x42, 0x0d, 0x0a, 0x1a]); // \x89 PWGB \r\n \x1a
export const FORMAT_VERSION = 1;
export const HEADER_BYTES = 128;
/** Buckets per directory superblock: 64 keeps a superblock's data under the 16-bit offsets. */
export const SUPER_SHIFT = 6;
/** A superblock record: its data offset (u64), then per bucket (end offset u16, CRC-16 u16). */
export const ABS_BYTES = 8;
export const PER_BUCKET_DIR_BYTES = 4;
export const MAX_ENTRIES = 0xffffffff;
export const MAX_BUCKET_BITS = 26;

const KIND_CODE: Readonly<Record<HashKind, number>> = { sha1: 1, ntlm: 2 };

/** A store file that is not one, or not whole, or not intact. Never read past one of these. */
export class StoreError extends Error {
  constructor(readonly path: string, problem: string) {
    super(`breach store ${path}: ${problem}`);
    this.name = 'StoreError';
  }
}

/** How fingerprints are cut from a digest; fixed per store. */
export interface StoreParams {
  readonly kind: HashKind;
  /** Bits of the per-entry count code (0 = presence only). */
  readonly countBits: number;
  /** The first `bucketBits` bits of a digest choose its bucket. */
  readonly bucketBits: number;
  /** The next 32 bits, scaled to 0..highRange-1, are the entry's high part (unary coded). */
  readonly highRange: number;
  /** The next `lowBits` bits are kept verbatim. */
  readonly lowBits: number;
  readonly entries: number;
  readonly dataBytes: number;
}

export interface Header extends StoreParams {
  readonly dirBytes: number;
  readonly bodySha256: Buffer;
}

export function bucketCount(p: Pick<StoreParams, 'bucketBits'>): number {
  return 2 ** p.bucketBits;
}

export function bucketsPerSuper(p: Pick<StoreParams, 'bucketBits'>): number {
  return Math.min(1 << SUPER_SHIFT, bucketCount(p));
}

export function superRecordBytes(p: Pick<StoreParams, 'bucketBits'>): number {
  return ABS_BYTES + PER_BUCKET_DIR_BYTES * bucketsPerSuper(p);
}

export function dirBytesFor(p: Pick<StoreParams, 'bucketBits'>): number {
  return (bucketCount(p) / bucketsPerSuper(p)) * superRecordBytes(p);
}

/** Bits one entry costs inside a bucket (its unary 1, its low bits, its count code). */
export function entryBits(p: Pick<StoreParams, 'lowBits' | 'countBits'>): number {
  return 1 + p.lowBits + p.countBits;
}

/**
 * Parameters for `entries` distinct digests at a false-positive rate of at most `fpRate`.
 * Buckets hold 64-127 entries on average; the Elias-Fano split (unary high part, fixed low part)
 * is chosen to minimise bits per entry: see docs/breach.md for the arithmetic.
 */
export function chooseParams(kind: HashKind, entries: number, countBits: number, fpRate: number): Omit<StoreParams, 'dataBytes'> {
  if (!(fpRate >= 1e-12 && fpRate <= 0.1)) throw new RangeError(`false-positive rate must be 1e-12..0.1, got ${fpRate}`);
  const bucketBits = entries < 128 ? 0 : Math.min(MAX_BUCKET_BITS, Math.floor(Math.log2(entries / 64)));
  const perBucket = Math.max(1, entries) / 2 ** bucketBits;
  let best: { lowBits: number; highRange: number; cost: number } | undefined;
  for (let lowBits = 1; lowBits <= 31; lowBits++) {
    const highRange = Math.ceil(perBucket / (fpRate * 2 ** lowBits) - 1e-9);
    if (highRange < 1 || highRange > 0xffff) continue;
    const cost = lowBits + 1 + highRange / perBucket;
    if (!best || cost <= best.cost) best = { lowBits, highRange, cost };
  }
  if (!best) throw new RangeError(`no parameters reach a false-positive rate of ${fpRate} for ${entries} entries`);
  return { kind, countBits, bucketBits, highRange: best.highRange, lowBits: best.lowBits, entries };
}

/** Expected false-positive rate of a store for a digest that is not in it. */
export function falsePositiveRate(p: StoreParams): number {
  return p.entries / (bucketCount(p) * p.highRange * 2 ** p.lowBits);
}

export function encodeHeader(p: StoreParams, dirBytes: number, bodySha256: Buffer): Buffer {
  const h = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(h, 0);
  h.writeUInt16LE(FORMAT_VERSION, 8);
  h.writeUInt8(KIND_CODE[p.kind], 10);
  h.writeUInt8(p.countBits, 11);
  h.writeUInt8(p.bucketBits, 12);
  h.writeUInt8(p.lowBits, 13);
  h.writeUInt16LE(p.highRange, 14);
  h.writeUInt8(SUPER_SHIFT, 16);
  h.writeBigUInt64LE(BigInt(p.entries), 24);
  h.writeBigUInt64LE(BigInt(p.dataBytes), 32);
  h.writeBigUInt64LE(BigInt(dirBytes), 40);
  bodySha256.copy(h, 64);
  headerSha256(h).copy(h, 96);
  return h;
}

function headerSha256(h: Buffer): Buffer {
  return createHash('sha256').update(h.subarray(0, 96)).digest();
}

/** Parse and check a header; `fileBytes` is the file's size (truncation shows there). */
export function decodeHeader(path: string, h: Buffer, fileBytes: number): Header {
  if (fileBytes < MAGIC.length || !h.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new StoreError(path, 'not a pwguard breach store (no store magic at the start)');
  }
  if (fileBytes < HEADER_BYTES) throw new StoreError(path, `truncated: ${fileBytes} bytes, shorter than the ${HEADER_BYTES}-byte header`);
  const version = h.readUInt16LE(8);
  if (version !== FORMAT_VERSION) throw new StoreError(path, `format version ${version} is not supported (this pwguard reads ${FORMAT_VERSION})`);
  if (!headerSha256(h).equals(h.subarray(96, 128))) throw new StoreError(path, 'header checksum mismatch: the file is corrupt');
  const kindCode = h.readUInt8(10);
  const kind = kindCode === 1 ? 'sha1' : kindCode === 2 ? 'ntlm' : undefined;
  const header: Header = {
    kind: kind as HashKind,
    countBits: h.readUInt8(11),
    bucketBits: h.readUInt8(12),
    lowBits: h.readUInt8(13),
    highRange: h.readUInt16LE(14),
    entries: Number(h.readBigUInt64LE(24)),
    dataBytes: Number(h.readBigUInt64LE(32)),
    dirBytes: Number(h.readBigUInt64LE(40)),
    bodySha256: Buffer.from(h.subarray(64, 96)),
  };
  const bad = paramProblem(header, kind, h.readUInt8(16));
  if (bad) throw new StoreError(path, `bad header parameters: ${bad}`);
  const expected = HEADER_BYTES + header.dataBytes + header.dirBytes;
  if (fileBytes < expected) throw new StoreError(path, `truncated: the header says ${expected} bytes, the file has ${fileBytes}`);
  if (fileBytes > expected) throw new StoreError(path, `${fileBytes - expected} unexpected bytes after the end of the store`);
  return header;
}

function paramProblem(h: Header, kind: HashKind | undefined, superShift: number): string | undefined {
  if (!kind) return 'unknown hash kind';
  if (superShift !== SUPER_SHIFT) return `superblock shift ${superShift}`;
  if (h.countBits > 8) return `count bits ${h.countBits}`;
  if (h.bucketBits > MAX_BUCKET_BITS) return `bucket bits ${h.bucketBits}`;
  if (h.lowBits < 1 || h.lowBits > 31) return `low bits ${h.lowBits}`;
  if (h.highRange < 1) return 'high range 0';
  if (h.entries < 1 || h.entries > MAX_ENTRIES) return `entry count ${h.entries}`;
  if (h.dirBytes !== dirBytesFor(h)) return `directory size ${h.dirBytes}`;
  const minBits = h.entries * entryBits(h) + bucketCount(h) * h.highRange;
  if (h.dataBytes * 8 < minBits) return `data size ${h.dataBytes} too small for ${h.entries} entries`;
  return undefined;
}
