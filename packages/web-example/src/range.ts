// GET /range/{5 hex}: the k-anonymity range answer, in Have I Been Pwned's `SUFFIX:COUNT` form.
// Every answer has the same number of lines and every line the same length (counts are
// zero-padded), so the size of a response tells nothing about the range asked for.
import { createHash, randomBytes } from 'node:crypto';
import { dictionary } from '@zxcvbn-ts/language-common';
import { embeddedLookup, type BreachStore } from '@pwguard/breach';
import type { RangeMatch } from './range-match.js';

export interface RangeSource {
  readonly match: RangeMatch;
  /** Characters in every key of this source. */
  readonly keyLength: number;
  /** Lines in every answer (real entries first padded to this, see padTarget). */
  readonly lines: number;
  /** Real entries whose digest starts with the prefix (5 hex digits, checked by the caller). */
  entries(prefix: string): ReadonlyArray<{ readonly suffix: string; readonly count: number }>;
}

/** Zero-padded width of every count: 2^32 has 10 digits. */
export const COUNT_WIDTH = 10;
const PREFIXES = 2 ** 20;

/**
 * Lines an answer is padded to: far into the Poisson tail of `entries / 2^20` per range. A range
 * past it is sent whole, padded to the next multiple of 32 (that only says it is a rare, full range).
 */
export function padTarget(entries: number): number {
  const mean = entries / PREFIXES;
  return roundUp(Math.max(32, Math.ceil(mean + 6 * Math.sqrt(mean) + 8)));
}

function roundUp(n: number): number {
  return Math.ceil(n / 32) * 32;
}

export function storeRangeSource(store: BreachStore): RangeSource {
  if (store.kind !== 'sha1') throw new RangeError(`the browser can only hash SHA-1, but ${store.path} is an ${store.kind} store`);
  const { bucketBits, highRange, lowBits } = store.header;
  return {
    match: { kind: 'fingerprint', bucketBits, highRange, lowBits },
    keyLength: (bucketBits === 0 ? 0 : Math.ceil(bucketBits / 4)) + 4 + 8,
    lines: padTarget(store.entries),
    entries: (prefix) => store.range(prefix),
  };
}

/** The built-in list of @pwguard/breach, served by SHA-1 suffix (it is small: built at start). */
export async function embeddedRangeSource(): Promise<RangeSource> {
  const list = embeddedLookup();
  const byPrefix = new Map<string, Array<{ suffix: string; count: number }>>();
  const seen = new Set<string>();
  for (const password of dictionary['passwords-common'] as string[]) {
    if (seen.has(password)) continue;
    seen.add(password);
    const hex = createHash('sha1').update(password).digest('hex').toUpperCase();
    const prefix = hex.slice(0, 5);
    const bucket = byPrefix.get(prefix) ?? [];
    bucket.push({ suffix: hex.slice(5), count: await list.count(password) });
    byPrefix.set(prefix, bucket);
  }
  // The list this module reads must be the one embeddedLookup() answers from.
  if (seen.size !== list.entries) throw new Error(`built-in list mismatch: ${seen.size} words here, ${list.entries} in @pwguard/breach`);
  return { match: { kind: 'suffix' }, keyLength: 35, lines: padTarget(seen.size), entries: (prefix) => byPrefix.get(prefix) ?? [] };
}

/** The padded, sorted answer body for a prefix already checked to be 5 hex digits. */
export function rangeBody(source: RangeSource, prefix: string): string {
  const real = source.entries(prefix.toUpperCase());
  const lines = real.map((e) => line(e.suffix.toUpperCase(), e.count));
  const total = real.length <= source.lines ? source.lines : roundUp(real.length);
  const pad = total - lines.length;
  // One random draw for all padding keys: a crypto call per line cost more than the lookup.
  const hex = randomBytes(Math.ceil((pad * source.keyLength) / 2)).toString('hex').toUpperCase();
  for (let i = 0; i < pad; i++) lines.push(line(hex.slice(i * source.keyLength, (i + 1) * source.keyLength), 0));
  return `${lines.sort().join('\r\n')}\r\n`;
}

function line(key: string, count: number): string {
  return `${key}:${String(Math.min(count, 2 ** 32 - 1)).padStart(COUNT_WIDTH, '0')}`;
}
