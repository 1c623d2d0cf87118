// The ranked word lists shared by every account: the policy's org_words, the built-in lists in
// the order and with the words @pwguard/strength's BUILT_IN_LISTS gives (famous passwords, the
// common-password list, keyboard walks: the checker's model uses the same table), then each --wordlist. Deduplicated (a word belongs to
// the first list that has it), each list read only as far as the guess cap needs; each word
// remembers its list and its rank in it. stream.ts crosses them with the mangling rules.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { fileLines, MAX_LINE_BYTES, openRegular } from '../sources/files.js';
import { BUILT_IN_LISTS, Heap, KEYBOARD_WALKS } from '@pwguard/strength';
import type { SourceProblem } from '../sources/problems.js';

export interface WordlistSpec {
  readonly path: string;
}

export interface GuessList {
  readonly words: readonly string[];
  /** Index into `lists` for each word. */
  readonly listOf: Uint16Array;
  /** 1-based rank of each word within its own list. */
  readonly rankOf: Uint32Array;
  /** 'common' or 'wordlist:<path>'. */
  readonly lists: readonly string[];
  /** Changes when any word or its order changes: a checkpoint from another list is refused. */
  readonly fingerprint: string;
}

export const COMMON_LIST_NAME = 'common';
export const ORG_LIST_NAME = 'org_words';
export const KEYBOARD_LIST_NAME = 'keyboard';

export const FAMOUS_LIST_NAME = 'famous';

/** The keyboard walks live with the rest of the list model in @pwguard/strength (BUILT_IN_LISTS). */
export { KEYBOARD_WALKS };

/** The built-in ranked list (zxcvbn-ts language-common passwords, most common first). */
export function commonPasswords(): readonly string[] {
  // Required on first use: the package decompresses its lists when loaded.
  const { dictionary } = createRequire(import.meta.url)('@zxcvbn-ts/language-common') as typeof import('@zxcvbn-ts/language-common');
  return dictionary['passwords-common'];
}

interface Ranked {
  readonly word: string;
  readonly count?: number;
}

/**
 * Parse a wordlist: one guess per line, optionally `WORD:COUNT` (HIBP-style frequency), in which
 * case the list is ordered by count, most frequent first. Lines that are not valid UTF-8 are
 * reported and skipped.
 */
export function parseWordlist(buf: Buffer, where: string, problems: SourceProblem[]): string[] {
  const dec = new TextDecoder('utf-8', { fatal: true });
  const ranked: Ranked[] = [];
  let start = 0;
  let line = 0;
  let counted = 0;
  for (let i = 0; i <= buf.length; i++) {
    if (i < buf.length && buf[i] !== 0x0a) continue;
    line++;
    let end = i;
    if (end > start && buf[end - 1] === 0x0d) end--;
    const bytes = buf.subarray(start, end);
    start = i + 1;
    if (bytes.length === 0) continue;
    let text: string;
    try {
      text = dec.decode(bytes);
    } catch {
      problems.push({ where, line, message: 'not valid UTF-8: line skipped' });
      continue;
    }
    const m = /^(.+):(\d{1,15})$/.exec(text);
    if (m) counted++;
    ranked.push(m ? { word: m[1] as string, count: Number(m[2]) } : { word: text });
  }
  if (counted > 0 && counted === ranked.length) {
    return ranked.map((r, i) => ({ ...r, i })).sort((a, b) => (b.count ?? 0) - (a.count ?? 0) || a.i - b.i).map((r) => r.word);
  }
  if (counted > 0) {
    problems.push({ where, message: `${counted} of ${ranked.length} lines look like WORD:COUNT but not all: counts ignored, lines used as they are` });
    return ranked.map((r) => (r.count === undefined ? r.word : `${r.word}:${r.count}`));
  }
  return ranked.map((r) => r.word);
}

export interface GuessListOptions {
  readonly common?: boolean;
  /** The policy's org_words: the site's own words, first of all lists. */
  readonly orgWords?: readonly string[];
  readonly wordlists?: readonly string[];
  readonly problems: SourceProblem[];
  /**
   * Words needed at most from each list (the per-account guess cap): a wordlist is read only that
   * far (a WORD:COUNT list is scanned whole but only its top `limit` words are kept).
   */
  readonly limit?: number;
  readonly signal?: AbortSignal;
  /** The memory bound (default MAX_LIST_WORDS); smaller only in tests. */
  readonly maxWords?: number;
}

/** Bound on the words held in memory, whatever --max-guesses says (about 0.5 GB at most). */
export const MAX_LIST_WORDS = 4_000_000;

export async function buildGuessList(options: GuessListOptions): Promise<GuessList> {
  const words: string[] = [];
  const listOf: number[] = [];
  const rankOf: number[] = [];
  const lists: string[] = [];
  const seen = new Set<string>();
  const fp = createHash('sha256');
  const maxWords = options.maxWords ?? MAX_LIST_WORDS;
  const limit = options.limit ?? Infinity;
  let listStart = 0;
  /** Words this list may still add. */
  const room = (): number => Math.max(0, Math.min(maxWords - words.length, limit - (words.length - listStart)));
  /** Add one ranked word; false once no more words are wanted. */
  const add = (w: string, rank: number): boolean => {
    if (room() <= 0) return false;
    if (seen.has(w)) return true;
    seen.add(w);
    words.push(w);
    listOf.push(lists.length - 1);
    rankOf.push(rank);
    fp.update(w).update('\0');
    return true;
  };
  const small = (name: string, list: readonly string[]): void => {
    lists.push(name);
    listStart = words.length;
    list.forEach((w, i) => w !== '' && add(w, i + 1));
    fp.update(`\u0001${name}\u0001`);
  };
  if ((options.orgWords ?? []).length > 0) small(ORG_LIST_NAME, options.orgWords ?? []);
  if (options.common !== false) {
    for (const builtIn of BUILT_IN_LISTS) {
      if (builtIn.source !== COMMON_LIST_NAME) {
        small(builtIn.source, builtIn.words ?? []);
        continue;
      }
      lists.push(COMMON_LIST_NAME);
      // Always whole (it is in memory anyway): a checkpoint then does not depend on --max-guesses.
      commonPasswords().forEach((w, i) => {
        if (!seen.has(w)) {
          seen.add(w);
          words.push(w);
          listOf.push(lists.length - 1);
          rankOf.push(i + 1);
          fp.update(w).update('\0');
        }
      });
      fp.update(`\u0001${COMMON_LIST_NAME}\u0001`);
    }
  }
  for (const path of options.wordlists ?? []) {
    lists.push(`wordlist:${path}`);
    listStart = words.length;
    const cutText = `the guess lists stop at ${maxWords.toLocaleString('en-US')} words: the rest of this wordlist is not used`;
    const byMemory = (): boolean => maxWords - words.length <= limit - (words.length - listStart);
    if (room() > 0) {
      const cut = await readWordlist(path, options.problems, add, room, seen, options.signal);
      if (cut && byMemory()) options.problems.push({ where: path, message: cutText });
    } else {
      await (await openRegular(path, 'wordlist')).fh.close(); // not needed, but a wrong path is still an error
      if (byMemory()) options.problems.push({ where: path, message: cutText });
    }
    fp.update(`\u0001wordlist:${path}\u0001`);
  }
  return {
    words,
    listOf: Uint16Array.from(listOf),
    rankOf: Uint32Array.from(rankOf),
    lists,
    fingerprint: fp.digest('hex').slice(0, 32),
  };
}

type Line = { line: number; text: string } | { line: number; problem: string };

/** Decoded lines of a wordlist; empty lines dropped, bad lines as problems. */
async function* wordlistLines(path: string, signal?: AbortSignal): AsyncGenerator<Line> {
  const dec = new TextDecoder('utf-8', { fatal: true });
  for await (const { line, bytes } of fileLines(path, 'wordlist', signal)) {
    if (bytes === null) {
      yield { line, problem: `longer than ${MAX_LINE_BYTES.toLocaleString('en-US')} bytes: line skipped` };
      continue;
    }
    if (bytes.length === 0) continue;
    try {
      yield { line, text: dec.decode(bytes) };
    } catch {
      yield { line, problem: 'not valid UTF-8: line skipped' };
    }
  }
}

/**
 * Stream one wordlist into `add` (word, 1-based rank). A plain list is read only until `add` says
 * enough. A WORD:COUNT list (its first line decides) is scanned whole, keeping only the `room()`
 * most frequent new words in a bounded heap; a line that is not WORD:COUNT turns it back into a
 * plain list, read again from the start. True when the list had words left over.
 */
async function readWordlist(
  path: string,
  problems: SourceProblem[],
  add: (w: string, rank: number) => boolean,
  room: () => number,
  seen: ReadonlySet<string>,
  signal?: AbortSignal,
): Promise<boolean> {
  const counted = await readCounted(path, problems, room(), seen, signal);
  if (counted.kind === 'counted') {
    let rank = 0;
    for (const r of counted.top) if (!add(r.word, ++rank)) return true;
    return counted.more;
  }
  if (counted.kind === 'mixed') problems.push({ where: path, line: counted.line, message: 'not WORD:COUNT like the first line: counts ignored, lines used as they are' });
  let rank = 0;
  for await (const l of wordlistLines(path, signal)) {
    if ('problem' in l) {
      problems.push({ where: path, line: l.line, message: l.problem });
      continue;
    }
    if (!add(l.text, ++rank)) return true;
  }
  return false;
}

interface Counted { word: string; count: number; order: number }

/** Worse first: a lower count, then a later line. */
const worse = (a: Counted, b: Counted): boolean => a.count < b.count || (a.count === b.count && a.order > b.order);

async function readCounted(
  path: string,
  problems: SourceProblem[],
  keep: number,
  seen: ReadonlySet<string>,
  signal?: AbortSignal,
): Promise<{ kind: 'plain' } | { kind: 'mixed'; line: number } | { kind: 'counted'; top: Counted[]; more: boolean }> {
  const heap = new Heap<Counted>(worse);
  const found: SourceProblem[] = [];
  let order = 0;
  let more = false;
  for await (const l of wordlistLines(path, signal)) {
    if ('problem' in l) {
      found.push({ where: path, line: l.line, message: l.problem });
      continue;
    }
    const m = COUNTED.exec(l.text);
    if (!m) {
      if (order === 0) return { kind: 'plain' }; // the first word decides: read it as a plain list
      return { kind: 'mixed', line: l.line };
    }
    const r = { word: m[1] as string, count: Number(m[2]), order: order++ };
    if (seen.has(r.word)) continue;
    if (heap.size < keep) heap.push(r);
    else if (keep > 0 && worse(heap.peek() as Counted, r)) {
      heap.replaceTop(r);
      more = true;
    } else more = true;
  }
  problems.push(...found);
  const top = heap.items.sort((a, b) => (worse(a, b) ? 1 : worse(b, a) ? -1 : 0));
  const unique = new Set<string>();
  return { kind: 'counted', top: top.filter((r) => !unique.has(r.word) && unique.add(r.word)), more };
}

const COUNTED = /^(.+):(\d{1,15})$/;
