// The one table of audit finding codes and their English text. Reports, the table format and the
// docs use these; codes are stable, text may improve. No text ever contains a password or a hash.

export const FINDINGS = {
  weak_password: { action: true, text: 'Password guessed ({how}).' },
  breached_hash: { action: true, text: 'Unsalted hash found in the breach store (seen {count} times).' },
  policy_rejects: { action: true, text: 'Would be rejected today: {reasons}.' },
  no_password: { action: true, text: 'No password at all: the account may log in without one.' },
  shared_password: { action: true, text: 'Same password as {count} other account(s): {users}.' },
  lm_present: { action: true, text: 'An LM hash is stored (sambaLMPassword): it is cracked in seconds.' },
  storage: { action: true, text: 'Stored as {scheme}: {issueText}.' },
  locked: { action: false, text: 'Account is locked{hashKept}.' },
  expired: { action: false, text: 'Account expired on {date}.' },
  must_change: { action: false, text: 'Password change is already forced at next login.' },
  not_checked: { action: false, text: 'Not checked: {reason}.' },
  not_found: { action: false, text: 'Not guessed in the top {tried} guesses{ofPlanned}: {state}.' },
  breach_unchecked: { action: false, text: 'The breach check could not run ({error}): judged without it.' },
} as const;

export type FindingCode = keyof typeof FINDINGS;

/** One finding on one account: a stable code, its English text, and details safe to show. */
export interface Finding {
  readonly code: FindingCode;
  readonly message: string;
  readonly [detail: string]: unknown;
}

/** Does this finding mean somebody has to act (exit code 1)? */
export function needsAction(f: Finding): boolean {
  return FINDINGS[f.code].action;
}

export function finding(code: FindingCode, details: Readonly<Record<string, unknown>> = {}): Finding {
  const message = FINDINGS[code].text.replace(/\{(\w+)\}/g, (_m, k: string) => String(details[k] ?? ''));
  return { code, message, ...details };
}
