// The prebuilt ranked dictionaries the hook ships (packages/pam/dist/hook/zxcvbn-ranked.bin, made
// by build:native) must score exactly like @pwguard/strength's loadZxcvbn: same score, guesses,
// match sequence and feedback, over a corpus drawn from every dictionary plus awkward inputs.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { jest } from '@jest/globals';
import { createChecker, loadZxcvbn, DEFAULT_POLICY, type ZxcvbnLike } from '@pwguard/strength';
import { buildRankedFile, openRankedFile, rankedLoader, RankedFileError } from '@pwguard/runtime';

jest.setTimeout(180_000);

const SHIPPED = fileURLToPath(new URL('../../packages/pam/dist/hook/zxcvbn-ranked.bin', import.meta.url));

let standard: ZxcvbnLike;
let shipped: ZxcvbnLike;
let corpus: string[];

/** What zxcvbn says, minus the time it took. */
function result(zx: ZxcvbnLike, pw: string, inputs?: string[]): string {
  const { calcTime: _t, ...rest } = zx.check(pw, inputs) as unknown as Record<string, unknown>;
  return JSON.stringify(rest);
}

beforeAll(async () => {
  standard = await loadZxcvbn();
  shipped = openRankedFile(readFileSync(SHIPPED));
  const dicts = (standard as unknown as { options: { rankedDictionaries: Record<string, Record<string, number>> } }).options.rankedDictionaries;
  corpus = [];
  for (const dict of Object.values(dicts)) {
    const words = Object.keys(dict);
    const step = Math.max(1, Math.floor(words.length / 20));
    for (let i = 0; i < words.length; i += step) {
      const w = words[i] as string;
      corpus.push(w, w[0]?.toUpperCase() + w.slice(1), [...w].reverse().join(''), `${w}2024!`, w.replace(/a/g, '@').replace(/e/g, '3'), `x${w}y`);
    }
  }
  corpus.push(
    '', ' ', 'constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', 'constructor123',
    'xx__proto__yy', 'Password1!', 'P@ssw0rd2024', 'correcthorsebatterystaple', 'Tr0ub4dor&3', 'qwertyuiop', 'zxcvbnm,./',
    '1qaz2wsx3edc', '12/25/1999', '19991225', 'aaaaaaaaaa', 'abcabcabc', 'abcdefgh', '97531', 'Ünïcödé-Pässwört', 'пароль123',
    'корова молоко трава солнце', '🔒secret🔑', 'alice-liddell-1865', 'mondaytuesdaywednesday', 'januaryfebruary',
    'Vq7#unlikely-Rivet-Oboe-42', 'x'.repeat(300), 'ab'.repeat(140),
  );
});

test('the corpus is broad (every dictionary, awkward inputs)', () => {
  expect(corpus.length).toBeGreaterThan(1000);
});

test('the shipped ranked file scores exactly like loadZxcvbn', () => {
  const differ = corpus.filter((pw) => result(standard, pw) !== result(shipped, pw));
  expect(differ).toEqual([]);
});

test('also with user inputs (context words)', () => {
  const inputs = ['alice', 'liddell', 'wonderland'];
  const sample = corpus.filter((_pw, i) => i % 8 === 0).concat(['alice2024', 'Liddell!', 'wonderland99']);
  const differ = sample.filter((pw) => result(standard, pw, inputs) !== result(shipped, pw, inputs));
  expect(differ).toEqual([]);
});

test('verdicts through the checker are the same', async () => {
  const a = createChecker(DEFAULT_POLICY);
  const b = createChecker(DEFAULT_POLICY, { zxcvbn: async () => shipped });
  const sample = corpus.filter((_pw, i) => i % 10 === 0);
  for (const pw of sample) expect(await b.check(pw, { user: 'alice' })).toEqual(await a.check(pw, { user: 'alice' }));
});

test('a freshly built file equals the shipped one byte for byte (the build is deterministic)', () => {
  expect(buildRankedFile(standard).equals(readFileSync(SHIPPED))).toBe(true);
});

test('a damaged file is refused, and the loader falls back to building zxcvbn', async () => {
  const good = readFileSync(SHIPPED);
  const flipped = Buffer.from(good);
  flipped[flipped.length - 100] = (flipped[flipped.length - 100] ?? 0) ^ 0x20;
  expect(() => openRankedFile(flipped)).toThrow(new RankedFileError('ranked-dictionary checksum mismatch'));
  expect(() => openRankedFile(good.subarray(0, good.length - 1))).toThrow('wrong size');
  expect(() => openRankedFile(Buffer.from('not a ranked file at all'))).toThrow('not a pwguard ranked-dictionary file');
  const seen: string[] = [];
  const loader = rankedLoader(() => flipped, loadZxcvbn, (err) => seen.push(err.message));
  expect(await loader()).toBe(standard);
  expect(seen).toEqual(['ranked-dictionary checksum mismatch']);
});
