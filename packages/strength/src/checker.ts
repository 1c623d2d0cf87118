// The one check: every entry point (CLI, PAM hook, web form, auditor) calls this, so the same
// password and context always get the same verdict. Rules run cheap to expensive; when a cheap rule
// already refuses the password, the costly strength estimate is skipped (same result everywhere).

import { DEFAULT_POLICY, type Policy } from './policy.js';
import { formatMessage, type ReasonCode } from './messages.js';
import { distinct, formsOf, judgedLength, wordsOf } from './normalize.js';
import { WordList, type WordHit } from './words.js';
import { compositionReasons } from './rules.js';
import { tooSimilarToOld } from './similar.js';
import { estimateWeakest } from './estimate.js';
import { loadZxcvbn, type ZxcvbnLoader } from './dictionaries.js';
import { DEFAULT_RULES } from './default-rules.js';
import { builtInModelLists, commonListOf, contextList, predictable, type GuessModel, type ModelList, type Predictable } from './guess-model.js';
import type { Rule } from './guess-rules.js';
import type { BreachLookup, CheckContext, Reason, Verdict } from './verdict.js';

export interface CheckerOptions {
  /** Where the breach rule looks; without one the rule is skipped (the Node loader always gives one). */
  readonly breach?: BreachLookup;
  /** Words from banned_words_file, already read. */
  readonly bannedWords?: readonly string[];
  /** How zxcvbn is built (default: the standard language packs, loaded lazily). */
  readonly zxcvbn?: ZxcvbnLoader;
  /** The attacker model's rules for `min_guess_rank` (default DEFAULT_RULES: the audit's built-in rules). */
  readonly guessRules?: readonly Rule[];
}

export interface Checker {
  readonly policy: Policy;
  /** Judge a password given as text. */
  check(password: string, context?: CheckContext): Promise<Verdict>;
  /** Judge raw bytes (stdin, PAM): invalid UTF-8 and NUL bytes are refused, not crashed on. */
  checkBytes(bytes: Uint8Array, context?: CheckContext): Promise<Verdict>;
}

/** The breach lookup failed: the check could not be completed (entry points apply on_error). */
export class CheckError extends Error {
  constructor(message: string, readonly code: 'breach_unavailable') {
    super(message);
    this.name = 'CheckError';
  }
}

export function reason(code: ReasonCode, details: Record<string, unknown> = {}): Reason {
  return { code, message: formatMessage(code, details), ...details };
}

export function createChecker(policy: Policy = DEFAULT_POLICY, options: CheckerOptions = {}): Checker {
  const banned = new WordList((options.bannedWords ?? []).map((word) => ({ word, what: 'banned' })));
  const zxcvbn = options.zxcvbn ?? loadZxcvbn;
  const guessRules = options.guessRules ?? DEFAULT_RULES;

  async function check(password: string, context: CheckContext = {}): Promise<Verdict> {
    const enforced = policy.enforcing && !(context.byRoot === true && !policy.enforce_for_root);
    const verdict = (reasons: Reason[], est?: { score: number; guessesLog10: number; feedback: Verdict['feedback'] }): Verdict => ({
      ok: reasons.length === 0,
      enforced,
      reasons,
      score: est?.score ?? null,
      guessesLog10: est ? Math.round(est.guessesLog10 * 100) / 100 : null,
      feedback: est?.feedback ?? { warning: null, suggestions: [] },
    });

    if (password.includes('\0')) return verdict([reason('contains_nul')]);
    // max_length bounds the cost, so it counts every code point given, ignorable or not.
    if (Array.from(password).length > policy.max_length) return verdict([reason('too_long', { max: policy.max_length })]);

    // What is hashed is the original; a normalised form is judged too only where it can refuse.
    const forms = formsOf(password);
    const length = judgedLength(forms);
    const reasons: Reason[] = [];
    if (length < policy.min_length) reasons.push(reason('too_short', { min: policy.min_length, length }));
    reasons.push(...firstOfEachCode(distinct(forms.plain, forms.nfkc).flatMap((f) => compositionReasons(policy, Array.from(f)))));

    const ownWords = policy.context_check ? contextWords(policy, context) : [];
    const ctxHit = ownWords.length > 0 ? new WordList(ownWords).find(password) : null;
    if (ctxHit) reasons.push(reason('contains_context', { what: ctxHit.what, word: ctxHit.word }));
    if (context.oldPassword && tooSimilarToOld(password, context.oldPassword, policy.difok)) {
      reasons.push(reason('too_similar_to_old', { min: Math.max(policy.difok, 1) }));
    }
    const bannedHit = banned.size > 0 ? banned.find(password) : null;
    if (bannedHit) reasons.push(reason('contains_banned', { word: bannedHit.word }));

    if (policy.breach_check && options.breach && length > 0) {
      const count = await breachCount(options.breach, distinct(forms.original, forms.plain, forms.nfkc));
      if (count >= policy.breach_min_count) reasons.push(reason('breached', { count }));
    }
    if (reasons.length > 0) return verdict(reasons);

    // The NFKC form only when it is no longer than max_length: U+FDFA x 256 would be 4,608 code
    // points, and an expansion like that never makes a password easier to guess than its plain form.
    const judged = distinct(forms.plain, forms.nfkc).filter((f) => Array.from(f).length <= policy.max_length);
    const zx = await zxcvbn();
    // The attacker tries the account's words whatever context_check says.
    const early = earliestGuess(judged, { lists: modelLists(contextWords(policy, context), zx), rules: guessRules }, policy.min_guess_rank);
    if (early) return verdict([reason('predictable', { kind: early.kind, within: early.within, source: early.source })]);
    const est = estimateWeakest(zx, judged, ownWords.map((w) => w.word));
    if (est.score < policy.min_score) reasons.push(reason('weak_score', { score: est.score, min: policy.min_score }));
    return verdict(reasons, est);
  }

  async function checkBytes(bytes: Uint8Array, context?: CheckContext): Promise<Verdict> {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
    } catch {
      const enforced = policy.enforcing && !(context?.byRoot === true && !policy.enforce_for_root);
      return { ok: false, enforced, reasons: [reason('invalid_encoding')], score: null, guessesLog10: null, feedback: { warning: null, suggestions: [] } };
    }
    return check(text, context);
  }

  return { policy, check, checkBytes };
}

/** The largest count of any form: a hit on the stored form or a cleaned one refuses. */
async function breachCount(breach: BreachLookup, forms: readonly string[]): Promise<number> {
  let most = 0;
  for (const form of forms) {
    try {
      most = Math.max(most, await breach.count(form));
    } catch (err) {
      throw new CheckError(`breach lookup failed: ${err instanceof Error ? err.message : String(err)}`, 'breach_unavailable');
    }
  }
  return most;
}

/** The attacker model's lists, as the audit orders them: the account's words, then BUILT_IN_LISTS. */
function modelLists(ownWords: readonly WordHit[], zx: Awaited<ReturnType<ZxcvbnLoader>>): ModelList[] {
  return [contextList(ownWords), ...builtInModelLists(commonListOf(zx))];
}

/** The form the attacker guesses first, if any is within `limit` (bounded: a few hundred lookups a form). */
function earliestGuess(forms: readonly string[], model: GuessModel, limit: number): Predictable | null {
  let best: Predictable | null = null;
  for (const form of forms) {
    const p = predictable(form, model, limit);
    if (p && (!best || p.guesses < best.guesses)) best = p;
  }
  return best;
}

/** The same rule broken by two forms is one reason (the first form's). */
function firstOfEachCode(reasons: readonly Reason[]): Reason[] {
  return reasons.filter((r, i) => reasons.findIndex((o) => o.code === r.code) === i);
}

/** The user's own words: login name, GECOS words, extra words, and the site's words. */
function contextWords(policy: Policy, context: CheckContext): WordHit[] {
  const words: WordHit[] = [];
  if (context.user) words.push({ word: context.user, what: 'user name' });
  for (const w of wordsOf(context.gecos ?? '')) words.push({ word: w, what: 'name or account details' });
  for (const extra of context.extraWords ?? []) {
    for (const w of wordsOf(extra)) words.push({ word: w, what: 'account details' });
  }
  for (const w of policy.org_words) words.push({ word: w, what: 'organisation\'s name' });
  return words;
}
