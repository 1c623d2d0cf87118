import { canonical, formsOf, judgedLength, stripIgnorable, unleet, wordsOf } from '../src/normalize.js';

const lengthOf = (password: string) => judgedLength(formsOf(password));

describe('the forms judged', () => {
  it('removes default-ignorable code points: joiners, soft hyphen, bidi marks, selectors, BOM', () => {
    const invisible = ['\u200d', '\u200c', '\u00ad', '\u200e', '\u200f', '\u202a', '\u202e', '\u2066', '\u2069', '\ufe0f', '\u{e0100}', '\ufeff', '\u2060'];
    expect(stripIgnorable(invisible.join('x'))).toBe('x'.repeat(invisible.length - 1));
    expect(formsOf('p\u200da\u200ds\u200ds').plain).toBe('pass');
  });
  it('keeps the original as given: it is what is hashed', () => {
    const forms = formsOf('\ufdfa\u200d');
    expect(forms.original).toBe('\ufdfa\u200d');
    expect(forms.plain).toBe('\ufdfa');
    expect(Array.from(forms.nfkc)).toHaveLength(18); // what NFKC makes of U+FDFA
  });
  it('counts code points as given: NFKC expansion adds nothing', () => {
    expect(lengthOf('\ufdfa')).toBe(1);
    expect(lengthOf('\ufb03'.repeat(4))).toBe(4); // ffi ligatures, 12 letters under NFKC
    expect(lengthOf('😀😀')).toBe(2);
    expect(lengthOf('ｆｕｌｌ')).toBe(4);
  });
  it('does not count invisible code points', () => {
    expect(lengthOf([...'password1234'].join('\u200d'))).toBe(12);
    expect(lengthOf('\u200b\u200d\ufeff')).toBe(0);
    expect(lengthOf('a\u00a0b')).toBe(3); // a no-break space is visible, and counts
  });
  it('takes the shorter length when NFKC composes', () => {
    expect(lengthOf('cafe\u0301')).toBe(4);
    expect(lengthOf('е́')).toBe(2); // Cyrillic e + acute has no composed form
  });
});

describe('normalisation for word matching and the estimate', () => {
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
  it('drops invisible code points from the canonical form and from free-text words', () => {
    expect(canonical('p\u00adass\u200dword')).toBe(canonical('password'));
    expect(canonical('ｐａｓｓｗｏｒｄ')).toBe(canonical('password'));
    expect(wordsOf('Al\u200dice Lid\u00addell')).toEqual(['Alice', 'Liddell']);
  });
});
