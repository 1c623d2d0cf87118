// One bucket: the entries whose digests start with the same `bucketBits` bits, as an Elias-Fano
// list (a unary bitmap of high parts, then fixed-width low parts, then count codes), padded to a
// byte. Everything here works on a byte array and a byte offset, so the same code serves a bucket
// read with pread and a bucket inside a preloaded file.
import type { StoreParams } from './format.js';
import { entryBits } from './format.js';

/** Bytes a bucket of `n` entries takes. */
export function bucketBytes(p: Pick<StoreParams, 'highRange' | 'lowBits' | 'countBits'>, n: number): number {
  return Math.ceil((n * entryBits(p) + p.highRange) / 8);
}

/** Entries in a bucket of `bytes` bytes, or -1 when no entry count gives that size (corruption). */
export function bucketEntries(p: Pick<StoreParams, 'highRange' | 'lowBits' | 'countBits'>, bytes: number): number {
  const n = Math.floor((bytes * 8 - p.highRange) / entryBits(p));
  return n >= 0 && bucketBytes(p, n) === bytes ? n : -1;
}

/**
 * Write a bucket into `out` (zeroed, at least bucketBytes long) at byte `at`. `highs`, `lows`,
 * `codes` hold its n entries sorted by (high, low), without repeats. Bits go through an
 * accumulator, whole bytes at a time.
 */
export function encodeBucket(p: StoreParams, out: Uint8Array, at: number, n: number, highs: Uint32Array, lows: Uint32Array, codes: Uint8Array): void {
  const w = new BitSink(out, at);
  let i = 0;
  for (let v = 0; v < p.highRange; v++) {
    while (i < n && highs[i] === v) {
      w.put(1, 1);
      i++;
    }
    w.put(0, 1); // the zero that closes high value v
  }
  for (let j = 0; j < n; j++) w.put(lows[j] as number, p.lowBits);
  if (p.countBits > 0) for (let j = 0; j < n; j++) w.put(codes[j] as number, p.countBits);
  w.end();
}

class BitSink {
  private acc = 0;
  private bits = 0;
  constructor(private readonly out: Uint8Array, private at: number) {}

  /** Append the low `width` (1..31) bits of `value`, MSB first. */
  put(value: number, width: number): void {
    if (this.bits + width > 31) {
      // Split so the accumulator never holds more than 31 bits (bits < 8 here).
      const head = 24 - this.bits;
      this.put(value >>> (width - head), head);
      this.put(value & ((1 << (width - head)) - 1), width - head);
      return;
    }
    this.acc = (this.acc << width) | value;
    this.bits += width;
    while (this.bits >= 8) {
      this.bits -= 8;
      this.out[this.at++] = (this.acc >>> this.bits) & 0xff;
    }
    this.acc &= (1 << this.bits) - 1;
  }

  end(): void {
    if (this.bits > 0) this.out[this.at++] = (this.acc << (8 - this.bits)) & 0xff;
  }
}

/** Read `width` (1..32) bits at bit `pos`; the array must have 4 readable bytes past the field. */
export function readBits(buf: Uint8Array, pos: number, width: number): number {
  const i = pos >>> 3;
  const off = pos & 7;
  const word = (((buf[i] as number) << 24) | ((buf[i + 1] as number) << 16) | ((buf[i + 2] as number) << 8) | (buf[i + 3] as number)) >>> 0;
  if (off + width <= 32) return ((word << off) >>> 0) >>> (32 - width);
  return (((word << off) | ((buf[i + 4] as number) >>> (8 - off))) >>> 0) >>> (32 - width);
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}

/**
 * Breach count code for a fingerprint in the bucket of `n` entries at byte `at`, or 0 when absent.
 * The buffer needs 8 readable bytes past the bucket (callers pad).
 */
export function lookupInBucket(p: StoreParams, buf: Uint8Array, at: number, n: number, high: number, low: number): number {
  const base = at * 8;
  let pos = 0;
  if (high > 0) pos = afterZeros(buf, at, high);
  const first = pos - high;
  // Entries with this high part: the run of ones that starts here.
  for (let i = first; ; i++, pos++) {
    const bit = base + pos;
    if ((((buf[bit >>> 3] as number) >>> (7 - (bit & 7))) & 1) === 0) return 0;
    const stored = readBits(buf, base + p.highRange + n + i * p.lowBits, p.lowBits);
    if (stored === low) {
      return p.countBits === 0 ? 1 : readBits(buf, base + p.highRange + n * (1 + p.lowBits) + i * p.countBits, p.countBits);
    }
    if (stored > low) return 0;
  }
}

/** Bit position just after the `zeros`-th zero of the bucket's unary bitmap (zeros >= 1). */
function afterZeros(buf: Uint8Array, at: number, zeros: number): number {
  let pos = 0;
  for (;;) {
    const i = at + (pos >>> 3);
    const word = (((buf[i] as number) << 24) | ((buf[i + 1] as number) << 16) | ((buf[i + 2] as number) << 8) | (buf[i + 3] as number)) >>> 0;
    const z = 32 - popcount(word);
    if (z < zeros) {
      zeros -= z;
      pos += 32;
      continue;
    }
    let inverted = ~word >>> 0;
    for (let k = 1; k < zeros; k++) inverted = (inverted ^ (0x80000000 >>> Math.clz32(inverted))) >>> 0;
    return pos + Math.clz32(inverted) + 1;
  }
}

/** Every entry of a bucket, in order: for `range` and for `verify`. */
export function* bucketEntriesOf(p: StoreParams, buf: Uint8Array, at: number, n: number): Generator<{ high: number; low: number; code: number }> {
  const base = at * 8;
  let high = 0;
  let i = 0;
  for (let pos = 0; i < n && high < p.highRange; pos++) {
    if (readBits(buf, base + pos, 1) === 0) {
      high++;
      continue;
    }
    const low = readBits(buf, base + p.highRange + n + i * p.lowBits, p.lowBits);
    const code = p.countBits === 0 ? 1 : readBits(buf, base + p.highRange + n * (1 + p.lowBits) + i * p.countBits, p.countBits);
    yield { high, low, code };
    i++;
  }
}

const CRC_TABLE: Uint16Array = (() => {
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 8;
    for (let k = 0; k < 8; k++) c = c & 0x8000 ? ((c << 1) ^ 0x1021) & 0xffff : (c << 1) & 0xffff;
    t[i] = c;
  }
  return t;
})();

/**
 * CRC-16/CCITT of a bucket's bytes, seeded with its index so a directory entry that points at the
 * wrong bucket fails too. Lets a cold lookup refuse a damaged bucket without reading the file.
 */
export function bucketCrc(bucket: number, buf: Uint8Array, at: number, bytes: number): number {
  let crc = bucket & 0xffff;
  for (let i = at; i < at + bytes; i++) crc = ((crc << 8) ^ (CRC_TABLE[((crc >>> 8) ^ (buf[i] as number)) & 0xff] as number)) & 0xffff;
  return crc;
}
