// The breach store the audit uses: unsalted hashes are looked up by digest, found passwords counted.
import { openStore, StoreError } from '@pwguard/breach';
import type { BreachSource } from '@pwguard/audit';
import { UserError } from '../errors.js';

/** Open the store at `path`; a store named with --breach-store must open, the policy's is best effort. */
export function openAuditBreachStore(path: string | undefined, explicit: boolean): BreachSource | undefined {
  if (!path) return undefined;
  try {
    return openStore(path);
  } catch (err) {
    if (!explicit) return undefined;
    const detail = err instanceof StoreError || err instanceof Error ? err.message : String(err);
    throw new UserError(`cannot open breach store ${path}: ${detail}`);
  }
}
