// What GET /api/policy sends the page (shared by the server and the browser: no Node imports).
// Only what the browser's check needs: file paths (breach_store, banned_words_file,
// weak_login_log) and the PAM hook's settings stay on the server.
import { DEFAULT_POLICY, type Policy } from '@pwguard/strength';
import type { RangeMatch } from './range-match.js';

/** The policy keys createChecker reads; the page fills every other key with its default. */
export const PAGE_POLICY_KEYS = [
  'min_length', 'max_length', 'min_score', 'context_check', 'org_words', 'breach_check', 'breach_min_count',
  'min_classes', 'max_repeat', 'max_sequence', 'min_guess_rank', 'enforcing', 'enforce_for_root',
] as const satisfies ReadonlyArray<keyof Policy>;

export type PagePolicy = Pick<Policy, (typeof PAGE_POLICY_KEYS)[number]>;

/** What GET /api/policy answers: all the page needs to judge passwords as the server does. */
export interface PageConfig {
  readonly policy: PagePolicy;
  readonly bannedWords: readonly string[];
  /** null when breach_check = 0 (no /range). */
  readonly range: RangeMatch | null;
}

export function pagePolicy(policy: Policy): PagePolicy {
  return Object.fromEntries(PAGE_POLICY_KEYS.map((k) => [k, policy[k]])) as unknown as PagePolicy;
}

/** The page's side: a whole Policy for createChecker, the keys it was not sent at their defaults. */
export function browserPolicy(sent: PagePolicy): Policy {
  return { ...DEFAULT_POLICY, ...pagePolicy({ ...DEFAULT_POLICY, ...sent }) };
}
