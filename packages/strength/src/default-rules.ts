// The built-in mangling rules, used when no --rules file is given: the ways people most often turn
// a word into a password, each with a weight.
//
// Where the weights come from: they are our reasoned estimates, not measurements. They are
// informed by what published analyses of leaked password sets (RockYou and later leaks) report in
// broad strokes: most passwords built from a word are the word as-is, lowercase; a capitalised
// first letter is the commonest change; digits are the commonest suffix, "1" far ahead, then "123"
// and two-digit numbers; years (recent ones, when the password was set) come next, then "!"; leet
// substitutions, reversal and doubling are rare. A weight is the estimated chance that a password
// made from a list word was made with this rule, scaled so the word as-is is 1 (in (0, 1]); the
// table is sorted by it, so the order is the order of likelihood. Measuring them on a held-out
// corpus would improve them (issue 13, item 3).
import { compileRule, type Rule } from './guess-rules.js';

type Row = readonly [rule: string, weight: number];

const FIXED: readonly Row[] = [
  // The word as written: by far the commonest way.
  [':', 1],
  // Case: a capital first letter is the commonest change of all; all caps much rarer; `l` catches
  // list words written with capitals.
  ['c', 0.3], ['u', 0.05], ['l', 0.04],
  // One digit appended, "1" far ahead of the rest; also with a capital first letter.
  ['$1', 0.25], ['c $1', 0.12], ['$2', 0.05], ['$3', 0.04], ['$7', 0.035], ['$0', 0.03], ['$4', 0.025],
  ['$5', 0.025], ['$9', 0.022], ['$8', 0.02], ['$6', 0.018], ['c $2', 0.015], ['c $3', 0.012],
  // "123", "1234" and "12": the keyboard's digit row, the commonest multi-digit suffixes.
  ['$1 $2 $3', 0.12], ['$1 $2', 0.07], ['c $1 $2 $3', 0.05], ['$1 $2 $3 $4', 0.04], ['c $1 $2', 0.025],
  ['c $1 $2 $3 $4', 0.015], ['$1 $2 $3 $4 $5', 0.012], ['$1 $2 $3 $!', 0.01],
  // Two digits: repeated and "meaningful" pairs people pick (ages, lucky numbers, 69, 99).
  ['$1 $1', 0.03], ['$2 $2', 0.015], ['$1 $3', 0.015], ['$6 $9', 0.015], ['$0 $1', 0.015], ['$9 $9', 0.012],
  ['$2 $3', 0.012], ['$0 $7', 0.01], ['$2 $1', 0.01], ['$1 $0', 0.01], ['$0 $0', 0.01], ['$7 $7', 0.008],
  ['$8 $8', 0.008], ['$3 $3', 0.008], ['$4 $4', 0.006], ['$5 $5', 0.006], ['$1 $4', 0.006], ['$2 $4', 0.006],
  // A symbol at the end, "!" far ahead: what "must contain a symbol" policies produce.
  ['$!', 0.06], ['c $!', 0.05], ['c $1 $!', 0.03], ['$1 $!', 0.025], ['c $1 $2 $3 $!', 0.012],
  ['$.', 0.008], ['$@', 0.006], ['$#', 0.006], ['$*', 0.005], ['$?', 0.004], ['c $! $!', 0.004],
  // A digit in front: rarer than behind.
  ['^1', 0.01], ['^1 ^2 ^3', 0.004],
  // Leet: well known to users, but rare in real passwords; single substitutions first.
  ['sa@', 0.012], ['so0', 0.012], ['se3', 0.01], ['si1', 0.008], ['sa4', 0.008], ['ss$', 0.006],
  ['ss5', 0.005], ['c sa@', 0.006], ['c so0', 0.006], ['sa@ so0', 0.005], ['sa4 se3 si1 so0', 0.004],
  ['sa@ se3 si1 so0 ss$', 0.004], ['c sa@ so0 $1', 0.003], ['sa@ $1', 0.004], ['so0 $1', 0.004],
  // Whole-word changes: all caps with a digit, reversed, doubled, capitalised and doubled.
  ['u $1', 0.008], ['r', 0.008], ['d', 0.01], ['c d', 0.003], ['u $!', 0.003], ['c r', 0.002],
];

/**
 * Years as people use them: the year the password was set (this year and the last few, decaying
 * with age), also capitalised and with "!" (Summer2024!), and two-digit forms.
 */
function yearRows(now: Date): Row[] {
  const rows: Row[] = [];
  const year = now.getUTCFullYear();
  for (let y = year + 1; y >= year - 10; y--) {
    const age = Math.max(0, year - y);
    const w = 0.05 * 0.75 ** age * (y > year ? 0.4 : 1);
    const digits = String(y).split('').map((d) => `$${d}`).join(' ');
    const two = String(y).slice(2).split('').map((d) => `$${d}`).join(' ');
    // "!!" after the year: a second symbol to reach a minimum length of 12 (Summer2024!!), taken
    // as about a third as likely as one "!".
    rows.push([digits, w], [`c ${digits}`, w * 0.8], [`c ${digits} $!`, w * 0.5], [`c ${digits} $! $!`, w * 0.15], [two, w * 0.3]);
  }
  return rows;
}

/** The built-in rules for a run on date `now`, likeliest first (weights descending). */
export function defaultRules(now: Date = new Date()): Rule[] {
  const rows = [...FIXED, ...yearRows(now)].sort((a, b) => b[1] - a[1]);
  return rows.map(([text, weight]) => ({ ...compileRule(text, 'hashcat'), where: 'built-in', weight }));
}

/** The built-in rules as of when this module was loaded. */
export const DEFAULT_RULES: readonly Rule[] = defaultRules();
