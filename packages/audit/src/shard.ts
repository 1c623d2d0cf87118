// --shard K/N: a deterministic 1/N of the accounts, by a hash of the login name, so N machines
// (a Kubernetes Indexed Job, a Slurm array) each audit their part and `report merge` joins them.
import { createHash } from 'node:crypto';

export interface Shard {
  /** 1-based: 1..count. */
  readonly index: number;
  readonly count: number;
}

/** Parse `K/N` (1 <= K <= N); undefined when malformed, so the caller can name the option. */
export function parseShard(text: string): Shard | undefined {
  const m = /^(\d{1,6})\/(\d{1,6})$/.exec(text.trim());
  if (!m) return undefined;
  const [index, count] = [Number(m[1]), Number(m[2])];
  return index >= 1 && count >= 1 && index <= count ? { index, count } : undefined;
}

export function inShard(user: string, shard: Shard | undefined): boolean {
  if (!shard || shard.count === 1) return true;
  const h = createHash('sha256').update(user).digest().readUInt32BE(0);
  return h % shard.count === shard.index - 1;
}
