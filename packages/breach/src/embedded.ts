// The built-in list: zxcvbn-ts's ranked common passwords, so the breach rule works with no store.
// Counts are not known for it, so they are estimated from rank (Zipf: count ~ C / rank).
import { dictionary } from '@zxcvbn-ts/language-common';
import type { BreachLookup } from '@pwguard/strength';
import { isDigestHex, passwordHasher, type HashKind, HEX_LENGTH } from './kinds.js';

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

export function embeddedLookup(): EmbeddedList {
  return (list ??= makeList());
}

function makeList(): EmbeddedList {
  const ranked = dictionary['passwords-common'] as string[];
  const counts = new Map<string, number>();
  ranked.forEach((pw, i) => {
    if (!counts.has(pw)) counts.set(pw, Math.max(1, Math.floor(ZIPF_TOP / (i + 1))));
  });
  const byKind = new Map<HashKind, Promise<DigestLookup>>();
  return {
    entries: counts.size,
    description: `built-in list of ${counts.size.toLocaleString('en-US')} common passwords (counts are rank-based estimates)`,
    async count(password: string): Promise<number> {
      return counts.get(password) ?? 0;
    },
    digests(kind: HashKind): Promise<DigestLookup> {
      let found = byKind.get(kind);
      if (!found) {
        found = digestTable(kind, counts);
        byKind.set(kind, found);
      }
      return found;
    },
  };
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
