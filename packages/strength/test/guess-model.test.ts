import * as common from '@zxcvbn-ts/language-common';
import { createChecker } from '../src/checker.js';
import { defaultRules } from '../src/default-rules.js';
import { loadZxcvbn } from '../src/dictionaries.js';
import {
  COMMON_DICTIONARY, COMMON_LIST_SIZE, commonListOf, contextList, estimatePosition, famousList, FAMOUS_PASSWORDS, MAX_BASES_PER_RULE, predictable, streamLists,
  zipfList, type GuessModel,
} from '../src/guess-model.js';
import { guessStream } from '../src/guess-stream.js';
import { DEFAULT_POLICY } from '../src/policy.js';

// A fixed date, so the year rules (which decay with a year's age) do not move under the test.
const NOW = new Date('2026-06-01T00:00:00Z');
const rules = defaultRules(NOW);
const commonWords = (common.dictionary as Record<string, string[]>)[COMMON_DICTIONARY] ?? [];
const checker = createChecker(DEFAULT_POLICY, { guessRules: rules });
const codes = async (p: string, user?: string) => (await checker.check(p, user ? { user } : {})).reasons.map((r) => r.code);

describe('the checker refuses what the attacker model guesses early', () => {
  it.each(['Summer2024!!', 'Autumn2025!!', 'Chocolate2024!', 'correcthorsebatterystaple'])('%s is predictable', async (p) => {
    const v = await checker.check(p);
    expect(v.reasons.map((r) => r.code)).toEqual(['predictable']);
    expect(v.reasons[0]?.message).toMatch(/: among the first [\d,]+ guesses an attacker tries\.$/);
    expect(v.reasons[0]?.within).toBeLessThanOrEqual(DEFAULT_POLICY.min_guess_rank);
  });

  it('says which kind, and never the password or its base word', async () => {
    const v = await checker.check('Summer2024!!');
    expect(v.reasons[0]?.message).toBe('A common password, capitalised, with a year and symbols added: among the first 100,000 guesses an attacker tries.');
    for (const p of ['Summer2024!!', 'Chocolate2024!', 'correcthorsebatterystaple']) {
      const text = JSON.stringify((await checker.check(p)).reasons).toLowerCase();
      for (const secret of [p.toLowerCase(), 'summer', 'chocolate', 'horse']) expect(text).not.toContain(secret);
    }
  });

  it("names the account word it was built on by kind, and tries it even with context_check = 0", async () => {
    const lax = createChecker({ ...DEFAULT_POLICY, context_check: false }, { guessRules: rules });
    const v = await lax.check('Throckmorton2024!!', { user: 'throckmorton' });
    expect(v.reasons).toEqual([
      expect.objectContaining({ code: 'predictable', source: 'context', kind: 'Your user name, capitalised, with a year and symbols added', within: 10_000 }),
    ]);
    expect((await lax.check('Throckmorton2024!!', { user: 'crusoe' })).reasons.map((r) => r.code)).not.toContain('predictable');
  });

  it.each(['Tangerine-Orbit-Quilt-93', 'glacier marmalade kettle 1987', 'v7#Kq!2mZ@pL9$wR', 'Sixteen-Purple-Otters-Sing', 'Mañana-Pingüino-42-Jalapeño'])(
    'accepts the strong %s', async (p) => {
      expect(await codes(p)).toEqual([]);
    },
  );

  it('min_guess_rank = 0 turns the model off; a smaller limit lets later guesses through', async () => {
    const off = createChecker({ ...DEFAULT_POLICY, min_guess_rank: 0 }, { guessRules: rules });
    expect((await off.check('Chocolate2024!')).reasons.map((r) => r.code)).not.toContain('predictable');
    const strict = createChecker({ ...DEFAULT_POLICY, min_guess_rank: 1000 }, { guessRules: rules });
    expect((await strict.check('Chocolate2024!')).reasons.map((r) => r.code)).not.toContain('predictable');
    expect((await strict.check('correcthorsebatterystaple')).reasons.map((r) => r.code)).toEqual(['predictable']);
  });
});

describe('the model', () => {
  it('knows the size of the common list it reads through zxcvbn', async () => {
    expect(COMMON_LIST_SIZE).toBe(commonWords.length);
    const list = commonListOf(await loadZxcvbn());
    expect(list?.indexOf('password')).toBe(commonWords.indexOf('password'));
    expect(list?.indexOf('constructor')).toBeUndefined(); // a plain object's inherited names are no words
  });

  it('undoes leet, doubling and prepending, confirmed by the rule itself', () => {
    const model: GuessModel = { lists: [zipfList('common', commonWords.length, 1, (w) => indexOf.get(w))], rules };
    for (const p of ['p@ssw0rd', 'dragondragon', '1monkey', 'Dragon1!']) expect(predictable(p, model, 1e6)?.source).toBe('common');
    expect(predictable('Dr4g0n-Xq9', model, 1e9)).toBeNull();
  });

  it('looks up a bounded number of base words, however ambiguous the password', () => {
    let lookups = 0;
    const counting = zipfList('common', commonWords.length, 1, (w) => {
      lookups++;
      return indexOf.get(w);
    });
    const model: GuessModel = { lists: [counting], rules };
    for (const p of ['@@@@0000333311$$', '@0$31!'.repeat(10), 'a'.repeat(64), 'Summer2024!!', '11111111111111111111']) {
      lookups = 0;
      predictable(p, model, 1e6);
      expect([p, lookups <= rules.length * MAX_BASES_PER_RULE]).toEqual([p, true]);
    }
  });

  it('estimates guessStream positions within a factor of 2 (sampled over the first 300,000)', () => {
    const lists = [contextList([{ word: 'alice', what: 'user name' }]), famousList(), zipfList('common', commonWords.length, 1, (w) => indexOf.get(w))];
    const model: GuessModel = { lists, rules };
    const words = [['alice'], FAMOUS_PASSWORDS, commonWords];
    let position = 0;
    const sampled: [number, number][] = [];
    for (const c of guessStream(streamLists(model, words), rules, 300_000)) {
      position++;
      if (position % 10_000 === 0 || position === 100) sampled.push([position, estimatePosition(model, c.weight)]);
    }
    expect(sampled.length).toBeGreaterThan(25);
    const ratios = sampled.map(([real, est]) => est / real);
    expect(Math.min(...ratios)).toBeGreaterThan(0.5);
    expect(Math.max(...ratios)).toBeLessThan(2);
  });

  it('finds a sampled stream candidate at about the position it has in the stream', () => {
    const lists = [zipfList('common', commonWords.length, 1, (w) => indexOf.get(w))];
    const model: GuessModel = { lists, rules };
    let position = 0;
    for (const c of guessStream(streamLists(model, [commonWords]), rules, 200_000)) {
      position++;
      if (position % 25_000 !== 0) continue;
      const found = predictable(c.password, model, 1e9);
      expect(found).not.toBeNull();
      const ratio = (found?.guesses ?? 0) / position;
      expect([position, ratio > 0.5 && ratio < 2]).toEqual([position, true]);
    }
  });
});

const indexOf = new Map<string, number>();
commonWords.forEach((w, i) => { if (!indexOf.has(w)) indexOf.set(w, i); });
