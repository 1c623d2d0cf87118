// zxcvbn-ts's ranked dictionaries in a prebuilt file, so a fresh hook process need not build them.
// zxcvbn-ts turns its 236k-word lists into plain objects (word -> rank) on every start, which costs
// more than the rest of the check together. This file holds the result of that build: one
// open-addressing hash table over all words (each word lists the dictionaries it is in and its
// rank there), plus the other options the build used (graphs, translations, l33t settings), so
// scoring needs only @zxcvbn-ts/core. The lookups mimic a plain object exactly, prototype chain
// included (zxcvbn reads `rankedDict[word]`, so "constructor" is "in" every dictionary there too):
// test/pam/ranked-equivalence checks the scores are the same as loadZxcvbn's over a corpus.
import { crc32 } from 'node:zlib';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import type { ZxcvbnLike, ZxcvbnLoader } from '@pwguard/strength';

const MAGIC = 'PWGZXR1\n';
const U32 = 4;
/** A word's dictionary and rank share one u32: rank * DICT_LIMIT + dictionary index. */
const DICT_LIMIT = 32;

/** The parts of zxcvbn-ts's Options that a loader sets (private in zxcvbn-ts, read by name). */
interface FactoryOptions {
  rankedDictionaries: Record<string, Record<string, number>>;
  rankedDictionariesMaxWordSize: Record<string, number>;
  graphs: unknown;
  translations: unknown;
  l33tTable: unknown;
  l33tMaxSubstitutions: number;
  maxLength: number;
  useLevenshteinDistance: boolean;
  levenshteinThreshold: number;
  timeEstimationValues: unknown;
}

interface Header {
  readonly dicts: readonly { readonly name: string; readonly maxWordSize: number }[];
  readonly options: Record<string, unknown>;
  readonly entries: number;
  readonly pairs: number;
  readonly slots: number;
  readonly textBytes: number;
  readonly crc32: number;
}

/** A ranked-dictionary file that is not what it should be: the hook then builds zxcvbn the slow way. */
export class RankedFileError extends Error {
  override name = 'RankedFileError';
}

function optionsOf(factory: ZxcvbnLike): FactoryOptions {
  const options = (factory as unknown as { options?: FactoryOptions }).options;
  if (!options?.rankedDictionaries) throw new RankedFileError('not a zxcvbn-ts 4 factory (no options.rankedDictionaries)');
  return options;
}

/** FNV-1a over UTF-16 code units: cheap, and the same at build and at lookup. */
function hashOf(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Serialize the ranked dictionaries of a factory built the standard way (loadZxcvbn). */
export function buildRankedFile(factory: ZxcvbnLike): Buffer {
  const o = optionsOf(factory);
  const names = Object.keys(o.rankedDictionaries);
  const byWord = new Map<string, number[]>();
  names.forEach((name, d) => {
    // Own keys only: exactly what zxcvbn's object holds after duplicates and __proto__ are applied.
    for (const [word, rank] of Object.entries(o.rankedDictionaries[name] ?? {})) {
      let pairs = byWord.get(word);
      if (!pairs) byWord.set(word, (pairs = []));
      if (d >= DICT_LIMIT || rank >= 2 ** 27) throw new RankedFileError(`dictionary ${name} is too large for this format`);
      pairs.push(rank * DICT_LIMIT + d);
    }
  });
  const words = [...byWord.keys()];
  const text = words.join('');
  const textBuf = Buffer.from(text, 'utf8');
  if (textBuf.toString('utf8') !== text) throw new RankedFileError('a dictionary word is not valid UTF-16 text');
  const offsets = new Uint32Array(words.length + 1);
  const pairStart = new Uint32Array(words.length + 1);
  const pairList: number[] = [];
  words.forEach((w, i) => {
    offsets[i + 1] = (offsets[i] ?? 0) + w.length;
    pairList.push(...(byWord.get(w) ?? []));
    pairStart[i + 1] = pairList.length;
  });
  let slots = 1;
  while (slots < words.length * 2) slots *= 2;
  const table = new Uint32Array(slots);
  words.forEach((w, i) => {
    let s = hashOf(w) & (slots - 1);
    while (table[s] !== 0) s = (s + 1) & (slots - 1);
    table[s] = i + 1;
  });
  const body = Buffer.concat([
    u32Bytes(offsets), u32Bytes(pairStart), u32Bytes(Uint32Array.from(pairList)), u32Bytes(table), textBuf,
  ]);
  const header: Header = {
    dicts: names.map((name) => ({ name, maxWordSize: o.rankedDictionariesMaxWordSize[name] ?? 0 })),
    options: {
      graphs: o.graphs, translations: o.translations, l33tTable: o.l33tTable, l33tMaxSubstitutions: o.l33tMaxSubstitutions,
      maxLength: o.maxLength, useLevenshteinDistance: o.useLevenshteinDistance, levenshteinThreshold: o.levenshteinThreshold,
      timeEstimationValues: o.timeEstimationValues,
    },
    entries: words.length, pairs: pairList.length, slots, textBytes: textBuf.length,
    crc32: crc32(body),
  };
  let json = Buffer.from(JSON.stringify(header), 'utf8');
  const pad = (U32 - ((MAGIC.length + U32 + json.length) % U32)) % U32;
  json = Buffer.concat([json, Buffer.alloc(pad, 0x20)]);
  const len = Buffer.alloc(U32);
  len.writeUInt32LE(json.length);
  return Buffer.concat([Buffer.from(MAGIC, 'latin1'), len, json, body]);
}

function u32Bytes(a: Uint32Array): Buffer {
  const b = Buffer.alloc(a.length * U32);
  for (let i = 0; i < a.length; i++) b.writeUInt32LE(a[i] ?? 0, i * U32);
  return b;
}

/** Parse and verify a ranked file; throws RankedFileError when it is damaged or not one. */
export function openRankedFile(file: Uint8Array, verify = true): ZxcvbnLike {
  const buf = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  if (buf.length < MAGIC.length + U32 || buf.toString('latin1', 0, MAGIC.length) !== MAGIC) {
    throw new RankedFileError('not a pwguard ranked-dictionary file');
  }
  const jsonLen = buf.readUInt32LE(MAGIC.length);
  const start = MAGIC.length + U32 + jsonLen;
  let header: Header;
  try {
    header = JSON.parse(buf.toString('utf8', MAGIC.length + U32, start)) as Header;
  } catch {
    throw new RankedFileError('ranked-dictionary header is damaged');
  }
  const n = header.entries;
  const u32Count = 2 * (n + 1) + header.pairs + header.slots;
  if (buf.length !== start + u32Count * U32 + header.textBytes) throw new RankedFileError('ranked-dictionary file has the wrong size');
  const body = buf.subarray(start);
  if (verify && crc32(body) !== header.crc32) {
    throw new RankedFileError('ranked-dictionary checksum mismatch');
  }
  // Little-endian hosts only (all Linux targets of pwguard); copy when the buffer is unaligned.
  const aligned = body.byteOffset % U32 === 0 ? body : Buffer.from(body);
  const all = new Uint32Array(aligned.buffer, aligned.byteOffset, u32Count);
  const offsets = all.subarray(0, n + 1);
  const pairStart = all.subarray(n + 1, 2 * (n + 1));
  const pairs = all.subarray(2 * (n + 1), 2 * (n + 1) + header.pairs);
  const table = all.subarray(2 * (n + 1) + header.pairs);
  const text = aligned.toString('utf8', u32Count * U32);
  const mask = header.slots - 1;

  let lastWord: string | null = null;
  let lastEntry = -1;
  function find(word: string): number {
    if (word === lastWord) return lastEntry; // zxcvbn asks every dictionary for the same substring in turn
    let s = hashOf(word) & mask;
    let found = -1;
    for (let e = table[s] ?? 0; e !== 0; s = (s + 1) & mask, e = table[s] ?? 0) {
      const from = offsets[e - 1] ?? 0;
      const to = offsets[e] ?? 0;
      if (to - from === word.length && text.startsWith(word, from)) {
        found = e - 1;
        break;
      }
    }
    lastWord = word;
    lastEntry = found;
    return found;
  }

  const plain: Record<string, unknown> = {};
  const rankedDictionaries: Record<string, Record<string, number>> = {};
  const maxWordSize: Record<string, number> = {};
  header.dicts.forEach(({ name, maxWordSize: max }, d) => {
    maxWordSize[name] = max;
    rankedDictionaries[name] = new Proxy({}, {
      get(_target, key) {
        if (typeof key === 'string') {
          const e = find(key);
          if (e >= 0) {
            for (let p = pairStart[e] ?? 0; p < (pairStart[e + 1] ?? 0); p++) {
              const packed = pairs[p] ?? 0;
              if (packed % DICT_LIMIT === d) return Math.floor(packed / DICT_LIMIT);
            }
          }
        }
        return (plain as Record<string | symbol, unknown>)[key]; // what a plain object would inherit
      },
    }) as Record<string, number>;
  });

  const factory = new ZxcvbnFactory(header.options as ConstructorParameters<typeof ZxcvbnFactory>[0]);
  const o = optionsOf(factory as unknown as ZxcvbnLike);
  o.rankedDictionaries = rankedDictionaries;
  o.rankedDictionariesMaxWordSize = maxWordSize;
  return factory as unknown as ZxcvbnLike;
}

/** A ZxcvbnLoader over a ranked file; `fallback` (loadZxcvbn) serves when the file is unusable. */
export function rankedLoader(read: () => Uint8Array, fallback: ZxcvbnLoader, onFallback?: (err: Error) => void): ZxcvbnLoader {
  let shared: Promise<ZxcvbnLike> | null = null;
  return () => {
    shared ??= (async () => {
      try {
        return openRankedFile(read());
      } catch (err) {
        onFallback?.(err instanceof Error ? err : new Error(String(err)));
        return fallback();
      }
    })();
    return shared;
  };
}
