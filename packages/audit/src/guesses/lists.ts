// The ranked guess lists shared by every account: the built-in common-password list, then each
// --wordlist in order. One deduplicated sequence; each guess remembers its list and rank so the
// report can say "common password #12".
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { readSourceFile, type SourceProblem } from '../sources/problems.js';

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

export async function buildGuessList(options: {
  readonly common?: boolean;
  readonly wordlists?: readonly string[];
  readonly problems: SourceProblem[];
}): Promise<GuessList> {
  const words: string[] = [];
  const listOf: number[] = [];
  const rankOf: number[] = [];
  const lists: string[] = [];
  const seen = new Set<string>();
  const fp = createHash('sha256');
  const addList = (name: string, items: readonly string[]): void => {
    const li = lists.length;
    lists.push(name);
    items.forEach((w, i) => {
      if (seen.has(w)) return;
      seen.add(w);
      words.push(w);
      listOf.push(li);
      rankOf.push(i + 1);
      fp.update(w).update('\0');
    });
    fp.update(`\u0001${name}\u0001`);
  };
  if (options.common !== false) addList(COMMON_LIST_NAME, commonPasswords());
  for (const path of options.wordlists ?? []) {
    const buf = await readSourceFile(path, 'wordlist');
    addList(`wordlist:${path}`, parseWordlist(buf, path, options.problems));
  }
  return {
    words,
    listOf: Uint16Array.from(listOf),
    rankOf: Uint32Array.from(rankOf),
    lists,
    fingerprint: fp.digest('hex').slice(0, 32),
  };
}
