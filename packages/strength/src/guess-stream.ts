// The guess order an attacker uses: every ranked word list crossed with every mangling rule, the
// likeliest candidate first. A candidate's weight is its word's weight in its list times its rule's
// weight (default-rules.ts says where the rule weights come from); the stream is a best-first merge
// over (list, rule) pairs, so it costs O(log(lists x rules)) a candidate and never materialises the
// cross product. The audit hashes these candidates; the checker asks whether a password is among
// the first of them. Pure and browser-safe.
import { applyRule, type Rule } from './guess-rules.js';
import { Heap } from './heap.js';

export interface RankedWords {
  /** What the list is, for reports ("built-in common list", a file name): never a line of it. */
  readonly name: string;
  /** The words, likeliest first. */
  readonly words: readonly string[];
  /**
   * The weight of the word at `index`; must not grow with the index. Default: the list's `prior`
   * times a Zipf law 1 / (index + 1), what ranked password lists follow closely.
   */
  readonly weight?: (index: number) => number;
  /** How likely a password is to come from this list at all (default 1). */
  readonly prior?: number;
}

export interface Candidate {
  readonly password: string;
  readonly weight: number;
  /** Which list, word and rule made it (indexes into the arguments). */
  readonly list: number;
  readonly word: number;
  readonly rule: number;
}

interface Entry {
  weight: number;
  list: number;
  word: number;
  rule: number;
  /** Position of `rule` in the rules by weight (ruleOrder): the word-0 entries are a chain. */
  k: number;
}

/**
 * Candidates in descending weight, each password once (the first, likeliest way to make it wins).
 * `max` bounds how many are produced (and so the memory the duplicate check holds).
 *
 * A list's first word under the next-heaviest rule enters the heap only when the same word under
 * the rule before it leaves, so a stream starts with one entry per list, not one per list and
 * rule: the audit starts a context stream (1,264 rules) for every account it guesses, and the
 * full start made 100 KB of garbage each (docs/performance.md, 100k accounts).
 */
export function* guessStream(lists: readonly RankedWords[], rules: readonly Rule[], max = Infinity): Generator<Candidate> {
  const weightOf = lists.map((l) => l.weight ?? ((i: number) => (l.prior ?? 1) / (i + 1)));
  const order = ruleOrder(rules);
  const heap = new Heap<Entry>(before);
  const first = (li: number, k: number): Entry => {
    const rule = order[k] as number;
    return { weight: (weightOf[li] as (i: number) => number)(0) * ruleWeight(rules[rule] as Rule), list: li, word: 0, rule, k };
  };
  // The chain needs products in the rules' weight order: a positive finite first-word weight.
  const chained = lists.map((_l, li) => {
    const w = (weightOf[li] as (i: number) => number)(0);
    return w > 0 && Number.isFinite(w);
  });
  lists.forEach((l, li) => {
    if (l.words.length === 0 || rules.length === 0) return;
    if (chained[li]) heap.push(first(li, 0));
    else for (let k = 0; k < order.length; k++) heap.push(first(li, k));
  });
  const seen = new Set<string>();
  while (seen.size < max) {
    const e = heap.pop();
    if (!e) return;
    const list = lists[e.list] as RankedWords;
    if (e.word === 0 && chained[e.list] && e.k + 1 < order.length) heap.push(first(e.list, e.k + 1));
    const password = applyRule(rules[e.rule] as Rule, list.words[e.word] as string);
    if (e.word + 1 < list.words.length) {
      heap.push({ ...e, word: e.word + 1, weight: (weightOf[e.list] as (i: number) => number)(e.word + 1) * ruleWeight(rules[e.rule] as Rule) });
    }
    if (password === null || password === '' || seen.has(password)) continue;
    seen.add(password);
    yield { password, weight: e.weight, list: e.list, word: e.word, rule: e.rule };
  }
}

/** Rule indexes by descending weight, ties in file order (the heap's own tie order); cached per array. */
const orders = new WeakMap<readonly Rule[], number[]>();
function ruleOrder(rules: readonly Rule[]): number[] {
  let o = orders.get(rules);
  if (!o) {
    o = rules.map((_r, i) => i).sort((a, b) => ruleWeight(rules[b] as Rule) - ruleWeight(rules[a] as Rule) || a - b);
    orders.set(rules, o);
  }
  return o;
}

/** A rule file's rules carry no weight: they count as equally likely, in file order (ties keep order). */
function ruleWeight(r: Rule): number {
  return r.weight ?? 1;
}

/** Heavier first; ties go to the lower list, then rule, then word (a stable order). */
function before(x: Entry, y: Entry): boolean {
  if (x.weight !== y.weight) return x.weight > y.weight;
  if (x.list !== y.list) return x.list < y.list;
  if (x.rule !== y.rule) return x.rule < y.rule;
  return x.word < y.word;
}
