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

/** The password with leet characters read as letters, case kept (for the strength estimate). */
export function unleet(password: string): string {
  const READ_AS: Readonly<Record<string, string>> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '@': 'a', '5': 's', $: 's', '7': 't', '!': 'i' };
  let out = '';
  for (const ch of password) out += READ_AS[ch] ?? ch;
  return out;
}

/** Words of a free-text field (GECOS, display name, mail): letters and digits runs. */
export function wordsOf(text: string): string[] {
  return text.split(/[^\p{L}\p{N}]+/u).filter((w) => w !== '');
}
