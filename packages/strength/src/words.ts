// Finding words inside a password: context words (user name, GECOS, organisation) and banned
// words. A password is refused when its canonical form contains a word of 4+ characters, or when
// the whole password is within edit distance 1 of a word. Words are compared in canonical form
// (NFKC); the password in that form and also without NFKC, since NFKC can hide a word as well as
// reveal one ("cafe" + U+0301 composes to "café").

import { canonical, distinct, folded } from './normalize.js';

export interface WordHit {
  /** The word as the list gave it (never the password). */
  readonly word: string;
  /** What kind of word it is, e.g. `user name`, `name`, `organisation`, `banned`. */
  readonly what: string;
}

/** Shortest word that counts when found inside a longer password. */
export const MIN_WORD_LENGTH = 4;

export class WordList {
  private readonly exact = new Map<string, WordHit>();
  /** Single-deletion variants of every word, for the edit-distance-1 test. */
  private readonly deletions = new Map<string, string[]>();
  private minLen = Infinity;
  private maxLen = 0;

  constructor(entries: Iterable<WordHit>) {
    for (const hit of entries) {
      const key = canonical(hit.word);
      const len = [...key].length;
      if (len === 0 || this.exact.has(key)) continue;
      this.exact.set(key, hit);
      if (len >= MIN_WORD_LENGTH) {
        this.minLen = Math.min(this.minLen, len);
        this.maxLen = Math.max(this.maxLen, len);
      }
      for (const variant of deletionsOf(key)) {
        const list = this.deletions.get(variant);
        if (list) list.push(key);
        else this.deletions.set(variant, [key]);
      }
    }
  }

  get size(): number {
    return this.exact.size;
  }

  /** The first word found in the password, or null. Cost: O(length x longest word) lookups per form. */
  find(password: string): WordHit | null {
    for (const form of distinct(canonical(password), folded(password))) {
      const cps = [...form];
      const hit = this.findInside(cps) ?? this.findNear(cps);
      if (hit) return hit;
    }
    return null;
  }

  private findInside(cps: readonly string[]): WordHit | null {
    if (this.maxLen === 0) return null;
    for (let start = 0; start + this.minLen <= cps.length; start++) {
      let sub = cps.slice(start, start + this.minLen - 1).join('');
      for (let end = start + this.minLen; end <= Math.min(cps.length, start + this.maxLen); end++) {
        sub += cps[end - 1];
        // sub has at least minLen >= MIN_WORD_LENGTH code points, so a short word never matches here.
        const hit = this.exact.get(sub);
        if (hit) return hit;
      }
    }
    return null;
  }

  /** Whole password within one insertion, deletion or substitution of a word. */
  private findNear(cps: readonly string[]): WordHit | null {
    const whole = cps.join('');
    const same = this.exact.get(whole);
    if (same) return same;
    const candidates = new Set<string>();
    for (const key of this.deletions.get(whole) ?? []) candidates.add(key); // password = word minus one
    for (const variant of deletionsOf(whole)) {
      if (this.exact.has(variant)) candidates.add(variant); // word = password minus one
      for (const key of this.deletions.get(variant) ?? []) candidates.add(key); // substitution (verified below)
    }
    for (const key of candidates) {
      if (withinOneEdit([...key], cps)) return this.exact.get(key) ?? null;
    }
    return null;
  }
}

function deletionsOf(text: string): string[] {
  const cps = [...text];
  if (cps.length > 64) return []; // long passwords are never within one edit of a word
  return cps.map((_c, i) => cps.slice(0, i).join('') + cps.slice(i + 1).join(''));
}

/** Levenshtein distance <= 1, on code points. */
export function withinOneEdit(a: readonly string[], b: readonly string[]): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (i === a.length && i === b.length) return true;
  const rest = (x: readonly string[], from: number) => x.slice(from).join('');
  if (a.length === b.length) return rest(a, i + 1) === rest(b, i + 1);
  return a.length > b.length ? rest(a, i + 1) === rest(b, i) : rest(a, i) === rest(b, i + 1);
}
