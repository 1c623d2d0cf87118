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
  const fp = createHash('sha256').update(`stream/1\0${list.fingerprint}\0`);
  for (const r of rules) fp.update(`${r.dialect}\0${r.text}\0${r.weight ?? 1}\n`);
  return {
    words, lists: list.lists, listOf: Uint16Array.from(listOf), rankOf: Uint32Array.from(rankOf), weights: Float64Array.from(weights),
    mangled: Uint8Array.from(mangled), indexOf, fingerprint: fp.digest('hex').slice(0, 32),
  };
}
