import { describe, expect, it } from '@jest/globals';
import { buildGuessList } from '@pwguard/audit';
import { guessesBetween, originAt, sequenceLength } from '../src/targets.js';

describe('guess sequence of one target', () => {
  it('starts with the empty password, interleaves context and list, and visits each exactly once', async () => {
    const list = await buildGuessList({ problems: [] });
    const context = Array.from({ length: 300 }, (_v, i) => `ctx${i}`);
    const t = { context, contextLength: context.length };
    const n = sequenceLength(t, list);
    const seen = guessesBetween(t, list, 0, n);
    expect(seen.length).toBe(n);
    expect(seen[0]).toBe('');
    expect(seen.slice(1, 9)).toEqual(context.slice(0, 8));
    expect(seen[9]).toBe('123456');
    expect(new Set(seen.filter((w) => w.startsWith('ctx'))).size).toBe(300);
    expect(seen.filter((w) => !w.startsWith('ctx')).length).toBe(list.words.length + 1);
    expect(originAt(t, list, n)).toBeUndefined();
    // the list's top 256 come before the deep context guesses
    expect(seen.indexOf(list.words[255] as string)).toBeLessThan(seen.indexOf('ctx100'));
    expect(originAt(t, list, 9)?.origin).toEqual({ how: 'common', rank: 1 });
    expect(originAt(t, list, 1)?.origin).toEqual({ how: 'context', rank: 1 });
  });
});
