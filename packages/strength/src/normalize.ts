// Text normalisation shared by the rules: NFKC, code-point length, and the canonical form used to
// find words (case folding and leet unfolding).

/** NFKC-normalised code points: what the length rules count. */
export function codePoints(password: string): string[] {
  return Array.from(password.normalize('NFKC'));
}

/**
 * Leet unfolding: 0->o, 1->l/i, 3->e, 4/@->a, 5/$->s, 7->t. Because `1` may stand for `l` or `i`,
 * the canonical form writes all three as `i`, on both sides of every comparison, so that
 * "Al1ce" and "alice" meet. The price is that "l" and "i" are one letter for word matching.
 */
const CANONICAL: Readonly<Record<string, string>> = {
  '0': 'o', '1': 'i', l: 'i', '!': 'i', '|': 'i', '3': 'e', '4': 'a', '@': 'a', '5': 's', $: 's', '7': 't',
};

/** Canonical form for word matching: NFKC, lower case, leet unfolded. Length in code points is kept. */
export function canonical(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFKC').toLowerCase()) out += CANONICAL[ch] ?? ch;
  return out;
}

const READ_AS: Readonly<Record<string, string>> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '@': 'a', '5': 's', $: 's', '7': 't', '!': 'i' };

/**
 * The password with leet characters read as letters, case kept (for the strength estimate). Only
 * characters next to a letter are read so ("p4ss", "$um"): a standalone "2024" or "-47" stays as it
 * is, and a password with no such character is returned unchanged (then it is scored only once).
 */
export function unleet(password: string): string {
  const cps = Array.from(password);
  const letter = (c: string | undefined) => c !== undefined && /\p{L}/u.test(c);
  let changed = false;
  const out = cps.map((ch, i) => {
    const as = READ_AS[ch];
    if (as === undefined || !(letter(cps[i - 1]) || letter(cps[i + 1]))) return ch;
    changed = true;
    return as;
  });
  return changed ? out.join('') : password;
}

/** Words of a free-text field (GECOS, display name, mail): letters and digits runs. */
export function wordsOf(text: string): string[] {
  return text.split(/[^\p{L}\p{N}]+/u).filter((w) => w !== '');
}
