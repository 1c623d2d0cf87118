import { estimate, estimateWeakest, factorize, scoreOf } from '../src/estimate.js';
import { loadZxcvbn } from '../src/dictionaries.js';

describe('estimate helpers', () => {
  it('uses zxcvbn thresholds for the score', () => {
    expect(scoreOf(2.9)).toBe(0);
    expect(scoreOf(5.9)).toBe(1);
    expect(scoreOf(7.9)).toBe(2);
    expect(scoreOf(9.9)).toBe(3);
    expect(scoreOf(10.1)).toBe(4);
  });
  it('reduces repeated text to its new content', () => {
    const { novel, copies } = factorize([...'password'.repeat(20)]);
    expect(novel.join('')).toBe('password');
    expect(copies.count).toBe(1);
    expect(factorize([...'a'.repeat(300)]).novel).toEqual(['a']);
    const mixed = factorize([...'abcXYZabcQRS']);
    expect(mixed.novel.join('')).toBe('abcXYZQRS');
  });
  it('keeps text without repeats as it is', () => {
    expect(factorize([...'glacier-ostrich']).novel.join('')).toBe('glacier-ostrich');
  });
});

describe('the weakest of several forms', () => {
  it('takes the lower estimate: full-width letters are read as the word they show', async () => {
    const zx = await loadZxcvbn();
    const shown = estimateWeakest(zx, ['Ｆｏｏｔｂａｌｌ２０２４', 'Football2024'], []);
    expect(shown).toEqual(estimate(zx, 'Football2024', []));
    expect(estimate(zx, 'Ｆｏｏｔｂａｌｌ２０２４', []).guessesLog10).toBeGreaterThan(shown.guessesLog10);
    expect(estimateWeakest(zx, ['Football2024', 'Ｆｏｏｔｂａｌｌ２０２４'], [])).toEqual(shown); // order does not matter
  });
});
