import { classesOf, longestRun, longestSequence, compositionReasons } from '../src/rules.js';
import { DEFAULT_POLICY } from '../src/policy.js';

const cp = (s: string) => [...s];

describe('composition rules (off by default)', () => {
  it('counts character classes, Unicode-aware', () => {
    expect(classesOf(cp('abc'))).toBe(1);
    expect(classesOf(cp('aB3!'))).toBe(4);
    expect(classesOf(cp('Жж'))).toBe(2);
  });
  it('measures runs and sequences', () => {
    expect(longestRun(cp('abbbc'))).toBe(3);
    expect(longestSequence(cp('xabcdx'))).toBe(4);
    expect(longestSequence(cp('97654'))).toBe(4);
    expect(longestSequence(cp('abab'))).toBe(2);
  });
  it('gives no reasons under the default policy', () => {
    expect(compositionReasons(DEFAULT_POLICY, cp('aaaaaaaaabcdefgh'))).toEqual([]);
  });
  it('gives one reason per enabled rule that fails', () => {
    const policy = { ...DEFAULT_POLICY, min_classes: 3, max_repeat: 2, max_sequence: 3 };
    expect(compositionReasons(policy, cp('aaabcdxyz')).map((r) => r.code)).toEqual([
      'too_few_classes', 'too_many_repeats', 'too_long_sequence',
    ]);
    expect(compositionReasons(policy, cp('Ab1!Ab1!'))).toEqual([]);
  });
});
