// The general build path's partitions under a memory budget: a tiny budget forces the code path a
// billion-entry input takes (partitions split again on disk), and the bound is held.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { buildStore, openStore } from '../src/index.js';
import { countCode } from '../src/countcode.js';
import { random32 } from '../src/gen.js';
import { MIN_MEMORY, Partitions, digestBits, memoryPlan, partitionBits, sortPartitions } from '../src/partitions.js';
import { tempDir } from './helpers.js';

const t = tempDir();
afterAll(() => t.cleanup());

const hex8 = (n: number): string => n.toString(16).padStart(8, '0');

function stored(count: number): number {
  const code = countCode(7);
  return code.decode(code.encode(count));
}

/** `n` random SHA-1 HASH:COUNT lines (random order), the first 30 bits the same for all when `shared`. */
function lines(n: number, seed: number, shared = false): Array<[string, number]> {
  const next = random32(seed);
  const common = next() & ~3;
  return Array.from({ length: n }, () => {
    const w0 = shared ? (common | (next() & 3)) >>> 0 : next();
    const hex = hex8(w0) + Array.from({ length: 4 }, () => hex8(next())).join('');
    return [hex.toUpperCase(), 1 + (next() % 5000)] as [string, number];
  });
}

function write(path: string, entries: Array<[string, number]>): void {
  writeFileSync(path, entries.map(([h, c]) => `${h}:${c}\n`).join(''));
}

describe('memory budget', () => {
  it('splits partitions that exceed the budget, holds the bound, and builds the same store as the default budget', async () => {
    const entries = lines(60_000, 21);
    const repeated = entries.slice(0, 500);
    write(t.path('in.txt'), [...entries, ...repeated]);
    const small = await buildStore({ inputs: [t.path('in.txt')], output: t.path('small.pwg'), memoryBytes: MIN_MEMORY });
    const big = await buildStore({ inputs: [t.path('in.txt')], output: t.path('big.pwg') });
    expect(small).toMatchObject({ entries: 60_000, lines: 60_500, sortedInput: false });
    expect(small.sort?.splits).toBeGreaterThan(0); // the path an over-budget partition takes
    expect(small.sort?.peakBytes).toBeLessThanOrEqual(MIN_MEMORY);
    expect(big.sort?.splits).toBe(0);
    expect(readFileSync(t.path('small.pwg')).equals(readFileSync(t.path('big.pwg')))).toBe(true);
    const store = openStore(t.path('small.pwg'));
    try {
      const twice = new Set(repeated.map(([h]) => h));
      let wrong = 0;
      for (const [hex, count] of entries) if (store.countDigest(hex) !== stored(twice.has(hex) ? 2 * count : count)) wrong++;
      expect(wrong).toBe(0);
    } finally {
      store.close();
    }
  });

  it('splits on bits across the first word boundary when every digest shares its first 30 bits', () => {
    // Straight through Partitions (a store would merge such digests into few fingerprints).
    const plan = memoryPlan(MIN_MEMORY);
    mkdirSync(t.path('p30'));
    const parts = new Partitions(t.path('p30'), partitionBits(12_000 * 45, plan), plan.bufferBytes);
    const entries = lines(12_000, 22, true);
    const words = entries.map(([hex, count]) => [parseInt(hex.slice(0, 8), 16), parseInt(hex.slice(8, 16), 16), parseInt(hex.slice(16, 24), 16), count]);
    for (const [w0, w1, w2, c] of [...words, ...words.slice(0, 10)]) parts.push(w0 as number, w1 as number, w2 as number, c as number);
    parts.flush();
    const stats = { peakBytes: 0, splits: 0 };
    const n = sortPartitions(parts, plan, () => {}, stats);
    expect(n).toBe(12_000);
    expect(stats.splits).toBeGreaterThanOrEqual(14); // 2 bits a level: one piece down to bit 28, then pieces on bits 28-33
    expect(stats.peakBytes).toBeLessThanOrEqual(MIN_MEMORY);
    const got: number[][] = [];
    for (let i = 0; i < parts.count; i++) {
      const b = readFileSync(parts.file(i));
      for (let at = 0; at < b.length; at += 16) got.push([b.readUInt32LE(at), b.readUInt32LE(at + 4), b.readUInt32LE(at + 8), b.readUInt32LE(at + 12)]);
    }
    const want = words.map((w, i) => (i < 10 ? [w[0], w[1], w[2], 2 * (w[3] as number)] : w))
      .sort((a, b) => (a[0] as number) - (b[0] as number) || (a[1] as number) - (b[1] as number) || (a[2] as number) - (b[2] as number));
    expect(got).toEqual(want);
  });

  it('refuses a budget below the minimum', async () => {
    await expect(buildStore({ inputs: [t.path('in.txt')], output: t.path('x.pwg'), memoryBytes: 1000 })).rejects.toThrow(/at least 256 KiB/);
  });
});

describe('partition sizes for HIBP-size inputs', () => {
  it('keeps 1,024 first-level partitions at most (default budget), whatever the input size', () => {
    const plan = memoryPlan();
    expect(plan.sortBytes * 2 + plan.bufferBytes).toBeLessThanOrEqual(96 << 20);
    expect(partitionBits(0)).toBe(0);
    expect(partitionBits(1e6)).toBe(0);
    // A billion HASH:COUNT lines: 16 GB of records, 16 MB a partition (24 MiB of buffers, 16 KiB each at least).
    expect(partitionBits(45e9)).toBe(10);
    expect(partitionBits(1e12)).toBe(10); // beyond 32 GiB of records partitions are split again when sorted
    expect(partitionBits(45e9, memoryPlan(MIN_MEMORY))).toBe(2);
  });
});

describe('digestBits', () => {
  it('cuts any bits of the 96-bit digest, across word boundaries', () => {
    const next = random32(7);
    for (let i = 0; i < 2000; i++) {
      const w = [next(), next(), next()] as const;
      const all = (BigInt(w[0]) << 64n) | (BigInt(w[1]) << 32n) | BigInt(w[2]);
      const bits = 1 + (next() % 31);
      const shift = next() % (96 - bits + 1);
      const want = Number((all >> BigInt(96 - shift - bits)) & ((1n << BigInt(bits)) - 1n));
      expect(digestBits(w[0], w[1], w[2], shift, bits)).toBe(want);
    }
    expect(digestBits(0xffffffff, 0, 0, 0, 0)).toBe(0);
  });
});
