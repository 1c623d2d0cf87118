// The old password as context, where an entry point has it (the PAM module gets PAM_OLDAUTHTOK
// when users change their own password). The rule is pam_cracklib's and libpwquality's `difok`:
// the Levenshtein distance between new and old must be at least `difok`; compared, as context
// words are, in canonical form (case, NFKC, leet folded: "Summer2023!" and "summer2024!" are one
// edit apart). Also refused, as passwdqc's similar=deny would: one password inside the other (the
// contained one at least MIN_WORD_LENGTH code points): "old-password-2" is the old one plus a tail.
// difok = 0 refuses only the same password (libpwquality's 0); the default, 5, is pam_cracklib's.
import { canonical } from './normalize.js';
import { MIN_WORD_LENGTH } from './words.js';

/** Is `password` the old one again, or the old one with small changes or additions? */
export function tooSimilarToOld(password: string, old: string, difok: number): boolean {
  const now = Array.from(canonical(password));
  const before = Array.from(canonical(old));
  if (now.join('') === before.join('')) return true;
  if (difok === 0) return false;
  const [shorter, longer] = now.length <= before.length ? [now, before] : [before, now];
  if (shorter.length >= MIN_WORD_LENGTH && longer.join('').includes(shorter.join(''))) return true;
  return editDistanceBelow(now, before, difok);
}

/**
 * Levenshtein distance (code points) below `limit`? One row at a time, stopping as soon as every
 * cell of a row reaches the limit, so two unrelated 1,000-character passwords cost little.
 */
export function editDistanceBelow(a: readonly string[], b: readonly string[], limit: number): boolean {
  if (Math.abs(a.length - b.length) >= limit) return false;
  let prev = Array.from({ length: b.length + 1 }, (_v, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const v = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      row.push(v);
      if (v < best) best = v;
    }
    if (best >= limit) return false;
    prev = row;
  }
  return (prev[b.length] ?? limit) < limit;
}
