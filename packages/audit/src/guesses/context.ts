// Per-account guesses from the login name, GECOS and mail, in the manner of John the Ripper's
// "single" mode: the user's own words crossed with weighted mangling rules (the built-in ones plus
// years back to 1940 and dates), likeliest first, by the same best-first merge as the shared lists
// (guessStream), so their weights can be compared with the shared lists' in one stream.
import { compileRule, defaultRules, guessStream, type Candidate, type RankedWords, type Rule } from '@pwguard/strength';

export interface ContextInput {
  readonly user: string;
  readonly gecos?: string;
  readonly extraWords?: readonly string[];
  /** The shadow `lastchg` field (days since 1970), when known: years near it come first. */
  readonly lastChangeDays?: number;
}


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

/** Days since 1970 of the shadow `lastchg` field, as a year (undefined when unknown or 0). */
export function yearOfDays(days: number | undefined): number | undefined {
  return days === undefined || days <= 0 ? undefined : new Date(days * 86_400_000).getUTCFullYear();
}

/**
 * Years as the account's own words get them. Three reasons a year is in a password, added up:
 * the year it was set (now and the last few, decaying with age: defaultRules already has these),
 * the year of the shadow last-change date and the one before (the password was set then), and a
 * birth year (1940 to ten years ago, most weight on the 1960s to 1990s, where the users of a site
 * were born). The weights are estimates in the same units as default-rules.ts (the word as-is = 1):
 * a recent year ~0.05, a birth year 0.004 to 0.014, a date 0.0004; docs/audit.md says why.
 */
function yearRows(now: Date, lastChangeYear: number | undefined): Array<[string, number]> {
  const year = now.getUTCFullYear();
  const rows: Array<[string, number]> = [];
  const digits = (s: string): string => s.split('').map((d) => `$${d}`).join(' ');
  const add = (y: number, w: number): void => {
    const four = digits(String(y));
    const two = digits(String(y).slice(2));
    rows.push([four, w], [`c ${four}`, w * 0.8], [two, w * 0.5], [`c ${two}`, w * 0.4], [`c ${four} $!`, w * 0.3]);
  };
  for (let y = year - 10; y >= 1940; y--) add(y, 0.002 + 0.012 * Math.exp(-(((y - 1980) / 18) ** 2) / 2));
  if (lastChangeYear !== undefined && lastChangeYear >= 1970 && lastChangeYear <= year + 1) {
    add(lastChangeYear, 0.05);
    add(lastChangeYear - 1, 0.025);
  }
  return rows;
}

/** Dates people add to their name: ddmm and mmdd (birthdays, anniversaries), every day of the year. */
function dateRows(): Array<[string, number]> {
  const rows: Array<[string, number]> = [];
  const two = (n: number): string => String(n).padStart(2, '0').split('').map((d) => `$${d}`).join(' ');
  const days = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  days.forEach((n, m) => {
    for (let d = 1; d <= n; d++) rows.push([`${two(d)} ${two(m + 1)}`, 0.0004], [`${two(m + 1)} ${two(d)}`, 0.0004]);
  });
  return rows;
}

const ruleCache = new Map<string, Rule[]>();

/**
 * The rules for the account's own words: the built-in rules, plus birth years back to 1940, the
 * years of the last password change, and dates. Likeliest first.
 */
export function contextRules(now: Date = new Date(), lastChangeYear?: number): Rule[] {
  const key = `${now.getUTCFullYear()}/${lastChangeYear ?? ''}`;
  let rules = ruleCache.get(key);
  if (!rules) {
    const extra = [...yearRows(now, lastChangeYear), ...dateRows()].map(([text, weight]) => ({ ...compileRule(text, 'hashcat'), where: 'built-in context rules', weight }));
    rules = [...defaultRules(now), ...extra].sort((a, b) => (b.weight ?? 1) - (a.weight ?? 1));
    if (ruleCache.size > 64) ruleCache.clear();
    ruleCache.set(key, rules);
  }
  return rules;
}

/**
 * Weight of the account's own words relative to the shared lists' top word (1): the login as
 * written is about as likely a password for its account as "123456" is for any account.
 */
export const CONTEXT_PRIOR = 1;

/** The account's words as one ranked list (accounts sharing a hash pool theirs). */
export function contextList(inputs: readonly ContextInput[]): RankedWords {
  const words: string[] = [];
  for (const i of inputs) for (const w of contextWords(i)) if (!words.includes(w)) words.push(w);
  return { name: 'context', words, prior: CONTEXT_PRIOR };
}

/** The last-change year that the accounts sharing one hash agree on (the latest). */
function lastChangeOf(inputs: readonly ContextInput[]): number | undefined {
  const years = inputs.map((i) => yearOfDays(i.lastChangeDays)).filter((y): y is number => y !== undefined);
  return years.length > 0 ? Math.max(...years) : undefined;
}

/** The context candidates, likeliest first, with their weights. */
export function contextCandidates(inputs: readonly ContextInput[], now: Date = new Date(), max = Infinity): Generator<Candidate> {
  return guessStream([contextList(inputs)], contextRules(now, lastChangeOf(inputs)), max);
}

/** Context guesses for one account (or the union for accounts sharing one hash), deduplicated. */
export function contextGuesses(inputs: readonly ContextInput[], now: Date = new Date(), max = Infinity): string[] {
  return [...contextCandidates(inputs, now, max)].map((c) => c.password);
}
