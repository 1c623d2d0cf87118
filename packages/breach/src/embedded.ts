// The built-in list: zxcvbn-ts's ranked common passwords, so the breach rule works with no store.
// Counts are not known for it, so they are estimated from rank (Zipf: count ~ C / rank).
import { createRequire } from 'node:module';
import type { BreachLookup } from '@pwguard/strength';
import { fileURLToPath } from 'node:url';
import { isDigestHex, passwordHasher, type HashKind, HEX_LENGTH } from './kinds.js';
import { countCode } from './countcode.js';
import { groupDigits } from './digits.js';
import { openStore, type BreachStore } from './store.js';

/** Estimated times seen for the most common password; rank r gets ZIPF_TOP / r. */
export const ZIPF_TOP = 10_000_000;

export interface EmbeddedList extends BreachLookup {
  readonly entries: number;
  /** Digest lookups against the same list (built on first use: about 50k hashes). */
  digests(kind: HashKind): Promise<DigestLookup>;
}

export interface DigestLookup {
  readonly kind: HashKind;
  /** Count for a hex digest of this kind; 0 when absent. */
  countDigest(hex: string): number;
}

let list: EmbeddedList | undefined;

/** File name of the built-in list prebuilt as a store (by `build:native`), next to this module. */
export const BUILTIN_STORE_FILE = 'builtin-sha1.pwg';
/** Count bits of the prebuilt store: the in-memory list rounds its counts the same way. */
export const BUILTIN_COUNT_BITS = 7;

export function embeddedLookup(): EmbeddedList {
  return (list ??= makeEmbeddedList(builtinStorePath()));
}

function builtinStorePath(): string | null {
  try {
    return fileURLToPath(new URL(`./${BUILTIN_STORE_FILE}`, import.meta.url));
  } catch {
    return null;
  }
}

/**
 * The built-in list, answered from the prebuilt store when `storePath` opens (two small reads a
 * lookup: no need to decompress and index 49k words at every process start, which is most of a
 * PAM hook's time), else from memory. Both give the same counts: the memory path rounds them
 * through the store's count code.
 */
export function makeEmbeddedList(storePath: string | null): EmbeddedList {
  const store = storePath === null ? null : openQuietly(storePath);
  let memory: ReadonlyMap<string, number> | undefined;
  const counts = (): ReadonlyMap<string, number> => (memory ??= rankedCounts());
  const entries = store?.entries ?? counts().size;
  const byKind = new Map<HashKind, Promise<DigestLookup>>();
  return {
    entries,
    description: `built-in list of ${groupDigits(entries)} common passwords (counts are rank-based estimates)`,
    async count(password: string): Promise<number> {
      return store ? store.count(password) : counts().get(password) ?? 0;
    },
    digests(kind: HashKind): Promise<DigestLookup> {
      let found = byKind.get(kind);
      if (!found) {
        found = digestTable(kind, counts());
        byKind.set(kind, found);
      }
      return found;
    },
  };
}

/** Our own build artefact: if it is missing or damaged, the memory path gives the same answers. */
function openQuietly(path: string): BreachStore | null {
  try {
    const store = openStore(path);
    return store.kind === 'sha1' ? store : (store.close(), null);
  } catch {
    return null;
  }
}

/** The ranked list with rank-based counts, rounded as the prebuilt store keeps them. */
export function rankedCounts(): Map<string, number> {
  // Required here, not imported at the top: the package decompresses its lists when loaded, which
  // every process would pay though the prebuilt store usually answers.
  const { dictionary } = createRequire(import.meta.url)('@zxcvbn-ts/language-common') as typeof import('@zxcvbn-ts/language-common');
  const ranked = dictionary['passwords-common'] as string[];
  const code = countCode(BUILTIN_COUNT_BITS);
  const counts = new Map<string, number>();
  ranked.forEach((pw, i) => {
    if (!counts.has(pw)) counts.set(pw, code.decode(code.encode(Math.max(1, Math.floor(ZIPF_TOP / (i + 1))))));
  });
  return counts;
}

async function digestTable(kind: HashKind, counts: ReadonlyMap<string, number>): Promise<DigestLookup> {
  const hash = await passwordHasher(kind);
  const table = new Map<string, number>();
  for (const [pw, count] of counts) table.set(Buffer.from(hash(pw)).toString('hex'), count);
  return {
    kind,
    countDigest(hex: string): number {
      if (!isDigestHex(hex, kind)) throw new RangeError(`not a ${HEX_LENGTH[kind]}-hex-digit ${kind} digest`);
      return table.get(hex.toLowerCase()) ?? 0;
    },
  };
}
