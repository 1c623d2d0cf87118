import { WordList, withinOneEdit } from '../src/words.js';
import { canonical, codePoints, unleet } from '../src/normalize.js';

const list = (...words: string[]) => new WordList(words.map((word) => ({ word, what: 'test' })));

describe('normalisation', () => {
  it('counts code points after NFKC, not UTF-16 units or bytes', () => {
    expect(codePoints('😀😀')).toHaveLength(2);
    expect(codePoints('ﬁ')).toEqual(['f', 'i']); // NFKC splits the ligature
    expect(codePoints('е́')).toHaveLength(2);
  });
  it('reads leet as letters only next to a letter, for the estimate', () => {
    expect(unleet('P@ssw0rd2024')).toBe('Password2024'); // the year stays digits
    expect(unleet('$umm3r')).toBe('summer');
    expect(unleet('glacier-ostrich-47')).toBe('glacier-ostrich-47');
    expect(unleet('1l0v3y0u!')).toBe('iloveyoui');
  });
  it('folds case and unfolds leet; 1, l and i meet', () => {
    expect(canonical('P@$$w0rd')).toBe(canonical('password'));
    expect(canonical('Al1ce')).toBe(canonical('alice'));
    expect(canonical('4L1C3')).toBe(canonical('ALICE'));
    expect(canonical('7ruth')).toBe(canonical('truth'));
  });
});

describe('word matching', () => {
  it('finds a word of 4+ characters anywhere after normalisation', () => {
    expect(list('alice').find('my-@l1ce-secret')?.word).toBe('alice');
    expect(list('Smith').find('xxSMITHxx')?.word).toBe('Smith');
    expect(list('alice').find('completely different')).toBeNull();
  });
  it('does not look inside for words shorter than 4', () => {
    expect(list('bob').find('longpasswordbobxyz')).toBeNull();
  });
  it('matches the whole password within one edit of a word', () => {
    expect(list('wolverine').find('wolverinz')?.word).toBe('wolverine');
    expect(list('wolverine').find('wolverin')?.word).toBe('wolverine');
    expect(list('wolverine').find('wolverines')?.word).toBe('wolverine'); // contains it, too
    expect(list('bob').find('bo8')?.word).toBe('bob');
    expect(list('wolverine').find('wolvxrinz')).toBeNull();
  });
  it('works with thousands of words', () => {
    const many = new WordList(Array.from({ length: 20000 }, (_v, i) => ({ word: `word${i}xyz`, what: 'banned' })));
    expect(many.find('prefix-word1234xyz-suffix')?.word).toBe('word1234xyz');
    expect(many.find('nothing to see')).toBeNull();
  });
  it('edit distance 1 is exact', () => {
    const cp = (s: string) => [...s];
    expect(withinOneEdit(cp('abc'), cp('abc'))).toBe(true);
    expect(withinOneEdit(cp('abc'), cp('abd'))).toBe(true);
    expect(withinOneEdit(cp('abc'), cp('ab'))).toBe(true);
    expect(withinOneEdit(cp('abc'), cp('xabc'))).toBe(true);
    expect(withinOneEdit(cp('abc'), cp('acb'))).toBe(false);
    expect(withinOneEdit(cp('abc'), cp('a'))).toBe(false);
  });
});
