import { editDistanceBelow, tooSimilarToOld } from '../src/similar.js';

const OLD = 'Vivid-Otter-Plaza-71';

describe('tooSimilarToOld (difok = 5)', () => {
  it.each([
    ['the same', OLD],
    ['only the case changed', 'vivid-otter-plaza-71'],
    ['the number moved on by one', 'Vivid-Otter-Plaza-72'],
    ['a character added', 'Vivid-Otter-Plaza-71!'],
    ['leet for letters', 'V1v1d-0tter-Plaza-71'],
    ['four edits', 'Vivid-Otter-Plaza-1999'],
    ['the old one plus a long tail', `${OLD}-and-then-some-more`],
    ['the old one inside', `my-${OLD}-again`],
    ['a part of the old one', 'Otter-Plaza-71'],
  ])('refuses %s', (_why, password) => {
    expect(tooSimilarToOld(password, OLD, 5)).toBe(true);
  });

  it.each([
    ['a new passphrase', 'Mauve-Tractor-Quill-8812'],
    ['five edits', 'Vivid-Otter-Plaza-19999'],
    ['one word of it kept, the rest new', 'Vivid-Lantern-Cactus-58'],
  ])('accepts %s', (_why, password) => {
    expect(tooSimilarToOld(password, OLD, 5)).toBe(false);
  });

  it('a contained part shorter than 4 characters does not count', () => {
    expect(tooSimilarToOld('Mauve-Tractor-Quill-8812-abc', 'abc', 5)).toBe(false);
  });

  it('difok = 0 refuses only the same password (in canonical form)', () => {
    expect(tooSimilarToOld('VIVID-otter-plaza-71', OLD, 0)).toBe(true);
    expect(tooSimilarToOld('Vivid-Otter-Plaza-72', OLD, 0)).toBe(false);
    expect(tooSimilarToOld(`${OLD}!`, OLD, 0)).toBe(false);
  });

  it('a larger difok asks for more change', () => {
    expect(tooSimilarToOld('Vivid-Otter-Plaza-19999', OLD, 8)).toBe(true);
  });
});

describe('editDistanceBelow', () => {
  const cps = (s: string) => Array.from(s);
  it('is Levenshtein distance on code points', () => {
    expect(editDistanceBelow(cps('kitten'), cps('sitting'), 4)).toBe(true); // distance 3
    expect(editDistanceBelow(cps('kitten'), cps('sitting'), 3)).toBe(false);
    expect(editDistanceBelow(cps('😀abc'), cps('abc'), 2)).toBe(true); // one code point, two UTF-16 units
    expect(editDistanceBelow(cps(''), cps('abcd'), 5)).toBe(true);
    expect(editDistanceBelow(cps(''), cps('abcd'), 4)).toBe(false);
  });

  it('gives up early on long unrelated passwords', () => {
    const a = cps('x'.repeat(1024));
    const b = cps('y'.repeat(1024));
    expect(editDistanceBelow(a, b, 5)).toBe(false);
  });
});
