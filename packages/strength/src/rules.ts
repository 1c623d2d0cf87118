// The optional pwquality-style composition rules (off by default; NIST advises against them).

import type { Policy } from './policy.js';
import { formatMessage } from './messages.js';
import type { Reason } from './verdict.js';

export function classesOf(cps: readonly string[]): number {
  let lower = 0, upper = 0, digit = 0, other = 0;
  for (const c of cps) {
    if (/\p{Ll}/u.test(c)) lower = 1;
    else if (/\p{Lu}/u.test(c)) upper = 1;
    else if (/\p{Nd}/u.test(c)) digit = 1;
    else other = 1;
  }
  return lower + upper + digit + other;
}

export function longestRun(cps: readonly string[]): number {
  let best = 0, run = 0;
  cps.forEach((c, i) => {
    run = i > 0 && cps[i - 1] === c ? run + 1 : 1;
    best = Math.max(best, run);
  });
  return best;
}

/** Longest run of code points that step by +1 or -1 each time (abcd, 4321). */
export function longestSequence(cps: readonly string[]): number {
  let best = cps.length > 0 ? 1 : 0, run = 1, step = 0;
  for (let i = 1; i < cps.length; i++) {
    const d = (cps[i] as string).codePointAt(0)! - (cps[i - 1] as string).codePointAt(0)!;
    if ((d === 1 || d === -1) && (d === step || run === 1)) {
      run++;
      step = d;
    } else if (d === 1 || d === -1) {
      run = 2;
      step = d;
    } else {
      run = 1;
      step = 0;
    }
    best = Math.max(best, run);
  }
  return best;
}

export function compositionReasons(policy: Policy, cps: readonly string[]): Reason[] {
  const reasons: Reason[] = [];
  if (policy.min_classes > 0) {
    const classes = classesOf(cps);
    if (classes < policy.min_classes) {
      reasons.push({ code: 'too_few_classes', message: formatMessage('too_few_classes', { min: policy.min_classes }), min: policy.min_classes, classes });
    }
  }
  if (policy.max_repeat > 0 && longestRun(cps) > policy.max_repeat) {
    reasons.push({ code: 'too_many_repeats', message: formatMessage('too_many_repeats', { max: policy.max_repeat }), max: policy.max_repeat });
  }
  if (policy.max_sequence > 0 && longestSequence(cps) > policy.max_sequence) {
    reasons.push({ code: 'too_long_sequence', message: formatMessage('too_long_sequence', { max: policy.max_sequence }), max: policy.max_sequence });
  }
  return reasons;
}
