// Text normalisation shared by the rules. What is stored and hashed is the password as given, so
// every rule judges that; a normalised form is looked at only where it can make a verdict stricter
// (word, breach and strength checks also judge the NFKC form; the length is the smaller of the two).

/**
 * Code points that display as nothing (ZWJ, ZWNJ, soft hyphen, bidi marks, variation selectors,
 * BOM, ...): Unicode's Default_Ignorable_Code_Point. Hidden inside "password1234" they would hide
 * it from the word and breach checks and inflate its length and estimate, so no rule counts them.
 */
const IGNORABLE = /\p{Default_Ignorable_Code_Point}/gu;

/** The text without default-ignorable code points. */
export function stripIgnorable(text: string): string {
  return text.replace(IGNORABLE, '');
}

/** The forms of one password that the rules judge; `nfkc` equals `plain` for most passwords. */
export interface Forms {
  /** The password as given (after the entry point's trailing-newline rule): what is hashed. */
  readonly original: string;
  /** The original without default-ignorable code points. */
  readonly plain: string;
  /** NFKC of `plain` (ignorables removed again: NFKC can produce some, e.g. U+FFA0 -> U+1160). */
  readonly nfkc: string;
}

export function formsOf(password: string): Forms {
  const plain = stripIgnorable(password);
  return { original: password, plain, nfkc: stripIgnorable(plain.normalize('NFKC')) };
}

/** The distinct forms among those given, in order (most passwords have one). */
export function distinct(...forms: string[]): string[] {
  return [...new Set(forms)];
}

/**
 * The length the length rules count: code points of the password without ignorables. NFKC may
 * shorten it (a letter and its combining accent compose) but never lengthen it: U+FDFA is one
 * code point although NFKC turns it into 18.
 */
export function judgedLength(forms: Forms): number {
  return Math.min(Array.from(forms.plain).length, Array.from(forms.nfkc).length);
}

/**
 * Leet unfolding: 0->o, 1->l/i, 3->e, 4/@->a, 5/$->s, 7->t. Because `1` may stand for `l` or `i`,
 * the canonical form writes all three as `i`, on both sides of every comparison, so that
 * "Al1ce" and "alice" meet. The price is that "l" and "i" are one letter for word matching.
 */
const CANONICAL: Readonly<Record<string, string>> = {
  '0': 'o', '1': 'i', l: 'i', '!': 'i', '|': 'i', '3': 'e', '4': 'a', '@': 'a', '5': 's', $: 's', '7': 't',
};

/** Lower case and leet unfolded, ignorables removed; no NFKC. */
export function folded(text: string): string {
  let out = '';
  for (const ch of stripIgnorable(text).toLowerCase()) out += CANONICAL[ch] ?? ch;
  return out;
}

/** Canonical form for word matching: ignorables removed, NFKC, lower case, leet unfolded. */
export function canonical(text: string): string {
  return folded(stripIgnorable(text).normalize('NFKC'));
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
  return stripIgnorable(text).split(/[^\p{L}\p{N}]+/u).filter((w) => w !== '');
}
