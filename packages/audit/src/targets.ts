// Targets: distinct stored values. Identical (scheme, salt, hash) values are cracked once for all
// the accounts that hold them. Each target has its own candidate stream: the empty password, then
// its accounts' context candidates and the shared candidates (stream.ts) merged by weight, the
// likeliest first. The stream is generated on demand, never stored per target.
import { createHash } from 'node:crypto';
import type { Account, Credential } from './account.js';
import type { Backend, SchemeInfo, ValueSource } from './backend.js';
import { contextCandidates, type ContextInput } from './guesses/context.js';
import { COMMON_LIST_NAME, FAMOUS_LIST_NAME, KEYBOARD_LIST_NAME, ORG_LIST_NAME } from './guesses/lists.js';
import type { GuessStream } from './guesses/stream.js';
import type { Candidate } from '@pwguard/strength';

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
   * What the accounts' context candidates are made from. The candidates themselves are generated
   * on demand: a directory of 100,000 accounts would otherwise hold hundreds of millions of strings.
   */
  readonly context: ContextSpec;
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
        t = { key, stored: credential.stored, source, scheme: id.scheme, members: [], context: { inputs: [], now }, contextKey: '', planned: 0, tried: 0 };
        byKey.set(key, t);
      }
      // Accounts come one at a time, so a repeat of this account can only be the last member
      // (a scan of every member was quadratic: one hash copied onto 10k accounts).
      if (t.members.at(-1)?.account !== account) t.members.push(member);
    }
  }
  const targets = [...byKey.values()];
  for (const t of targets) {
    const inputs = t.members.map((m) => guessContextOf(m.account));
    (t as { context: ContextSpec }).context = { inputs, now };
    t.contextKey = createHash('sha256').update(`context/2\0${now.getUTCFullYear()}\0${JSON.stringify(inputs)}`).digest('hex').slice(0, 16);
  }
  return { targets, unchecked };
}

/** What the policy judges a found password against. */
export function contextOf(a: Account): { user: string; gecos?: string; extraWords: string[] } {
  return a.gecos ? { user: a.user, gecos: a.gecos, extraWords: a.extraWords } : { user: a.user, extraWords: a.extraWords };
}

/** The words and dates an account's context candidates are made from. */
export function guessContextOf(a: Account): ContextInput {
  return { ...contextOf(a), ...(a.lastChangeDays !== undefined ? { lastChangeDays: a.lastChangeDays } : {}) };
}

/** The inputs of one target's context candidates (the accounts sharing its hash) and the date. */
export interface ContextSpec {
  readonly inputs: readonly ContextInput[];
  readonly now: Date;
}

export interface GuessOrigin {
  readonly how: 'empty' | 'context' | 'common' | 'wordlist';
  /** 1-based rank of the base word within its list (context: within the account's context candidates). */
  readonly rank?: number;
  readonly list?: string;
  /** A rule changed the base word. */
  readonly mangled?: true;
}

export interface Guess {
  readonly word: string;
  readonly origin: GuessOrigin;
}

/**
 * A position in one target's stream. Merging needs only the next context candidate and the next
 * shared one; a candidate made by both is tried once, where it comes first.
 */
class Cursor {
  pos = 0;
  /** Shared candidates consumed (tried, or skipped as already tried from the context). */
  si = 0;
  private ctxRank = 0;
  private readonly ctx: Generator<Candidate>;
  private ctxNext: Candidate | undefined;
  private readonly ctxTried = new Set<string>();

  constructor(spec: ContextSpec, private readonly list: GuessStream) {
    this.ctx = contextCandidates(spec.inputs, spec.now);
    this.ctxNext = this.ctx.next().value ?? undefined;
  }

  next(): Guess | undefined {
    if (this.pos === 0) {
      this.pos++;
      return { word: '', origin: { how: 'empty' } };
    }
    const list = this.list;
    // Skip what the other side already tried.
    while (this.ctxNext && (list.indexOf.get(this.ctxNext.password) ?? Infinity) < this.si) this.ctxNext = this.ctx.next().value ?? undefined;
    while (this.si < list.words.length && this.ctxTried.has(list.words[this.si] as string)) this.si++;
    const c = this.ctxNext;
    const shared = this.si < list.words.length ? (list.weights[this.si] as number) : -1;
    if (c && c.weight >= shared) {
      this.ctxTried.add(c.password);
      this.ctxNext = this.ctx.next().value ?? undefined;
      this.pos++;
      return { word: c.password, origin: { how: 'context', rank: ++this.ctxRank } };
    }
    if (shared < 0) return undefined;
    const g = this.si++;
    this.pos++;
    return { word: list.words[g] as string, origin: sharedOrigin(list, g) };
  }
}

function sharedOrigin(list: GuessStream, g: number): GuessOrigin {
  const name = list.lists[list.listOf[g] as number] as string;
  const rank = list.rankOf[g] as number;
  const mangled = list.mangled[g] === 1 ? { mangled: true as const } : {};
  if (name === COMMON_LIST_NAME) return { how: 'common', rank, ...mangled };
  if (name === KEYBOARD_LIST_NAME || name === FAMOUS_LIST_NAME) return { how: 'common', ...mangled };
  if (name === ORG_LIST_NAME) return { how: 'wordlist', rank, list: 'policy org_words', ...mangled };
  return { how: 'wordlist', rank, list: name.slice('wordlist:'.length), ...mangled };
}

/** The scheduler works on a moving front of targets: keep their cursors, least recently used out. */
const CURSOR_CACHE_SIZE = 1024;
const cursors = new Map<ContextSpec, { list: GuessStream; cursor: Cursor }>();

function cursorAt(spec: ContextSpec, list: GuessStream, i: number): Cursor {
  let e = cursors.get(spec);
  if (e) cursors.delete(spec);
  if (!e || e.list !== list || e.cursor.pos > i) {
    e = { list, cursor: new Cursor(spec, list) };
    if (cursors.size >= CURSOR_CACHE_SIZE) cursors.delete(cursors.keys().next().value as ContextSpec);
  }
  cursors.set(spec, e);
  while (e.cursor.pos < i) if (!e.cursor.next()) break;
  return e.cursor;
}

/** The candidate stream of one target (or one account's inputs), in the order the audit tries it. */
export function* candidates(spec: ContextSpec, list: GuessStream, max = Infinity): Generator<Guess> {
  const c = new Cursor(spec, list);
  for (let n = 0; n < max; n++) {
    const g = c.next();
    if (!g) return;
    yield g;
  }
}

/** Where sequence index i of this target comes from; undefined past the end. */
export function originAt(t: Pick<Target, 'context'>, list: GuessStream, i: number): Guess | undefined {
  const c = cursorAt(t.context, list, i);
  return c.pos === i ? c.next() : undefined;
}

/** How many shared candidates the first `i` guesses of this target's sequence used up. */
export function sharedConsumed(t: Pick<Target, 'context'>, list: GuessStream, i: number): number {
  return cursorAt(t.context, list, i).si;
}

/** The stream's length, at most `cap` (the exact length is needed only when the lists are short). */
export function sequenceLength(t: Pick<Target, 'context'>, list: GuessStream, cap: number): number {
  if (1 + list.words.length >= cap) return cap;
  let n = 0;
  for (const _g of candidates(t.context, list, cap)) n++;
  return n;
}

/** Guesses [start, end) of a target's sequence, in order. */
export function guessesBetween(t: Pick<Target, 'context'>, list: GuessStream, start: number, end: number): string[] {
  const c = cursorAt(t.context, list, start);
  const out: string[] = [];
  if (c.pos !== start) return out;
  for (let i = start; i < end; i++) {
    const g = c.next();
    if (!g) break;
    out.push(g.word);
  }
  return out;
}
