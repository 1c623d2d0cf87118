// What the hook tells the user and the system log, one table. Stable codes; English text.
// No message ever contains the password. The user sees one line; details go to the log only.
import { renderTemplate, type TemplateValues } from '@pwguard/strength';

export const HOOK_MESSAGES = {
  no_authtok:
    'pwguard: no password reached the check: Linux-PAM before 1.6.0 does not pass the new password to pam_exec in the password stack. Fix: upgrade Linux-PAM to 1.6 or later, or use the pam_pwguard module (see docs/pam.md).',
  no_user: 'pwguard: PAM_USER is not set, so the password could not be checked.',
  unknown_user: 'pwguard: user {user} is not in the passwd database, so the password could not be checked.',
  config_error: 'pwguard: the password policy could not be loaded (details in the system log).',
  breach_unavailable: 'pwguard: the breached-password list could not be checked (details in the system log).',
  internal_error: 'pwguard: the password check failed (details in the system log).',
  timeout: 'pwguard: the password check did not finish in time (details in the system log).',
  bad_input: 'pwguard: the password could not be read (details in the system log).',
  not_pam: 'pwguard: PAM_TYPE is not set: this command is run by pam_exec (see pwguard pam install --help).',
} as const;

export type HookMessageCode = keyof typeof HOOK_MESSAGES;

/** Appended to an on_error message so the user knows what happened to the change. */
export const ON_ERROR_SUFFIX = {
  reject: 'The password was not changed.',
  accept: 'The password is accepted without the check (on_error = accept).',
} as const;

/** Prefix for reasons that a non-enforcing policy (enforcing = 0, root) only warns about. */
export const WARNING_PREFIX = 'Warning: ';

export function hookMessage(code: HookMessageCode, details: TemplateValues = {}): string {
  return renderTemplate(HOOK_MESSAGES[code], details);
}
