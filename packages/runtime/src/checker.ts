// Checker assembly: the one way every Node entry point (pwguard check and audit, the PAM hook and
// resident checker, the web server) turns a policy into a checker, so they all give one verdict.
import { existsSync, readFileSync } from 'node:fs';
import { createChecker, loadZxcvbn, type Checker, type Policy, type ZxcvbnLoader } from '@pwguard/strength';
import { openPolicyBreach } from './breach.js';
import { loadPolicy, type Loaded, type PolicyOptions } from './config.js';
import { rankedLoader } from './ranked.js';
import { readBannedWords } from './words.js';

/** Where build:native puts the prebuilt ranked dictionaries: beside this module (a bundle: beside the bundle). */
export const RANKED_FILE = 'zxcvbn-ranked.bin';

export function defaultRankedFile(): string {
  return new URL(`./${RANKED_FILE}`, import.meta.url).pathname;
}

/**
 * zxcvbn from a prebuilt ranked file (same scores as loadZxcvbn, tested in
 * test/pam/ranked-equivalence), so a fresh process does not build zxcvbn's 236k-word maps. Without
 * `rankedFile` the runtime's own (when the build made it); a named file that is missing or damaged
 * is reported to onFallback, and '' means the standard loader.
 */
export function zxcvbnLoader(rankedFile?: string, onFallback?: (err: Error) => void): ZxcvbnLoader {
  const file = rankedFile ?? defaultRankedFile();
  if (file === '' || (rankedFile === undefined && !existsSync(file))) return loadZxcvbn;
  return rankedLoader(() => readFileSync(file), loadZxcvbn, onFallback);
}

export interface PolicyChecker {
  readonly checker: Checker;
  /** What the breach rule uses, for `policy show`. */
  readonly breachDescription: string;
}

/** A checker for this policy: its breach store, its banned words, the given zxcvbn. */
export function checkerFor(policy: Policy, zxcvbn: ZxcvbnLoader = zxcvbnLoader()): PolicyChecker {
  const breach = policy.breach_check ? openPolicyBreach(policy.breach_store) : undefined;
  const checker = createChecker(policy, { breach, bannedWords: readBannedWords(policy.banned_words_file), zxcvbn });
  return { checker, breachDescription: breach?.description ?? 'off (breach_check = 0)' };
}

export interface LoadedChecker extends PolicyChecker {
  readonly loaded: Loaded;
}

/** Read the policy (config discovery, arguments) and build its checker. */
export async function loadChecker(options: PolicyOptions & { zxcvbn?: ZxcvbnLoader } = {}): Promise<LoadedChecker> {
  const loaded = loadPolicy(options);
  return { ...checkerFor(loaded.policy, options.zxcvbn), loaded };
}
