import { countCode } from '../src/countcode.js';

describe('log-scale count code', () => {
  it.each([4, 6, 7, 8])('with %i bits keeps small counts exact and never overstates', (bits) => {
    const code = countCode(bits);
    const exact = 1 << (bits - 3);
    for (let c = 1; c <= exact; c++) expect(code.decode(code.encode(c))).toBe(c);
    let prev = 0;
    for (const c of [exact + 1, 100, 1_000, 65_535, 65_536, 123_456, 1e7, 4e9, 0xffffffff]) {
      const back = code.decode(code.encode(c));
      expect(back).toBeLessThanOrEqual(c);
      expect(back).toBeGreaterThanOrEqual(prev);
      prev = back;
    }
  });

  it('with 7 bits is within 20% above 16 (the bins grow by about 1.19)', () => {
    const code = countCode(7);
    for (const c of [17, 50, 999, 12_345, 654_321, 3e9]) expect(code.decode(code.encode(c))).toBeGreaterThan(c / 1.2);
  });

  it('uses codes 1..2^bits-1 only (0 never marks an entry)', () => {
    const code = countCode(7);
    expect(code.encode(1)).toBe(1);
    expect(code.encode(0xffffffff)).toBe(127);
    expect(countCode(0).encode(12345)).toBe(1);
    expect(countCode(0).decode(1)).toBe(1);
  });

  it('refuses widths outside 0..8', () => {
    expect(() => countCode(9)).toThrow(RangeError);
  });
});
