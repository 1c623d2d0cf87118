// The one way a front end opens the policy's breach store (empty: the built-in list). The checker,
// `pam doctor`, the web /range endpoint and the audit's digest lookups all call openPolicyStore or
// openPolicyBreach, so a store is found, refused and described the same way everywhere.
import { openBreachLookup, openStore, type BreachStore } from '@pwguard/breach';
import { CheckError, type BreachLookup } from '@pwguard/strength';

/**
 * The policy's breach_store as a lookup for the checker. An unusable store is a CheckError: the
 * PAM hook applies on_error to it, the CLI reports it as one line, the web server answers 503.
 */
export function openPolicyBreach(path: string): BreachLookup {
  try {
    return openBreachLookup(path === '' ? undefined : path);
  } catch (err) {
    throw new CheckError(`cannot open breach_store ${path}: ${err instanceof Error ? err.message : String(err)}`, 'breach_unavailable');
  }
}

/** The store file itself (range answers, digest lookups, info), with the same error as openPolicyBreach. */
export function openPolicyStore(path: string): BreachStore {
  try {
    return openStore(path);
  } catch (err) {
    throw new CheckError(`cannot open breach_store ${path}: ${err instanceof Error ? err.message : String(err)}`, 'breach_unavailable');
  }
}
