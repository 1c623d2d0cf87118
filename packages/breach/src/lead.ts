// Pure digest helpers (no Node APIs), so a browser bundle can match range results too.

export type HashKind = 'sha1' | 'ntlm';

/** Hex digits of a full digest of each kind. */
export const HEX_LENGTH: Readonly<Record<HashKind, number>> = { sha1: 40, ntlm: 32 };

/** The first 96 bits of a digest as three big-endian words: all a fingerprint ever needs. */
export interface Lead {
  w0: number;
  w1: number;
  w2: number;
}

/** Value of each ASCII hex digit, -1 for anything else. */
export const HEX_VALUE: Int8Array = (() => {
  const t = new Int8Array(256).fill(-1);
  for (let i = 0; i < 10; i++) t[48 + i] = i;
  for (let i = 0; i < 6; i++) {
    t[65 + i] = 10 + i;
    t[97 + i] = 10 + i;
  }
  return t;
})();

/** Value of each pair of ASCII hex digits (first digit in the high byte), -1 for anything else. */
const HEX_PAIR: Int16Array = (() => {
  const t = new Int16Array(65536).fill(-1);
  for (let a = 0; a < 256; a++) {
    for (let b = 0; b < 256; b++) {
      const x = HEX_VALUE[a] as number;
      const y = HEX_VALUE[b] as number;
      if (x >= 0 && y >= 0) t[(a << 8) | b] = x * 16 + y;
    }
  }
  return t;
})();

/** 8 hex digits at `i` as a 32-bit number, or -1 when one is not a hex digit (two digits a lookup). */
export function hexWord(b: Uint8Array, i: number): number {
  const p = HEX_PAIR[((b[i] as number) << 8) | (b[i + 1] as number)] as number;
  const q = HEX_PAIR[((b[i + 2] as number) << 8) | (b[i + 3] as number)] as number;
  const r = HEX_PAIR[((b[i + 4] as number) << 8) | (b[i + 5] as number)] as number;
  const s = HEX_PAIR[((b[i + 6] as number) << 8) | (b[i + 7] as number)] as number;
  if ((p | q | r | s) < 0) return -1;
  return ((p << 24) | (q << 16) | (r << 8) | s) >>> 0;
}

/** True when `hex` is a full digest of `kind` (either case). */
export function isDigestHex(hex: string, kind: HashKind): boolean {
  if (hex.length !== HEX_LENGTH[kind]) return false;
  for (let i = 0; i < hex.length; i++) if ((HEX_VALUE[hex.charCodeAt(i)] ?? -1) < 0) return false;
  return true;
}

/** Leading 96 bits of a hex digest already checked with isDigestHex. */
export function leadFromHex(hex: string, out: Lead): Lead {
  out.w0 = wordFromHex(hex, 0);
  out.w1 = wordFromHex(hex, 8);
  out.w2 = wordFromHex(hex, 16);
  return out;
}

function wordFromHex(hex: string, at: number): number {
  let v = 0;
  for (let i = at; i < at + 8; i++) v = (v << 4) | (HEX_VALUE[hex.charCodeAt(i)] as number);
  return v >>> 0;
}

export function leadFromDigest(digest: Uint8Array, out: Lead): Lead {
  out.w0 = word(digest, 0);
  out.w1 = word(digest, 4);
  out.w2 = word(digest, 8);
  return out;
}

function word(b: Uint8Array, i: number): number {
  return (((b[i] as number) << 24) | ((b[i + 1] as number) << 16) | ((b[i + 2] as number) << 8) | (b[i + 3] as number)) >>> 0;
}


/** A digest's place in a store: its bucket, high part and low part. */
export interface Fingerprint {
  bucket: number;
  high: number;
  low: number;
}

/** How a store cuts fingerprints from digests (published with range results). */
export interface Cut {
  readonly bucketBits: number;
  readonly highRange: number;
  readonly lowBits: number;
}

export function fingerprint(p: Cut, lead: Lead, out: Fingerprint): Fingerprint {
  const b = p.bucketBits;
  const { w0, w1, w2 } = lead;
  out.bucket = b === 0 ? 0 : w0 >>> (32 - b);
  // The 64 digest bits after the bucket bits, as a fraction f in [0, 1), scaled to
  // key = floor(f * highRange * 2^lowBits) = high * 2^lowBits + low, computed exactly in doubles
  // from two 32-bit halves (each product < 2^48). The key is monotone in the digest.
  const r32 = b === 0 ? w0 : ((w0 << b) | (w1 >>> (32 - b))) >>> 0;
  const n32 = b === 0 ? w1 : ((w1 << b) | (w2 >>> (32 - b))) >>> 0;
  const t = r32 * p.highRange;
  let high = Math.floor(t / 4294967296);
  let v = t - high * 4294967296 + Math.floor((n32 * p.highRange) / 4294967296);
  if (v >= 4294967296) {
    high++;
    v -= 4294967296;
  }
  out.high = high;
  out.low = v >>> (32 - p.lowBits); // v < 2^32: exact as an unsigned shift
  return out;
}

/**
 * The fingerprint a store keeps for a digest, as the string `range()` returns: bucket in
 * ceil(bucketBits/4) hex digits, high part in 4, low part in 8 (all lowercase).
 */
export function fingerprintHex(p: Cut, digestHex: string): string {
  const f = fingerprint(p, leadFromHex(digestHex, { w0: 0, w1: 0, w2: 0 }), { bucket: 0, high: 0, low: 0 });
  return fingerprintString(p, f.bucket, f.high, f.low);
}

export function fingerprintString(p: Cut, bucket: number, high: number, low: number): string {
  return (
    (p.bucketBits === 0 ? '' : bucket.toString(16).padStart(Math.ceil(p.bucketBits / 4), '0')) +
    high.toString(16).padStart(4, '0') +
    low.toString(16).padStart(8, '0')
  );
}
