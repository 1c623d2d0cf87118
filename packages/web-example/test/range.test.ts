// The server's range answers and the browser's matching (src/browser/range-lookup.ts, run here
// in Node, which has fetch and SubtleCrypto too) against a real store built by @pwguard/breach.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { buildStore, openStore, type BreachStore } from '@pwguard/breach';
import { createChecker } from '@pwguard/strength';
import { padTarget, rangeBody, storeRangeSource, type RangeSource } from '../src/range.js';
import { rangeLookup, sha1Hex } from '../src/browser/range-lookup.js';
import { createResetServer } from '../src/server.js';
import { MemoryBackend } from '../src/accounts.js';

const fake = (entries: number, lines = 32): RangeSource => ({
  match: { kind: 'suffix' }, keyLength: 35, lines,
  entries: () => Array.from({ length: entries }, (_, i) => ({ suffix: i.toString(16).toUpperCase().padStart(35, '0'), count: i + 1 })),
});

describe('rangeBody', () => {
  test('an empty range and a full one have the same number of lines and bytes', () => {
    const empty = rangeBody(fake(0), 'ABCDE');
    const full = rangeBody(fake(20), 'ABCDE');
    expect(empty.length).toBe(full.length);
    expect(empty.split('\r\n').length).toBe(33);
    expect(full).toContain(`${'13'.padStart(35, '0')}:0000000020`);
  });

  test('lines are sorted, so the padding cannot be told apart by position', () => {
    const lines = rangeBody(fake(5), '00000').trimEnd().split('\r\n');
    expect(lines).toEqual([...lines].sort());
  });

  test('a range past the target is sent whole, padded to a multiple of 32', () => {
    expect(rangeBody(fake(40), '00000').trimEnd().split('\r\n')).toHaveLength(64);
  });

  test('the target sits far in the tail for Have I Been Pwned-sized stores', () => {
    // ~0.94e9 SHA-1 entries: about 900 a range.
    expect(padTarget(940_000_000)).toBeGreaterThan(940_000_000 / 2 ** 20 + 6 * Math.sqrt(940_000_000 / 2 ** 20));
    expect(padTarget(940_000_000) % 32).toBe(0);
    expect(padTarget(1000)).toBe(32);
  });
});

describe('browser lookup against a store-backed /range', () => {
  let dir: string;
  let store: BreachStore;
  let server: Server;
  let origin: string;
  const listed: Array<[string, number]> = [['Summer2024!!', 1234], ['planted-Ünïcode-pw', 77], ['x', 3]];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pwguard-range-'));
    const filler = Array.from({ length: 5000 }, (_, i) => `filler-${i}\t${i + 1}`);
    writeFileSync(join(dir, 'in.txt'), [...listed.map(([p, n]) => `${p}\t${n}`), ...filler, ''].join('\n'));
    await buildStore({ inputs: [join(dir, 'in.txt')], output: join(dir, 's.pwg'), kind: 'plaintext' });
    store = openStore(join(dir, 's.pwg'));
    expect(store.header.bucketBits).toBeGreaterThan(0);
    server = createResetServer({
      checker: createChecker(), bannedWords: [], range: storeRangeSource(store), backend: new MemoryBackend([]),
      tokenSecret: Buffer.alloc(32, 1), files: new Map([['/index.html', { body: Buffer.from(''), type: 'text/html' }]]), log: () => {},
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((r) => server.close(r));
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('SubtleCrypto SHA-1 is the usual one', async () => {
    expect(await sha1Hex('password')).toBe('5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8');
  });

  test('the count the browser finds is the count the store has, listed or not', async () => {
    const browser = rangeLookup(storeRangeSource(store).match, origin);
    for (const pw of [...listed.map(([p]) => p), 'filler-42', 'filler-4999', 'not-in-the-store', 'Summer2024!']) {
      expect([pw, await browser.count(pw)]).toEqual([pw, await store.count(pw)]);
    }
    expect(await browser.count('Summer2024!!')).toBeGreaterThan(0);
    expect(await browser.count('not-in-the-store')).toBe(0);
  });

  test('a server error is an error, not a count of 0 (the checker turns it into breach_unavailable)', async () => {
    const broken = rangeLookup(storeRangeSource(store).match, `${origin}/nothing-here`);
    await expect(broken.count('Summer2024!!')).rejects.toThrow(/404/);
  });
});
