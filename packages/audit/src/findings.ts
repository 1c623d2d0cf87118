// The one table of audit finding codes and their English text. Reports, the table format and the
// docs use these; codes are stable, text may improve. No text ever contains a password or a hash.

// `todo` is the suggested next step, copied into each finding as `suggestion` (null: nothing to do).
const CHANGE = 'Force a password change at next login: pwguard audit --expire --apply (the expire plan lists the commands); the new password is also hashed with the current scheme.';

export const FINDINGS = {
  weak_password: { action: true, text: 'Password guessed ({how}).', todo: CHANGE },
  breached_hash: { action: true, text: 'Unsalted hash found in the breach store (seen {count} times).', todo: CHANGE },
  policy_rejects: { action: true, text: 'Would be rejected today: {reasons}.', todo: CHANGE },
  no_password: { action: true, text: 'No password at all: the account may log in without one.', todo: 'Set a password (passwd USER) or lock the account (passwd -l USER).' },
  shared_password: { action: true, text: 'Same password as {count} other account(s): {users}.', todo: 'Have each of these accounts change its password (passwd USER, or --expire for the weak ones).' },
  lm_present: { action: true, text: 'An LM hash is stored (sambaLMPassword): it is cracked in seconds.', todo: 'Remove sambaLMPassword and set "lanman auth = no"; a password change then stores no LM hash.' },
  storage: { action: true, text: 'Stored as {scheme}: {issueText}.', todo: 'A password change stores it with the current scheme (ENCRYPT_METHOD in /etc/login.defs, or the directory\'s password-hash): force one with --expire, or passwd USER.' },
  locked: { action: false, text: 'Account is locked{hashKept}.', todo: null },
  expired: { action: false, text: 'Account expired on {date}.', todo: null },
  must_change: { action: false, text: 'Password change is already forced at next login.', todo: null },
  not_checked: { action: false, text: 'Not checked: {reason}.', todo: null },
  not_found: { action: false, text: 'Not guessed in the top {tried} guesses{ofPlanned}: {state}.', todo: null },
  breach_unchecked: { action: false, text: 'The breach check could not run ({error}): judged without it.', todo: 'Check the breach store (pwguard breach verify) and run the audit again.' },
} as const;

export type FindingCode = keyof typeof FINDINGS;

/** One finding on one account: a stable code, its English text, and details safe to show. */
export interface Finding {
  readonly code: FindingCode;
  readonly message: string;
  /** The suggested next step (FINDINGS[code].todo), when there is one. */
  readonly suggestion?: string;
  readonly [detail: string]: unknown;
}

/** Does this finding mean somebody has to act (exit code 1)? */
export function needsAction(f: Finding): boolean {
  return FINDINGS[f.code].action;
}

/**
 * A finding: `details` become JSON fields (typed values: numbers, booleans, codes); `text` fills
 * the message only (number formatting, sentence fragments) and never reaches the JSON.
 */
export function finding(code: FindingCode, details: Readonly<Record<string, unknown>> = {}, text: Readonly<Record<string, string>> = {}): Finding {
  const values: Record<string, unknown> = { ...details, ...text };
  const message = FINDINGS[code].text.replace(/\{(\w+)\}/g, (_m, k: string) => String(values[k] ?? ''));
  const todo = FINDINGS[code].todo;
  return { code, message, ...details, ...(todo !== null ? { suggestion: todo } : {}) };
}
