// What the policy's `breach_store` key turns into.
import type { BreachLookup } from '@pwguard/strength';
import { embeddedLookup } from './embedded.js';
import { openStore } from './store.js';

/** Empty or absent path: the built-in list; otherwise the store at `path` (checked on open). */
export function openBreachLookup(pathOrEmpty: string | undefined): BreachLookup {
  const path = pathOrEmpty?.trim();
  return path ? openStore(path) : embeddedLookup();
}
