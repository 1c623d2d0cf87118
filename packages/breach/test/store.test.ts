// Range queries and lookups at HIBP size and beyond (2^26 entries and more: bucketBits 21..25)
// without building such a store: a synthetic store whose bytes are computed on demand. Every
// bucket holds the same number of entries, made from digests that a seeded generator draws under
// that bucket's top bits, so the expected answer of any range is known without a file.
import { bucketBytes, bucketCrc, encodeBucket } from '../src/bucket.js';
import { countCode } from '../src/countcode.js';
import {
  ABS_BYTES, HEADER_BYTES, PER_BUCKET_DIR_BYTES, SUPER_SHIFT, bucketCount, bucketsPerSuper, chooseParams, dirBytesFor,
  falsePositiveRate, superRecordBytes, type Header,
} from '../src/format.js';
import { random32 } from '../src/gen.js';
import { fingerprint, fingerprintHex, type Fingerprint } from '../src/lead.js';
import { Store } from '../src/store.js';

const hex8 = (n: number): string => n.toString(16).padStart(8, '0');

interface Synthetic {
  readonly store: Store;
  readonly header: Header;
  /** The digests (40 hex) and counts generated under bucket j. */
  digests(j: number): Array<{ hex: string; count: number }>;
}

/** A store of `perBucket` entries in each of 2^b buckets, b chosen by the build's own rule for that size. */
function synthetic(perBucket: number, bucketBits: number): Synthetic {
  const entries = perBucket * 2 ** bucketBits;
  const params = chooseParams('sha1', entries, 7, 1e-9);
  expect(params.bucketBits).toBe(bucketBits); // the build would choose this layout for this many entries
  const size = bucketBytes(params, perBucket);
  const header: Header = {
    ...params, dataBytes: size * bucketCount(params), dirBytes: dirBytesFor(params), bodySha256: Buffer.alloc(32),
  };
  const code = countCode(7);
  const digests = (j: number): Array<{ hex: string; count: number }> => {
    const next = random32(j * 7919 + bucketBits);
    return Array.from({ length: perBucket }, () => {
      const w0 = ((j * 2 ** (32 - bucketBits)) + (next() >>> bucketBits)) >>> 0;
      return { hex: hex8(w0) + hex8(next()) + hex8(next()) + hex8(next()) + hex8(next()), count: 1 + (next() % 100_000) };
    });
  };
  const made = new Map<number, Uint8Array>();
  const bucket = (j: number): Uint8Array => {
    const known = made.get(j);
    if (known) return known;
    if (made.size > 20_000) made.clear();
    const fp: Fingerprint = { bucket: 0, high: 0, low: 0 };
    const list = digests(j).map(({ hex, count }) => {
      fingerprint(header, { w0: parseInt(hex.slice(0, 8), 16), w1: parseInt(hex.slice(8, 16), 16), w2: parseInt(hex.slice(16, 24), 16) }, fp);
      return { high: fp.high, low: fp.low, code: code.encode(count) };
    }).sort((a, b) => a.high - b.high || a.low - b.low);
    const out = new Uint8Array(size);
    encodeBucket(header, out, 0, perBucket, Uint32Array.from(list, (e) => e.high), Uint32Array.from(list, (e) => e.low), Uint8Array.from(list, (e) => e.code));
    made.set(j, out);
    return out;
  };
  const dirAt = HEADER_BYTES + header.dataBytes;
  const recordBytes = superRecordBytes(header);
  const source = {
    checkBuckets: true,
    read(at: number, length: number) {
      const buf = new Uint8Array(length + 8);
      if (at >= dirAt) {
        // A directory record: the superblock's data offset, then each bucket's end and CRC.
        const s = (at - dirAt) / recordBytes;
        expect(Number.isInteger(s)).toBe(true);
        const view = new DataView(buf.buffer);
        const base = s * bucketsPerSuper(header) * size;
        view.setUint32(0, base % 2 ** 32, true);
        view.setUint32(4, Math.floor(base / 2 ** 32), true);
        for (let i = 0; ABS_BYTES + PER_BUCKET_DIR_BYTES * (i + 1) <= length; i++) {
          view.setUint16(ABS_BYTES + PER_BUCKET_DIR_BYTES * i, (i + 1) * size, true);
          view.setUint16(ABS_BYTES + PER_BUCKET_DIR_BYTES * i + 2, bucketCrc((s << SUPER_SHIFT) + i, bucket((s << SUPER_SHIFT) + i), 0, size), true);
        }
      } else {
        const j = (at - HEADER_BYTES) / size;
        expect(Number.isInteger(j) && length === size).toBe(true);
        buf.set(bucket(j));
      }
      return { buf, off: 0 };
    },
    close() {},
  };
  return { store: new Store('synthetic.pwg', header, source), header, digests };
}

const SIZES = [
  { name: '209,715,200 entries (bucketBits 21)', perBucket: 100, bucketBits: 21 },
  { name: '998,244,352 entries, HIBP size (bucketBits 23)', perBucket: 119, bucketBits: 23 },
  { name: '4,194,304,000 entries (bucketBits 25)', perBucket: 125, bucketBits: 25 },
];

describe.each(SIZES)('synthetic store of $name', ({ perBucket, bucketBits }) => {
  const s = synthetic(perBucket, bucketBits);
  const code = countCode(7);
  const stored = (n: number): number => code.decode(code.encode(n));

  it('has the size and false-positive rate the build promises', () => {
    expect(s.store.entries).toBeGreaterThan(2 ** 26);
    const bytes = HEADER_BYTES + s.header.dataBytes + s.header.dirBytes;
    expect(bytes / s.store.entries).toBeLessThanOrEqual(5);
    expect(falsePositiveRate(s.header)).toBeLessThanOrEqual(1e-9);
  });

  it('answers a range with exactly the entries under the prefix, as fingerprint suffixes with counts', () => {
    const next = random32(bucketBits);
    const prefixes = [0, 0xfffff, 0x80000, ...Array.from({ length: 5 }, () => next() >>> 12)];
    const span = 2 ** (bucketBits - 20);
    for (const prefix of prefixes) {
      const hex5 = prefix.toString(16).padStart(5, '0');
      const want: string[] = [];
      for (let j = prefix * span; j < (prefix + 1) * span; j++) {
        for (const d of s.digests(j)) {
          expect(d.hex.startsWith(hex5)).toBe(true);
          want.push(`${fingerprintHex(s.header, d.hex)}:${stored(d.count)}`);
        }
      }
      const got = s.store.range(hex5).map((e) => `${e.suffix}:${e.count}`);
      expect(got.sort()).toEqual(want.sort());
      expect(got).toHaveLength(perBucket * span);
      for (const e of got) expect(e.indexOf(':')).toBe(Math.ceil(bucketBits / 4) + 12);
    }
  });

  it('finds each digest in the range of its own prefix only, and by lookup', () => {
    for (const j of [0, 2 ** bucketBits - 1, 12345 % 2 ** bucketBits]) {
      const d = (s.digests(j)[7] as { hex: string; count: number });
      const prefix = parseInt(d.hex.slice(0, 5), 16);
      const suffix = fingerprintHex(s.header, d.hex);
      expect(s.store.range(d.hex.slice(0, 5)).some((e) => e.suffix === suffix)).toBe(true);
      for (const other of [prefix - 1, prefix + 1].filter((p) => p >= 0 && p < 2 ** 20)) {
        expect(s.store.range(other.toString(16).padStart(5, '0')).some((e) => e.suffix === suffix)).toBe(false);
      }
      expect(s.store.countDigest(d.hex)).toBe(stored(d.count));
    }
  });
});
