// Is a password among the first guesses of the attacker the audit plays? The audit enumerates
// guessStream (ranked lists x weighted rules, best first) and hashes each candidate; the checker
// asks the same question of one password without enumerating: it undoes each built-in rule (strip
// the appended and prepended characters, lower the case, read the substitutions back, reverse,
// halve), looks the base words up in the ranked lists, confirms with the rule itself
// (applyRule(rule, base) === password), and turns the best weight found into a guess number.
//
// The estimate: guessStream yields candidates in descending weight, where a candidate's weight is
// its list weight times its rule weight. So a candidate of weight w comes after roughly every
// (list, word, rule) triple of weight >= w:
//
//     position(w) ~= sum over lists L, rules r of #{ i : weightL(i) * w_r >= w }
//
// and for a Zipf list (weight p / (i + 1), guessStream's default) the count is the closed form
// min(size, floor(p * w_r / w)). It over-counts a little (the stream drops duplicates and words a
// rule rejects); test/guess-model.test.ts compares it with real guessStream positions.
//
// Cost: about 140 rules, each undone in a few string operations to at most MAX_BASES_PER_RULE base
// words (almost always none or one), one hash lookup per list each: a few hundred lookups, no
// enumeration, the same in a browser.
import { applyRule, type Rule } from './guess-rules.js';
import type { RankedWords } from './guess-stream.js';
import { PREDICTABLE_PARTS } from './messages.js';
import { renderTemplate } from './template.js';
import type { ZxcvbnLike } from './estimate.js';

/** Where a base word came from; the checker's context kinds come from checker.ts's word labels. */
export type GuessSource = 'context' | 'famous' | 'common' | 'keyboard';

/** One ranked list of the model: how many words, their weights, and a lookup (never enumerated). */
export interface ModelList {
  readonly source: GuessSource;
  readonly size: number;
  /** Weight of the word at 0-based `index`; never grows with the index. */
  readonly weight: (index: number) => number;
  /** #{ i < size : weight(i) >= w }, exactly (the estimate's building block). */
  readonly countAtLeast: (w: number) => number;
  /** 0-based index of `word`, or undefined. */
  readonly indexOf: (word: string) => number | undefined;
  /** For context words: which kind ("user name", ...), by index. */
  readonly what?: (index: number) => string;
}

export interface GuessModel {
  readonly lists: readonly ModelList[];
  readonly rules: readonly Rule[];
}

export interface Predictable {
  readonly source: GuessSource;
  /** What kind of password it is, in words (PREDICTABLE_PARTS): never the password or its base word. */
  readonly kind: string;
  /** Estimated position in the attacker's guess order (1-based). */
  readonly guesses: number;
  /** The round bound shown to people: the power of ten at or above `guesses`, at most the limit. */
  readonly within: number;
}

/**
 * The account's own words weigh as much as the commonest password: the audit tries them first
 * (issue 13: context words come right after the empty password).
 */
export const CONTEXT_WEIGHT = 1;

/**
 * Passwords known by name (published as examples of good or bad passwords, and so in every
 * attacker's list), weighted like the top of the common list (prior 0.5, Zipf).
 */
export const FAMOUS_PASSWORDS: readonly string[] = [
  'correcthorsebatterystaple', 'Tr0ub4dor&3', 'correct horse battery staple', 'CorrectHorseBatteryStaple',
  'correct-horse-battery-staple', 'hunter2', 'swordfish', 'opensesame', 'trustno1', 'iloveyou',
];
export const FAMOUS_PRIOR = 0.5;

/**
 * Keyboard walks, likeliest first: the ones that lead leaked-password lists beyond the common
 * list's own (rows, columns, zig-zags of a US/European keyboard). Few passwords are walks, and the
 * common list already has the commonest, so the prior is low.
 */
export const KEYBOARD_WALKS: readonly string[] = [
  'qwerty', 'qwertyuiop', 'asdfgh', 'asdfghjkl', 'zxcvbn', 'zxcvbnm', '1qaz2wsx', 'qazwsx', 'qwer', 'asdf', 'zxcv',
  'qweasd', 'qweasdzxc', '1q2w3e', '1q2w3e4r', '1q2w3e4r5t', 'zaq12wsx', 'zaq1xsw2', 'q1w2e3r4', 'qwe123', 'asd123',
  '!qaz2wsx', '1qazxsw2', 'qwertz', 'azerty', 'ytrewq', 'poiuytrewq', 'mnbvcxz', 'qaz123', 'wsxedc', '3edc4rfv',
  '123qwe', '123qweasd', 'qwerasdf', 'asdfjkl', 'jkl;', 'qwerty123', 'qwertyui', 'asdfg', '2wsx3edc', '1qaz@WSX',
];
export const KEYBOARD_PRIOR = 0.2;

/** The common list's prior: the unit the other priors are relative to. */
export const COMMON_PRIOR = 1;

/** One of the attacker's built-in ranked lists: its words (none for the common list, see below) and prior. */
export interface BuiltInList {
  readonly source: 'famous' | 'common' | 'keyboard';
  readonly prior: number;
  /** Absent for 'common': zxcvbn-ts's list, which the audit reads from the package and the checker from zxcvbn. */
  readonly words?: readonly string[];
}

/**
 * The attacker's built-in lists, in the order the audit tries them and the checker looks words up
 * (after the account's own words; a word belongs to the first list that has it), each with its
 * prior (a word's weight is prior / rank). The one home of the list model: the audit's guess lists
 * (packages/audit/src/guesses/lists.ts), its priors (stream.ts) and the checker's model
 * (checker.ts) are all made from this table.
 */
export const BUILT_IN_LISTS: readonly BuiltInList[] = [
  { source: 'famous', prior: FAMOUS_PRIOR, words: FAMOUS_PASSWORDS },
  { source: 'common', prior: COMMON_PRIOR },
  { source: 'keyboard', prior: KEYBOARD_PRIOR, words: KEYBOARD_WALKS },
];

/** zxcvbn-ts's language-common password list, the audit's built-in common list, by this name. */
export const COMMON_DICTIONARY = 'passwords-common';
/** Its length (zxcvbn-ts 4.x; a test checks it against the package). */
export const COMMON_LIST_SIZE = 49_233;

/** A list whose weight is prior / (index + 1), guessStream's default. */
export function zipfList(source: GuessSource, size: number, prior: number, indexOf: (word: string) => number | undefined): ModelList {
  return {
    source,
    size,
    weight: (i) => prior / (i + 1),
    countAtLeast: (w) => (w <= 0 ? size : Math.min(size, Math.floor(prior / w))),
    indexOf,
  };
}

/** Context words (lower-cased, each once), all of weight CONTEXT_WEIGHT. */
export function contextList(words: readonly { readonly word: string; readonly what: string }[]): ModelList {
  const index = new Map<string, number>();
  const whats: string[] = [];
  for (const { word, what } of words) {
    const w = word.toLowerCase();
    if (w === '' || index.has(w)) continue;
    index.set(w, whats.length);
    whats.push(what);
  }
  return {
    source: 'context',
    size: whats.length,
    weight: () => CONTEXT_WEIGHT,
    countAtLeast: (w) => (CONTEXT_WEIGHT >= w ? whats.length : 0),
    indexOf: (word) => index.get(word),
    what: (i) => whats[i] ?? '',
  };
}

/** A short built-in list as a model list (Zipf over its order; a word listed twice keeps its first rank). */
function smallList(source: GuessSource, prior: number, words: readonly string[]): ModelList {
  const index = new Map<string, number>();
  words.forEach((w, i) => { if (!index.has(w)) index.set(w, i); });
  return zipfList(source, words.length, prior, (w) => index.get(w));
}

export function famousList(): ModelList {
  return smallList('famous', FAMOUS_PRIOR, FAMOUS_PASSWORDS);
}

/**
 * BUILT_IN_LISTS as model lists, in that order, with the common list as given (commonListOf; the
 * list is left out when null, as when the estimator has no such dictionary).
 */
export function builtInModelLists(common: ModelList | null): ModelList[] {
  const out: ModelList[] = [];
  for (const l of BUILT_IN_LISTS) {
    if (l.source === 'common') {
      if (common) out.push(common);
    } else out.push(smallList(l.source, l.prior, l.words ?? []));
  }
  return out;
}

/**
 * The common list as zxcvbn already holds it (rankedDictionaries: word -> 1-based rank), so the
 * checker needs no download of its own; null when the estimator has no such dictionary.
 */
export function commonListOf(zx: ZxcvbnLike): ModelList | null {
  const options = (zx as { options?: { rankedDictionaries?: Record<string, Record<string, unknown>> } }).options;
  const ranked = options?.rankedDictionaries?.[COMMON_DICTIONARY];
  if (!ranked) return null;
  return zipfList('common', COMMON_LIST_SIZE, COMMON_PRIOR, (word) => {
    const rank = ranked[word]; // a plain object: "constructor" and the like are no number
    return typeof rank === 'number' && rank >= 1 ? rank - 1 : undefined;
  });
}

/** The model's lists as guessStream input, for the audit and for tests: same order, same weights. */
export function streamLists(model: GuessModel, words: readonly (readonly string[])[]): RankedWords[] {
  return model.lists.map((l, li) => ({ name: l.source, words: words[li] ?? [], weight: l.weight }));
}

/** The estimated 1-based position of a candidate of weight `w` in guessStream's order. */
export function estimatePosition(model: GuessModel, w: number): number {
  let n = 0;
  for (const list of model.lists) {
    for (const rule of model.rules) {
      const wr = rule.weight ?? 1;
      n += list.countAtLeast(w / wr);
    }
  }
  return Math.max(1, n);
}

/**
 * The earliest way the model guesses `password`, if that is within `limit` guesses (0 = off).
 * Never throws on odd input: a rule it cannot undo is simply not tried.
 */
export function predictable(password: string, model: GuessModel, limit: number): Predictable | null {
  if (limit <= 0 || password === '' || password.length > MAX_LENGTH) return null;
  let best: { weight: number; list: ModelList; index: number; rule: Rule } | null = null;
  for (const rule of model.rules) {
    const ops = opsOf(rule);
    if (!ops) continue;
    const wr = rule.weight ?? 1;
    for (const base of undo(ops, password)) {
      // A word belongs to the first list that has it, as in the audit's guess lists.
      const found = firstListOf(model.lists, base);
      if (!found) continue;
      const weight = found.list.weight(found.index) * wr;
      if (best && weight <= best.weight) continue;
      if (applyRule(rule, base) !== password) continue; // the rule itself has the last word
      best = { weight, list: found.list, index: found.index, rule };
    }
  }
  if (!best) return null;
  const guesses = estimatePosition(model, best.weight);
  if (guesses > limit) return null;
  let within = 10;
  while (within < guesses) within *= 10;
  return { source: best.list.source, kind: kindOf(best.list, best.index, opsOf(best.rule) ?? []), guesses, within: Math.min(within, limit) };
}

function firstListOf(lists: readonly ModelList[], word: string): { list: ModelList; index: number } | null {
  for (const list of lists) {
    const index = list.indexOf(word);
    if (index !== undefined) return { list, index };
  }
  return null;
}

/** Longest password the model looks at: list words are short, and undoing costs per character. */
const MAX_LENGTH = 64;

type Op =
  | { readonly f: ':' | 'c' | 'u' | 'l' | 'r' | 'd' }
  | { readonly f: '$' | '^'; readonly ch: string }
  | { readonly f: 's'; readonly from: string; readonly to: string };

/** The rule as the few hashcat functions the model can undo, or null (the rule is then skipped). */
function opsOf(rule: Rule): Op[] | null {
  if (rule.dialect !== 'hashcat') return null;
  const t = rule.text;
  const ops: Op[] = [];
  for (let i = 0; i < t.length;) {
    const f = t[i] as string;
    if (f === ' ') i++;
    else if (f === ':' || f === 'c' || f === 'u' || f === 'l' || f === 'r' || f === 'd') {
      ops.push({ f });
      i++;
    } else if ((f === '$' || f === '^') && i + 1 < t.length) {
      ops.push({ f, ch: t[i + 1] as string });
      i += 2;
    } else if (f === 's' && i + 2 < t.length) {
      ops.push({ f, from: t[i + 1] as string, to: t[i + 2] as string });
      i += 3;
    } else return null;
  }
  return ops;
}

/** Substituted characters read back both ways up to this many; beyond, only all-or-none. */
const MAX_AMBIGUOUS = 4;
/** Base words kept per rule (the likeliest readings first): bounds the lookups whatever the input. */
export const MAX_BASES_PER_RULE = 8;

/** Base words that `ops` could have turned into `s` (a superset: the caller confirms). */
function undo(ops: readonly Op[], s: string): string[] {
  let words = [s];
  for (let k = ops.length - 1; k >= 0 && words.length > 0; k--) {
    const op = ops[k] as Op;
    const next: string[] = [];
    for (const w of words) next.push(...undoOne(op, w));
    words = [...new Set(next)].slice(0, MAX_BASES_PER_RULE);
  }
  return words.filter((w) => w !== '');
}

function undoOne(op: Op, s: string): string[] {
  switch (op.f) {
    case ':': return [s];
    case 'c': case 'u': case 'l': return [s.toLowerCase()];
    case 'r': return [[...s].reverse().join('')];
    case 'd': {
      const half = s.length / 2;
      return Number.isInteger(half) && s.slice(0, half) === s.slice(half) ? [s.slice(0, half)] : [];
    }
    case '$': return s.endsWith(op.ch) ? [s.slice(0, -1)] : [];
    case '^': return s.startsWith(op.ch) ? [s.slice(1)] : [];
    case 's': {
      if (op.from !== op.to && s.includes(op.from)) return []; // every `from` was replaced
      const at = [...s].flatMap((c, i) => (c === op.to ? [i] : []));
      if (at.length === 0) return [s];
      const all = [...s].map((c) => (c === op.to ? op.from : c)).join('');
      if (at.length > MAX_AMBIGUOUS) return [all, s];
      const out: string[] = [all]; // every one substituted first: list words rarely hold the look-alike
      for (let mask = 0; mask < 1 << at.length; mask++) {
        const cs = [...s];
        at.forEach((i, b) => { if (mask & (1 << b)) cs[i] = op.from; });
        out.push(cs.join(''));
      }
      return out;
    }
  }
}

/** The kind of password in words, from the list and the rule (PREDICTABLE_PARTS in messages.ts). */
function kindOf(list: ModelList, index: number, ops: readonly Op[]): string {
  const P = PREDICTABLE_PARTS;
  const subject = list.source === 'context' ? contextSubject(list.what?.(index) ?? '') : list.source === 'famous' ? P.famous : list.source === 'keyboard' ? P.keyboard : P.common;
  const changes: string[] = [];
  let appended = '';
  let prepended = '';
  for (const op of ops) {
    if (op.f === 'c') changes.push(P.capitalised);
    else if (op.f === 'u') changes.push(P.capitals);
    else if (op.f === 'r') changes.push(P.reversed);
    else if (op.f === 'd') changes.push(P.doubled);
    else if (op.f === 's') changes.push(P.lookalikes);
    else if (op.f === '$') appended += op.ch;
    else if (op.f === '^') prepended = op.ch + prepended;
  }
  const added = [...partsOf(prepended), ...partsOf(appended)];
  const template = changes.length > 0 ? (added.length > 0 ? P.changedAdded : P.changed) : added.length > 0 ? P.added : P.asIs;
  return renderTemplate(template, { subject, changes: [...new Set(changes)], added: joinAnd([...new Set(added)]) });
}

function contextSubject(what: string): string {
  const P = PREDICTABLE_PARTS;
  if (what === 'user name') return P.userName;
  if (what === "organisation's name") return P.orgName;
  return P.accountWords;
}

/** "2024!!" -> a year, symbols; "123" -> digits. */
function partsOf(s: string): string[] {
  const P = PREDICTABLE_PARTS;
  return (s.match(/\d+|\D+/g) ?? []).map((run) => {
    if (/^\d+$/.test(run)) return /^(19|20)\d\d$/.test(run) ? P.year : run.length === 1 ? P.digit : P.digits;
    return run.length === 1 ? P.symbol : P.symbols;
  });
}

function joinAnd(parts: readonly string[]): string {
  if (parts.length <= 1) return parts.join('');
  return renderTemplate(PREDICTABLE_PARTS.and, { first: parts.slice(0, -1), last: parts[parts.length - 1] });
}
