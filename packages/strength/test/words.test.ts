import { WordList, withinOneEdit } from '../src/words.js';

const list = (...words: string[]) => new WordList(words.map((word) => ({ word, what: 'test' })));

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
  it('finds a word hidden by invisible code points or by NFKC composing an accent', () => {
    expect(list('marmalade').find('i-love-marma\u00adlade-toast')?.word).toBe('marmalade');
    expect(list('alice').find('x-a\u200dl\u200di\u200dc\u200de-x')?.word).toBe('alice');
    expect(list('cafe').find('cafe\u0301-noir-saturday')?.word).toBe('cafe'); // NFKC makes it "café-"
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
