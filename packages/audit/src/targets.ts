// Targets: distinct stored values. Identical (scheme, salt, hash) values are cracked once for all
// the accounts that hold them. Each target has its own guess sequence: the empty password, then
// its accounts' context guesses interleaved block by block with the shared ranked lists.
import { createHash } from 'node:crypto';
import type { Account, Credential } from './account.js';
import type { Backend, SchemeInfo, ValueSource } from './backend.js';
import { contextGuesses } from './guesses/context.js';
import type { GuessList } from './guesses/lists.js';

export interface Member {
  readonly account: Account;
  readonly credential: Credential;
}

export interface Target {
  /** Short hash of the stored value: dedup key and checkpoint key (the hash itself is never saved). */
  readonly key: string;
  readonly stored: string;
  readonly source: ValueSource;
  readonly scheme: SchemeInfo;
  readonly members: Member[];
  /**
   * The accounts' context guesses. Generated on demand and kept in a small cache, not stored:
   * a directory of 100,000 accounts would otherwise hold tens of millions of strings.
   */
  readonly context: readonly string[];
  contextLength: number;
  /** Fingerprint of `context`: a checkpoint made with other context words restarts this target. */
  contextKey: string;
  /** How many guesses of the sequence will be tried at most (the per-account cap). */
  planned: number;
  /** Length of the contiguous prefix of the sequence already tried. */
  tried: number;
  /** Sequence index of the guess that matched. */
  found?: number;
  /** Why guessing stopped early for this target (unsupported scheme). */
  skipped?: string;
}

/** A credential that could not become a target, and why. */
export interface Unchecked {
  readonly member: Member;
  readonly reason: string;
}

export function valueSource(c: Credential): ValueSource {
  return c.attribute === 'userPassword' ? 'ldap' : c.attribute;
}

export function buildTargets(
  accounts: readonly Account[],
  backend: Pick<Backend, 'identify'>,
  now: Date = new Date(),
): { targets: Target[]; unchecked: Unchecked[] } {
  const byKey = new Map<string, Target>();
  const unchecked: Unchecked[] = [];
  for (const account of accounts) {
    for (const credential of account.credentials) {
      const source = valueSource(credential);
      const id = backend.identify(credential.stored, source);
      const member = { account, credential };
      if (id.status !== 'ok') {
        unchecked.push({ member, reason: id.status === 'unknown' ? 'unknown password scheme' : `malformed ${id.schemeId} value (${id.reason})` });
        continue;
      }
      const key = createHash('sha256').update(`${id.scheme.id}\0${credential.stored}`).digest('hex').slice(0, 32);
      let t = byKey.get(key);
      if (!t) {
        t = { key, stored: credential.stored, source, scheme: id.scheme, members: [], context: [], contextLength: 0, contextKey: '', planned: 0, tried: 0 };
        byKey.set(key, t);
      }
      if (!t.members.some((m) => m.account === account)) t.members.push(member);
    }
  }
  const targets = [...byKey.values()];
  for (const t of targets) {
    const inputs = t.members.map((m) => contextOf(m.account));
    const context = contextGuesses(inputs, now);
    t.contextLength = context.length;
    t.contextKey = createHash('sha256').update(context.join('\0')).digest('hex').slice(0, 16);
    Object.defineProperty(t, 'context', { get: () => cachedContext(t, inputs, now), enumerable: false });
  }
  return { targets, unchecked };
}

const CONTEXT_CACHE_SIZE = 1024;
const contextCache = new Map<Target, string[]>();

/** Least-recently-used cache: the scheduler works on a moving front of targets. */
function cachedContext(t: Target, inputs: ReturnType<typeof contextOf>[], now: Date): string[] {
  let c = contextCache.get(t);
  if (c) {
    contextCache.delete(t);
  } else {
    c = contextGuesses(inputs, now);
    if (contextCache.size >= CONTEXT_CACHE_SIZE) contextCache.delete(contextCache.keys().next().value as Target);
  }
  contextCache.set(t, c);
  return c;
}

export function contextOf(a: Account): { user: string; gecos?: string; extraWords: string[] } {
  return a.gecos ? { user: a.user, gecos: a.gecos, extraWords: a.extraWords } : { user: a.user, extraWords: a.extraWords };
}

/**
 * Interleaving: context [0,8), list [0,16), context [8,32), list [16,64), ... The list's top ranks
 * are likelier than deep mangling of a name, so the list advances twice as fast.
 */
const CTX_BLOCKS = [8, 32, 96, 256, Infinity];
const LIST_BLOCKS = [16, 64, 256, 1024, Infinity];

export interface GuessOrigin {
  readonly how: 'empty' | 'context' | 'common' | 'wordlist';
  /** 1-based rank within its list (context: within the account's context guesses). */
  readonly rank?: number;
  readonly list?: string;
}

/** Where sequence index i of this target comes from; undefined past the end. */
export function originAt(t: Pick<Target, 'context'>, list: GuessList, i: number): { word: string; origin: GuessOrigin } | undefined {
  return originIn(t.context, list, i);
}

function originIn(context: readonly string[], list: GuessList, i: number): { word: string; origin: GuessOrigin } | undefined {
  const t = { context };
  if (i === 0) return { word: '', origin: { how: 'empty' } };
  let pos = i - 1;
  let [ctxLo, listLo] = [0, 0];
  for (let b = 0; b < CTX_BLOCKS.length; b++) {
    const ctxHi = Math.min(CTX_BLOCKS[b] as number, t.context.length);
    const ctxLen = Math.max(0, ctxHi - ctxLo);
    if (pos < ctxLen) return { word: t.context[ctxLo + pos] as string, origin: { how: 'context', rank: ctxLo + pos + 1 } };
    pos -= ctxLen;
    const listHi = Math.min(LIST_BLOCKS[b] as number, list.words.length);
    const listLen = Math.max(0, listHi - listLo);
    if (pos < listLen) return { word: list.words[listLo + pos] as string, origin: listOrigin(list, listLo + pos) };
    pos -= listLen;
    [ctxLo, listLo] = [Math.max(ctxLo, ctxHi), Math.max(listLo, listHi)];
  }
  return undefined;
}

function listOrigin(list: GuessList, g: number): GuessOrigin {
  const name = list.lists[list.listOf[g] as number] as string;
  const rank = list.rankOf[g] as number;
  return name === 'common' ? { how: 'common', rank } : { how: 'wordlist', rank, list: name.slice('wordlist:'.length) };
}

export function sequenceLength(t: Pick<Target, 'contextLength'>, list: GuessList): number {
  return 1 + t.contextLength + list.words.length;
}

/** Guesses [start, end) of a target's sequence, in order. */
export function guessesBetween(t: Pick<Target, 'context'>, list: GuessList, start: number, end: number): string[] {
  const out: string[] = [];
  const context = t.context; // one cache lookup per batch, not per guess
  for (let i = start; i < end; i++) {
    const g = originIn(context, list, i);
    if (!g) break;
    out.push(g.word);
  }
  return out;
}
