// A quick single-thread speed probe, so `pwguard audit --plan` can estimate guesses/s per scheme.
import { performance } from 'node:perf_hooks';
import { resolveForVerify } from './schemes.js';
import type { IdentifyOptions } from './types.js';

/** Verifications per second on one thread for this stored value, measured for about `ms`; null if it cannot be verified. */
export async function measureSpeed(stored: string, ms = 200, options: IdentifyOptions = {}): Promise<number | null> {
  const r = resolveForVerify(stored, options.source);
  if (!r.ok) return null;
  const { scheme, value } = r.resolved;
  const start = performance.now();
  let count = 0;
  while (performance.now() - start < ms || count === 0) {
    const outcome = await scheme.verify(Buffer.from(`probe-${count}`), value, r.info);
    if (outcome === 'unsupported') return null;
    count += 1;
  }
  return count / ((performance.now() - start) / 1000);
}
