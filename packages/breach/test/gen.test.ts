// scripts/gen-hibp's data must be in HIBP's order (by the whole digest): the one-pass build relies on it.
import { readFileSync } from 'node:fs';
import { generateHibp } from '../src/gen.js';
import { tempDir } from './helpers.js';

const t = tempDir();
afterAll(() => t.cleanup());

it('writes strictly increasing digests, ties on the first 13 digits included', async () => {
  // One range prefix for 300,000 entries: their next 32 bits tie about ten times (300000^2 / 2^33).
  await generateHibp({ entries: 300_000, kind: 'sha1', layout: 'file', out: t.path('one.txt'), prefixes: 1, seed: 3 });
  const hashes = readFileSync(t.path('one.txt'), 'latin1').split('\r\n').filter(Boolean).map((l) => l.slice(0, 40));
  expect(hashes).toHaveLength(300_000);
  let ties = 0;
  let outOfOrder = 0;
  for (let i = 1; i < hashes.length; i++) {
    const [a, b] = [hashes[i - 1] as string, hashes[i] as string];
    if (a.slice(0, 13) === b.slice(0, 13)) ties++;
    if (a >= b) outOfOrder++;
  }
  expect(ties).toBeGreaterThan(0); // the case that matters is there
  expect(outOfOrder).toBe(0);
});
