// Per-account guesses from the login name and GECOS, in the manner of John the Ripper's "single"
// mode: the user's own words, mangled the ways people actually mangle them. Rules run in order of
// likelihood across all the account's words (rule 1 on every word, then rule 2, ...), so a small
// budget still covers the likeliest ones.

export interface ContextInput {
  readonly user: string;
  readonly gecos?: string;
  readonly extraWords?: readonly string[];
}

const LEET: Readonly<Record<string, string>> = { a: '4', e: '3', i: '1', o: '0', s: '5', t: '7' };
const LEET_SYM: Readonly<Record<string, string>> = { a: '@', s: '$', i: '!', o: '0' };

/** The account's base words, likeliest first: login, name parts, name combinations, mail. */
export function contextWords(input: ContextInput): string[] {
  const words: string[] = [];
  const add = (w: string | undefined): void => {
    if (w && w.length >= 2 && !words.includes(w)) words.push(w);
  };
  add(input.user);
  const user = input.user.toLowerCase();
  for (const part of user.split(/[^\p{L}\p{N}]+/u)) add(part);
  const name = (input.gecos ?? '').split(',')[0] ?? '';
  const parts = name.split(/[^\p{L}\p{N}]+/u).filter((p) => p.length > 0);
  for (const p of parts) add(p.toLowerCase());
  const [firstName, lastName] = [parts[0], parts[parts.length - 1]];
  if (firstName && lastName && parts.length > 1) {
    add((firstName + lastName).toLowerCase());
    add((firstName[0] + lastName).toLowerCase());
    add((firstName + lastName[0]).toLowerCase());
    add((lastName + firstName).toLowerCase());
  }
  for (const extra of input.extraWords ?? []) {
    const local = extra.includes('@') ? extra.slice(0, extra.indexOf('@')) : extra;
    for (const p of local.split(/[^\p{L}\p{N}]+/u)) add(p.toLowerCase());
  }
  return words;
}

const cap = (w: string): string => w.charAt(0).toUpperCase() + w.slice(1);
const rev = (w: string): string => [...w].reverse().join('');
const leet = (w: string, table: Readonly<Record<string, string>>): string =>
  [...w].map((c) => table[c.toLowerCase()] ?? c).join('');

/** Rules in order of likelihood; each maps a word to zero or more guesses. */
function rules(years: readonly string[]): Array<(w: string) => string[]> {
  const [y0, y1] = [years[0] ?? '', years[1] ?? ''];
  const digits = ['1', '12', '123', '1234', '01', '2', '11', '007', '69', '99', '0'];
  return [
    (w) => [w, w.toLowerCase()],
    (w) => [cap(w.toLowerCase()), w.toUpperCase()],
    (w) => [w + '1', cap(w) + '1', w + '123', cap(w) + '123'],
    (w) => [w + w, rev(w), cap(w) + '!', w + '!', w + '12', cap(w) + '12'],
    (w) => [w + y0, cap(w) + y0, w + y1, cap(w) + y1, cap(w) + y0 + '!', w + y0.slice(2), cap(w) + y0.slice(2)],
    (w) => [leet(w, LEET), leet(w, LEET_SYM), cap(leet(w, LEET)), leet(w, LEET) + '1', cap(leet(w, LEET_SYM)) + '1'],
    (w) => digits.flatMap((d) => [w + d, cap(w) + d]),
    (w) => years.flatMap((y) => [w + y, cap(w) + y, w + y.slice(2), cap(w) + y + '!']),
    (w) => [cap(w) + '1!', cap(w) + '123!', w + '1!', cap(w) + '@' + y0, cap(w) + '#1', w + '.', '1' + w, cap(rev(w)), rev(w) + '1'],
    (w) => [cap(w + w), cap(w) + cap(w), w + w + '1', w.toUpperCase() + '1', w.toUpperCase() + '123'],
  ];
}

/** Recent years first: people put the year they set the password. */
export function recentYears(now: Date = new Date(), count = 8): string[] {
  const y = now.getUTCFullYear();
  return Array.from({ length: count }, (_v, i) => String(y - i));
}

/** Context guesses for one account (or the union for accounts sharing one hash), deduplicated. */
export function contextGuesses(inputs: readonly ContextInput[], now: Date = new Date()): string[] {
  const words: string[] = [];
  for (const i of inputs) for (const w of contextWords(i)) if (!words.includes(w)) words.push(w);
  const out = new Set<string>();
  for (const rule of rules(recentYears(now))) {
    for (const w of words) for (const g of rule(w)) if (g !== '') out.add(g);
  }
  return [...out];
}
