import { compileRule, type Rule } from '../src/guess-rules.js';
import { guessStream, type RankedWords } from '../src/guess-stream.js';

const rule = (text: string, weight?: number): Rule => ({ ...compileRule(text), ...(weight === undefined ? {} : { weight }) });
const take = (it: Iterable<{ password: string }>, n: number): string[] => {
  const out: string[] = [];
  for (const c of it) {
    out.push(c.password);
    if (out.length === n) break;
  }
  return out;
};

test('candidates come in descending list weight x rule weight, not list by list', () => {
  const list: RankedWords = { name: 'l', words: ['alpha', 'bravo', 'charlie', 'delta'] };
  const rules = [rule(':', 1), rule('c', 0.3), rule('$1', 0.25)];
  // weights: alpha 1, bravo .5, charlie .333, alpha-c .3, delta .25, alpha1 .25, ...
  expect(take(guessStream([list], rules), 6)).toEqual(['alpha', 'bravo', 'charlie', 'Alpha', 'delta', 'alpha1']);
});

test('weights never increase along the stream, across several lists with priors', () => {
  const lists: RankedWords[] = [
    { name: 'site', words: ['acme', 'widget'], prior: 5 },
    { name: 'common', words: ['password', 'qwerty', 'dragon', 'monkey', 'letmein'] },
  ];
  const rules = [rule(':', 1), rule('c', 0.3), rule('$1', 0.25), rule('c $2 $0 $2 $4 $!', 0.02)];
  const ws = [...guessStream(lists, rules)].map((c) => c.weight);
  for (let i = 1; i < ws.length; i++) expect(ws[i]).toBeLessThanOrEqual(ws[i - 1] as number);
  expect(ws.length).toBe(7 * 4);
});

test('a small site list with a high prior is reached before a long common list runs out', () => {
  const common: RankedWords = { name: 'common', words: Array.from({ length: 10_000 }, (_, i) => `word${i}`) };
  const site: RankedWords = { name: 'site', words: ['acme'], prior: 0.5 };
  const first = take(guessStream([common, site], [rule(':', 1)]), 10);
  expect(first).toContain('acme');
});

test('each password once, the likeliest way first; rules that reject or yield nothing are skipped', () => {
  const list: RankedWords = { name: 'l', words: ['abc', 'ABC'] };
  const out = [...guessStream([list], [rule(':', 1), rule('l', 0.5), rule("'0", 0.4)])];
  expect(out.map((c) => c.password)).toEqual(['abc', 'ABC']);
  expect(out[0]).toMatchObject({ list: 0, word: 0, rule: 0 });
});

test('max bounds the stream; an explicit weight function replaces Zipf', () => {
  const counts = [100, 1, 1];
  const list: RankedWords = { name: 'freq', words: ['a1', 'b2', 'c3'], weight: (i) => (counts[i] as number) / 102 };
  const out = [...guessStream([list], [rule(':', 1), rule('u', 0.5)], 3)];
  expect(out.map((c) => c.password)).toEqual(['a1', 'A1', 'b2']);
});

test('the same order as sorting the whole cross product, ties included, with rules out of weight order', () => {
  // Rules given lighter-first and with equal weights, two lists of different priors: the stream
  // starts each list with one rule and adds the next as the one before leaves (guessStream).
  const rules = [rule('$1', 0.25), rule('c', 0.5), rule(':', 1), rule('u', 0.5), rule('r', 0.25), rule('$!', 0.1)];
  const lists: RankedWords[] = [
    { name: 'a', words: ['alpha', 'bravo', 'charlie', 'delta', 'echo'] },
    { name: 'b', words: ['bravo', 'zulu', 'yankee'], prior: 0.5 },
  ];
  const all: Array<{ password: string | null; weight: number; list: number; word: number; rule: number }> = [];
  lists.forEach((l, li) => l.words.forEach((w, wi) => rules.forEach((r, ri) => {
    all.push({ password: guessStreamApply(r, w), weight: ((l.prior ?? 1) / (wi + 1)) * (r.weight ?? 1), list: li, word: wi, rule: ri });
  })));
  all.sort((x, y) => y.weight - x.weight || x.list - y.list || x.rule - y.rule || x.word - y.word);
  const seen = new Set<string>();
  const expected = all.filter((c) => c.password && !seen.has(c.password) && seen.add(c.password)).map((c) => c.password);
  expect(take(guessStream(lists, rules), 1000)).toEqual(expected);
});

function guessStreamApply(r: Rule, w: string): string | null {
  return take(guessStream([{ name: 'one', words: [w] }], [r]), 1)[0] ?? null;
}
