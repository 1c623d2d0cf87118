// A quick single-thread speed probe, so `pwguard audit --plan` can estimate guesses/s per scheme.
// It measures the path the verifier pool takes: the addon's C loop where there is one.
import { performance } from 'node:perf_hooks';
import { cryptAddon } from './native.js';
import { resolveForVerify } from './schemes.js';
import type { IdentifyOptions } from './types.js';

/** Verifications per second on one thread for this stored value, measured for about `ms`; null if it cannot be verified. */
export async function measureSpeed(stored: string, ms = 200, options: IdentifyOptions = {}): Promise<number | null> {
  const r = resolveForVerify(stored, options.source);
  if (!r.ok) return null;
  const { scheme, value } = r.resolved;
  const addon = scheme.addon ? cryptAddon() : null;
  if (scheme.addon === 'required' && !addon) return null;
  const setting = scheme.addonSetting?.(value) ?? value;
  const start = performance.now();
  let count = 0;
  // Batches grow until the time is spent, so a fast scheme is not timed by its call overhead.
  for (let batch = 1; performance.now() - start < ms || count === 0; batch = Math.min(batch * 2, 4096)) {
    const probes = Array.from({ length: batch }, (_, i) => `probe-${count + i}`);
    if (addon) {
      const best = new Int32Array(new SharedArrayBuffer(4));
      best[0] = 0x7fffffff;
      if (addon.findMatchPacked(setting, new TextEncoder().encode(`${probes.join('\0')}\0`), 0, best) === -2) return null;
    } else {
      for (const p of probes) if ((await scheme.verify(Buffer.from(p), value, r.info)) === 'unsupported') return null;
    }
    count += batch;
  }
  return count / ((performance.now() - start) / 1000);
}
