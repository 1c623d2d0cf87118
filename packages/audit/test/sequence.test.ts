import { describe, expect, it } from '@jest/globals';
import { buildSharedStream, contextCandidates } from '@pwguard/audit';
import { candidates, guessesBetween, originAt, sequenceLength } from '../src/targets.js';

const NOW = new Date('2026-06-01T00:00:00Z');
const bob = { user: 'bsmith', gecos: 'Bob Smith', extraWords: [] };

describe('candidate stream of one target', () => {
  it('is the empty password, then context and shared candidates merged by weight, each once', async () => {
    const list = await buildSharedStream({ now: NOW, maxGuesses: 3000 }, []);
    const spec = { inputs: [bob], now: NOW };
    const seq = [...candidates(spec, list, 3000)];
    expect(seq[0]).toEqual({ word: '', origin: { how: 'empty' } });
    const words = seq.map((g) => g.word);
    expect(new Set(words).size).toBe(words.length);
    // weights never grow along the stream
    const ctx = new Map([...contextCandidates(spec.inputs, NOW)].map((c) => [c.password, c.weight]));
    const weight = (w: string): number => Math.max(ctx.get(w) ?? 0, list.weights[list.indexOf.get(w) ?? -1] ?? 0);
    for (let i = 2; i < words.length; i++) expect(weight(words[i] as string)).toBeLessThanOrEqual(weight(words[i - 1] as string));
    // both sources interleave from the start
    expect(words.slice(1, 4)).toEqual(['bsmith', '123456', 'bob']);
    expect(seq[2]?.origin).toEqual({ how: 'common', rank: 1 });
    expect(seq[1]?.origin).toEqual({ how: 'context', rank: 1 });
    expect(seq.find((g) => g.word === 'Password1')?.origin).toEqual({ how: 'common', rank: 2, mangled: true });
  });

  it('gives the same guesses by batch, out of order and from the start, as in one pass', async () => {
    const list = await buildSharedStream({ now: NOW, maxGuesses: 500 }, []);
    const t = { context: { inputs: [bob], now: NOW } };
    const whole = [...candidates(t.context, list, 500)].map((g) => g.word);
    const batches = [...guessesBetween(t, list, 0, 100), ...guessesBetween(t, list, 100, 300), ...guessesBetween(t, list, 300, 500)];
    expect(batches).toEqual(whole);
    expect(guessesBetween(t, list, 50, 52)).toEqual(whole.slice(50, 52));
    expect(originAt(t, list, 42)?.word).toBe(whole[42]);
    expect(sequenceLength(t, list, 500)).toBe(500);
  });

  it('reaches a name with a birth year older than 8 years, and the last-change year, within 2,000 guesses', async () => {
    const list = await buildSharedStream({ now: NOW, maxGuesses: 2000 }, []);
    const words = (inputs: Parameters<typeof contextCandidates>[0]): string[] => [...candidates({ inputs, now: NOW }, list, 2000)].map((g) => g.word);
    const plain = words([bob]);
    expect(plain.indexOf('Smith1987')).toBeGreaterThan(0);
    expect(plain.indexOf('smith1987')).toBeGreaterThan(0);
    const days = Math.floor(Date.UTC(2009, 3, 1) / 86_400_000);
    const changed = words([{ ...bob, lastChangeDays: days }]);
    expect(changed.indexOf('Bsmith2009')).toBeGreaterThan(0);
    expect(changed.indexOf('Bsmith2009')).toBeLessThan(plain.indexOf('Bsmith2009') === -1 ? Infinity : plain.indexOf('Bsmith2009'));
  });

  it('reaches every word of a short site list and org_words early, whatever the common list holds', async () => {
    const list = await buildSharedStream({ now: NOW, maxGuesses: 1000, orgWords: ['acmecorp'] }, []);
    const words = [...candidates({ inputs: [bob], now: NOW }, list, 1000)].map((g) => g.word);
    expect(words.indexOf('acmecorp')).toBeGreaterThan(0);
    expect(words.indexOf('acmecorp')).toBeLessThan(5);
    expect(words.indexOf('Acmecorp1')).toBeGreaterThan(0);
  });

  it('ends when short lists run out', async () => {
    const list = await buildSharedStream({ now: NOW, common: false, maxGuesses: 1_000_000, orgWords: ['zq'] }, []);
    const t = { context: { inputs: [{ user: 'ab', extraWords: [] }], now: NOW } };
    const n = sequenceLength(t, list, 1_000_000);
    expect(n).toBeLessThan(1_000_000);
    expect(guessesBetween(t, list, 0, n + 10).length).toBe(n);
    expect(originAt(t, list, n)).toBeUndefined();
  });
});
