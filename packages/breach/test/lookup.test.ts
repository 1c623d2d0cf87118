// False positives as designed, k-anonymity ranges, the built-in list, and openBreachLookup.
import { createHash } from 'node:crypto';
import { countCode, buildStore, embeddedLookup, fingerprintHex, openBreachLookup, openStore, type BreachStore } from '../src/index.js';
import { generateHibp, random32 } from '../src/gen.js';
import type { Store } from '../src/store.js';
import { PLANTED, tempDir } from './helpers.js';

/** A count as the built-in list reports it: rounded down by the 7-bit log-scale count code. */
const rounded = (n: number) => countCode(7).decode(countCode(7).encode(n));

const t = tempDir();
afterAll(() => t.cleanup());

function randomDigest(next: () => number): string {
  return Array.from({ length: 5 }, () => next().toString(16).padStart(8, '0')).join('');
}

describe('false-positive rate', () => {
  it('matches the formula on a store built for 1e-2 (the 1e-9 stores use the same formula)', async () => {
    await generateHibp({ entries: 20_000, kind: 'sha1', layout: 'file', out: t.path('fp.txt'), seed: 31 });
    const result = await buildStore({ inputs: [t.path('fp.txt')], output: t.path('fp.pwg'), fpRate: 1e-2 });
    expect(result.falsePositiveRate).toBeLessThanOrEqual(1e-2);
    const store = openStore(t.path('fp.pwg'), { preload: true });
    try {
      const next = random32(99);
      const trials = 40_000;
      let hits = 0;
      for (let i = 0; i < trials; i++) if (store.countDigest(randomDigest(next)) > 0) hits++;
      const expected = trials * store.falsePositiveRate;
      // Binomial: within 5 standard deviations of the designed rate.
      expect(Math.abs(hits - expected)).toBeLessThan(5 * Math.sqrt(expected));
      expect(expected).toBeGreaterThan(300);
    } finally {
      store.close();
    }
  });
});

describe('range (k-anonymity)', () => {
  let store: BreachStore;
  beforeAll(async () => {
    await generateHibp({ entries: 40_000, kind: 'sha1', layout: 'file', out: t.path('r.txt'), planted: PLANTED, seed: 32 });
    await buildStore({ inputs: [t.path('r.txt')], output: t.path('r.pwg') });
    store = openStore(t.path('r.pwg'));
  });
  afterAll(() => store.close());

  it('lists a planted password under its 5-digit prefix, matched by fingerprintHex, with its count', () => {
    for (const p of PLANTED) {
      const sha1 = createHash('sha1').update(p.password).digest('hex');
      const entries = store.range(sha1.slice(0, 5).toUpperCase());
      const mine = fingerprintHex(store.header, sha1);
      const hit = entries.find((e) => e.suffix === mine);
      expect(hit?.count).toBe(store.countDigest(sha1));
      // Only this prefix's entries: 40,005 entries over 2^20 prefixes.
      expect(entries.length).toBeLessThan(5);
    }
  });

  it('does not list an absent password, and refuses a bad prefix', () => {
    const sha1 = createHash('sha1').update('not-in-any-list-1').digest('hex');
    expect(store.range(sha1.slice(0, 5)).some((e) => e.suffix === fingerprintHex(store.header, sha1))).toBe(false);
    expect(() => store.range('12G45')).toThrow(RangeError);
  });

  it('covers each entry of a bucket exactly once across the prefixes that bucket spans', () => {
    // With bucketBits < 20 a bucket spans several prefixes; keys are monotone in the digest, so
    // each entry belongs to exactly one of them.
    const b = store.header.bucketBits;
    expect(b).toBeLessThan(20);
    const per = 2 ** (20 - b);
    const seen = new Map<string, number>();
    for (let p = 0; p < per; p++) for (const e of store.range(p.toString(16).padStart(5, '0'))) seen.set(e.suffix, (seen.get(e.suffix) ?? 0) + 1);
    const inBucket = (store as Store).bucket(0).n;
    expect(seen.size).toBe(inBucket);
    expect([...seen.values()].filter((c) => c !== 1)).toHaveLength(0);
  });
});

describe('built-in list', () => {
  it('knows the common passwords with rank-based counts and says so', async () => {
    const list = embeddedLookup();
    expect(list.description).toMatch(/^built-in list of [\d,]+ common passwords \(counts are rank-based estimates\)$/);
    expect(list.entries).toBeGreaterThan(40_000);
    expect(await list.count('123456')).toBe(rounded(10_000_000)); // rank 1, kept as the store keeps counts
    expect(await list.count('password')).toBe(rounded(5_000_000));
    expect(await list.count('qwerty')).toBeGreaterThan(0);
    expect(await list.count('correct horse battery staple 42')).toBe(0);
  });

  it('answers digest lookups (SHA-1 and NTLM) for the same list', async () => {
    const sha1 = await embeddedLookup().digests('sha1');
    expect(sha1.countDigest('5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8')).toBe(rounded(5_000_000));
    const ntlm = await embeddedLookup().digests('ntlm');
    expect(ntlm.countDigest('8846F7EAEE8FB117AD06BDD830B7586C')).toBe(rounded(5_000_000));
    expect(ntlm.countDigest('00000000000000000000000000000000')).toBe(0);
  });
});

describe('openBreachLookup', () => {
  it('gives the built-in list for an empty setting and the store for a path', async () => {
    expect(openBreachLookup(undefined).description).toMatch(/^built-in list/);
    expect(openBreachLookup('  ').description).toMatch(/^built-in list/);
    const store = openBreachLookup(t.path('r.pwg'));
    expect(store.description).toBe(`store ${t.path('r.pwg')} (sha1, 40,005 entries)`);
    expect(await store.count('hunter2')).toBe(16); // 17 kept as its 7-bit code's lower bound
    (store as BreachStore).close();
    expect(() => openBreachLookup(t.path('nope.pwg'))).toThrow(/cannot open: ENOENT/);
  });
});
