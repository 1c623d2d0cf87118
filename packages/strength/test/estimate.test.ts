import { factorize, scoreOf } from '../src/estimate.js';

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
