// One guess model for the audit and the checker (issue 13): the checker's `predictable` reason
// estimates where the audit's candidate stream would try a password, from the same lists
// (BUILT_IN_LISTS in @pwguard/strength: famous passwords, the common list, keyboard walks, in that
// order) and the same rules. Checked both ways on the real stream of a context-free account (the
// shared candidates every account gets): what the checker calls predictable at guess r, the audit
// tries within about 2r; and a sample of the audit's candidates, the checker places within a factor
// of 2 of their real position.
import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import { buildSharedStream, type GuessStream, type SourceProblem } from '@pwguard/audit';
import {
  builtInModelLists, commonListOf, contextList, createChecker, defaultRules, DEFAULT_POLICY, loadZxcvbn, predictable, type GuessModel,
} from '@pwguard/strength';

jest.setTimeout(120_000);

// A fixed date, so the year rules (which decay with a year's age) do not move under the test.
const NOW = new Date('2026-06-01T00:00:00Z');
const rules = defaultRules(NOW);
const MAX = 200_000;
const lengthOnly = createChecker({ ...DEFAULT_POLICY, min_length: 1 }, { guessRules: rules });

let stream: GuessStream;
let model: GuessModel;
beforeAll(async () => {
  const problems: SourceProblem[] = [];
  stream = await buildSharedStream({ rules, maxGuesses: MAX, now: NOW }, problems);
  expect(problems).toEqual([]);
  // As the checker builds it for an account with no words of its own.
  model = { lists: [contextList([]), ...builtInModelLists(commonListOf(await loadZxcvbn()))], rules };
});

/** 1-based position of `password` among the audit's shared candidates, or Infinity. */
const position = (password: string): number => (stream.indexOf.get(password) ?? Infinity) + 1;

describe('one guess model', () => {
  it.each([
    'correcthorsebatterystaple', 'Tr0ub4dor&3', 'hunter2', 'Hunter2', 'trustno1', 'iloveyou!', 'asdfghjkl', 'qwertyuiop1',
    'Summer2024!!', 'Password1', 'dragon123', 'p@ssw0rd', 'Sunshine1!', 'monkey',
  ])('the checker calls %s predictable at guess r; the audit tries it within 2r', async (p) => {
    const est = predictable(p, model, 1e6);
    expect(est).not.toBeNull();
    const r = est?.guesses ?? 0;
    expect([p, position(p) <= 2 * r + 2]).toEqual([p, true]); // + 2: the stream's first candidates have no slack
    // and the checker itself says so (a length-only policy, so no other reason comes first)
    const v = await lengthOnly.check(p);
    expect(v.reasons).toEqual([expect.objectContaining({ code: 'predictable', within: est?.within })]);
  });

  it("places a sample of the audit's candidates within a factor of 2 of their position", () => {
    const sampled = [10, 50, 100, 500, 1000, 5000];
    for (let i = 10_000; i <= MAX; i += 10_000) sampled.push(i);
    for (const at of sampled) {
      const password = stream.words[at - 1] as string;
      const est = predictable(password, model, 1e9);
      const ratio = (est?.guesses ?? Infinity) / at;
      expect([at, ratio > 0.5 && ratio < 2]).toEqual([at, true]);
    }
  });

  it('the audit tries the built-in lists in the checker\'s order with the checker\'s priors', () => {
    expect(stream.lists).toEqual(['famous', 'common', 'keyboard']);
    expect(stream.words[0]).toBe('123456'); // the common list's top word outweighs the famous prior 0.5
    expect(position('correcthorsebatterystaple')).toBeLessThan(5);
  });
});
