// Strength estimate with bounded cost. zxcvbn-ts alone takes seconds on long random input (its
// l33t matcher) and overflows the stack at 10,000 characters, so:
//  - zxcvbn's own l33t matcher is off; instead the password is also scored with leet read as
//    letters (unleet), and the lower estimate wins;
//  - zxcvbn never sees more than CHUNK code points at a time. Longer passwords are first reduced
//    to their new content (repeats of earlier text cost little, LZ77-style), which is scored in
//    chunks whose guesses multiply; scoring stops once the total is clearly strong.
// The checker scores the password as given and its NFKC form, and the weaker estimate wins.

import { unleet } from './normalize.js';
import type { Feedback } from './verdict.js';

/** What the estimate needs from zxcvbn-ts (ZxcvbnFactory satisfies it). */
export interface ZxcvbnLike {
  check(password: string, userInputs?: (string | number)[]): {
    score: number;
    guessesLog10: number;
    feedback: { warning: string | null; suggestions: string[] };
  };
}

export interface Estimate {
  readonly score: number;
  readonly guessesLog10: number;
  readonly feedback: Feedback;
}

/** Largest piece zxcvbn scores at once (its cost grows faster than linearly). */
export const CHUNK = 32;
/** Piece size for passwords longer than CHUNK: smaller, so three pieces cost about one CHUNK. */
const LONG_CHUNK = 24;
/** Once the estimate passes this (score 4 needs 10), more text cannot change the verdict. */
const CLEARLY_STRONG_LOG10 = 12;
/** Most chunks scored with zxcvbn; new content beyond them counts one digit per character. */
const MAX_CHUNKS = 3;
/** Shortest repeat worth treating as a copy of earlier text. */
const MIN_COPY = 3;
const REPEAT_WARNING = 'Repeated character patterns like "abcabcabc" are easy to guess.';

/** zxcvbn's score from log10(guesses), with its thresholds (1e3, 1e6, 1e8, 1e10 plus delta 5). */
export function scoreOf(guessesLog10: number): number {
  const g = 10 ** guessesLog10;
  if (g < 1e3 + 5) return 0;
  if (g < 1e6 + 5) return 1;
  if (g < 1e8 + 5) return 2;
  if (g < 1e10 + 5) return 3;
  return 4;
}

export function estimate(zx: ZxcvbnLike, password: string, userInputs: string[]): Estimate {
  const cps = Array.from(password);
  if (cps.length <= CHUNK) return scoreChunk(zx, password, userInputs);
  const { novel, copies } = factorize(cps);
  let total = copies.log10;
  let weakest: Estimate | null = null;
  let i = 0;
  for (let n = 0; i < novel.length && n < MAX_CHUNKS && total < CLEARLY_STRONG_LOG10; n++, i += LONG_CHUNK) {
    const part = scoreChunk(zx, novel.slice(i, i + LONG_CHUNK).join(''), userInputs);
    total += part.guessesLog10;
    if (!weakest || part.guessesLog10 < weakest.guessesLog10) weakest = part;
  }
  if (i < novel.length) total += novel.length - i; // unscored new content: one digit a character
  const score = scoreOf(total);
  const warning = score < 3 ? (copies.count > 0 ? REPEAT_WARNING : weakest?.feedback.warning ?? null) : null;
  return {
    score,
    guessesLog10: total,
    feedback: { warning, suggestions: score < 3 ? weakest?.feedback.suggestions ?? [] : [] },
  };
}

/** The weakest estimate of several forms of one password (the stored one and a normalised one). */
export function estimateWeakest(zx: ZxcvbnLike, forms: readonly string[], userInputs: string[]): Estimate {
  let weakest: Estimate | null = null;
  for (const form of forms) {
    const e = estimate(zx, form, userInputs);
    if (!weakest || e.guessesLog10 < weakest.guessesLog10) weakest = e;
  }
  return weakest ?? estimate(zx, '', userInputs);
}

function scoreChunk(zx: ZxcvbnLike, text: string, userInputs: string[]): Estimate {
  const plain = zx.check(text, userInputs);
  const readAs = unleet(text);
  const best = readAs === text ? plain : lower(plain, zx.check(readAs, userInputs));
  return {
    score: best.score,
    guessesLog10: best.guessesLog10,
    feedback: { warning: best.feedback.warning || null, suggestions: [...best.feedback.suggestions] },
  };
}

function lower<T extends { guessesLog10: number }>(a: T, b: T): T {
  return b.guessesLog10 < a.guessesLog10 ? b : a;
}

/**
 * Split the password into new characters and copies of earlier text (greedy longest match, which
 * may overlap itself, so 'a' x 300 is one 'a' and one copy). A copy costs the choice of where it
 * starts and how long it is.
 */
export function factorize(cps: readonly string[]): { novel: string[]; copies: { count: number; log10: number } } {
  const novel: string[] = [];
  let count = 0;
  let log10 = 0;
  let pos = 0;
  while (pos < cps.length) {
    let bestLen = 0;
    let bestFrom = 0;
    for (let from = 0; from < pos; from++) {
      let len = 0;
      while (pos + len < cps.length && cps[from + len] === cps[pos + len]) len++;
      if (len > bestLen) {
        bestLen = len;
        bestFrom = from;
      }
    }
    if (bestLen >= MIN_COPY) {
      count++;
      log10 += Math.log10(pos - bestFrom + 1) + Math.log10(bestLen + 1);
      pos += bestLen;
    } else {
      novel.push(cps[pos] as string);
      pos++;
    }
  }
  return { novel, copies: { count, log10 } };
}
