// The shared part of every account's candidate stream: each ranked list (org_words, the common
// list, keyboard walks, each --wordlist) crossed with the mangling rules, likeliest first, made
// once for the run and kept (it is the same for every account; at most the guess cap long). A
// candidate's weight is its word's weight in its list times its rule's weight; the list weights
// are a Zipf law over the word's rank in its own list (1 / rank) times the list's prior.
import { createHash } from 'node:crypto';
import { BUILT_IN_LISTS, guessStream, type RankedWords, type Rule } from '@pwguard/strength';
import { ORG_LIST_NAME, type GuessList } from './lists.js';

/**
 * How likely a password is to come from each list at all, relative to the common list (1). The
 * built-in lists' priors are the checker's (BUILT_IN_LISTS in @pwguard/strength). The site's own
 * words (org_words, a --wordlist the administrator wrote) get more, so they are reached early
 * however long they are and whatever the common list holds.
 */
export const LIST_PRIOR: Readonly<Record<string, number>> = {
  [ORG_LIST_NAME]: 2,
  ...Object.fromEntries(BUILT_IN_LISTS.map((l) => [l.source, l.prior])),
};
const WORDLIST_PRIOR = 1.5;

export function listPrior(name: string): number {
  return LIST_PRIOR[name] ?? WORDLIST_PRIOR;
}

/** The shared candidates in order; `listOf`/`rankOf` describe each candidate's base word. */
export interface GuessStream extends GuessList {
  /** Each candidate's weight, descending. */
  readonly weights: Float64Array;
  /** 1 when a rule changed the base word (Sunflower2018!), 0 when it is tried as written. */
  readonly mangled: Uint8Array;
  /** Index of each candidate (a password) in `words`, for the merge with the context. */
  readonly indexOf: ReadonlyMap<string, number>;
  /** Per list (as `lists`): how many base words it holds, and where they and its candidates are in the stream. */
  readonly perList: readonly ListPositions[];
}

export interface ListPositions {
  /** Base words of the list in play. */
  readonly words: number;
  /** Stream index of each base word as written, ascending (words past the stream's end are left out). */
  readonly wordAt: Uint32Array;
  /** Stream index of each candidate made from this list (word x rule), ascending. */
  readonly candidateAt: Uint32Array;
}

/** How far each list got once the first `consumed` shared candidates were tried (report.ts: ListCoverage). */
export function listCoverage(stream: GuessStream, consumed: number): Array<{ list: string; words: number; wordsTried: number; candidatesTried: number }> {
  return stream.lists.map((list, i) => {
    const p = stream.perList[i] as ListPositions;
    return { list, words: p.words, wordsTried: below(p.wordAt, consumed), candidatesTried: below(p.candidateAt, consumed) };
  });
}

/** How many entries of an ascending array are < n. */
function below(a: Uint32Array, n: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((a[mid] as number) < n) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Cross the lists with the rules; the first `max` candidates, likeliest first, each once. */
export function buildGuessStream(list: GuessList, rules: readonly Rule[], max: number): GuessStream {
  const ranked: RankedWords[] = [];
  const globalIndex: number[][] = [];
  list.lists.forEach((name, li) => {
    const idx: number[] = [];
    for (let g = 0; g < list.words.length; g++) if (list.listOf[g] === li) idx.push(g);
    const prior = listPrior(name);
    globalIndex.push(idx);
    ranked.push({ name, words: idx.map((g) => list.words[g] as string), weight: (i) => prior / (list.rankOf[idx[i] as number] as number) });
  });
  const words: string[] = [];
  const weights: number[] = [];
  const listOf: number[] = [];
  const rankOf: number[] = [];
  const mangled: number[] = [];
  const indexOf = new Map<string, number>();
  for (const c of guessStream(ranked, rules, max)) {
    const g = (globalIndex[c.list] as number[])[c.word] as number;
    indexOf.set(c.password, words.length);
    words.push(c.password);
    weights.push(c.weight);
    listOf.push(c.list);
    rankOf.push(list.rankOf[g] as number);
    mangled.push(c.password === list.words[g] ? 0 : 1);
  }
  // One pass over the base words and one over the candidates (a list may hold millions of words).
  const wordAt: number[][] = list.lists.map(() => []);
  const wordCount = list.lists.map(() => 0);
  for (let g = 0; g < list.words.length; g++) {
    const li = list.listOf[g] as number;
    wordCount[li] = (wordCount[li] as number) + 1;
    const at = indexOf.get(list.words[g] as string);
    if (at !== undefined) (wordAt[li] as number[]).push(at);
  }
  const candidateAt: number[][] = list.lists.map(() => []);
  listOf.forEach((li, i) => (candidateAt[li] as number[]).push(i));
  const perList: ListPositions[] = list.lists.map((_n, li) => ({
    words: wordCount[li] as number, wordAt: Uint32Array.from(wordAt[li] as number[]).sort(), candidateAt: Uint32Array.from(candidateAt[li] as number[]),
  }));
  const fp = createHash('sha256').update(`stream/1\0${list.fingerprint}\0`);
  for (const r of rules) fp.update(`${r.dialect}\0${r.text}\0${r.weight ?? 1}\n`);
  return {
    words, lists: list.lists, listOf: Uint16Array.from(listOf), rankOf: Uint32Array.from(rankOf), weights: Float64Array.from(weights),
    mangled: Uint8Array.from(mangled), indexOf, perList, fingerprint: fp.digest('hex').slice(0, 32),
  };
}
