// The audit's view of @pwguard/hashes: identify a stored value, and try a batch of guesses against
// it in the verifier pool (crypt(3) schemes on worker threads, the others in this thread).
import { createVerifierPool, identify, PoolClosedError, UncheckableHashError, verify } from '@pwguard/hashes';
import type { Identification, SchemeInfo, ValueSource } from '@pwguard/hashes';

export type { Identification, SchemeInfo, ValueSource };

export interface Backend {
  identify(stored: string, source: ValueSource): Identification;
  /** Index of the first candidate that matches, or -1; 'unsupported' when this value cannot be checked here. */
  findMatch(stored: string, source: ValueSource, candidates: readonly string[]): Promise<number | 'unsupported'>;
  close(): Promise<void>;
}

export async function createBackend(options: { jobs: number }): Promise<Backend> {
  const pool = createVerifierPool({ jobs: options.jobs });
  return {
    identify: (stored, source) => identify(stored, { source }),
    async findMatch(stored, source, candidates) {
      try {
        return await pool.findMatch(stored, candidates, { source });
      } catch (err) {
        if (err instanceof UncheckableHashError) return 'unsupported';
        if (err instanceof PoolClosedError) throw err; // the run is stopping: no answer
        // A verifier that throws on one odd candidate (e.g. an empty password) must not end the
        // run: check the batch one by one; a candidate it cannot check simply does not match.
        return oneByOne(stored, source, candidates);
      }
    },
    close: () => pool.close(),
  };
}

async function oneByOne(stored: string, source: ValueSource, candidates: readonly string[]): Promise<number | 'unsupported'> {
  let checked = 0;
  for (let i = 0; i < candidates.length; i++) {
    const r = await verify(candidates[i] as string, stored, { source });
    if (r === 'match') return i;
    if (r === 'mismatch') checked++;
  }
  return checked === 0 && candidates.length > 1 ? 'unsupported' : -1;
}
