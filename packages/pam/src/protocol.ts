// The hook's process protocol, apart from the checker so the launcher (hook-client.cjs, node:
// built-ins only) can use it: exit codes, the hard deadlines, and what the hook answers when the
// check did not finish (timed out, or could not be started).
import { hookMessage, ON_ERROR_SUFFIX } from './messages.js';

export const EXIT_ACCEPT = 0;
export const EXIT_REJECT = 1;
/** The check could not run (config, store, input, user) and on_error = reject: refuse, do not ask again. */
export const EXIT_NO_VERDICT = 2;

/** Most a login waits for the check (auth stack): it never delays a login for long. */
export const LOGIN_DEADLINE_MS = 3000;
/**
 * Most a password change waits, resident checker included. Below pam_pwguard.so's default
 * timeout (10 s), so the user sees the hook's own on_error line rather than the module's.
 */
export const CHANGE_DEADLINE_MS = 8000;

export function deadlineMs(pamType: string): number {
  return pamType === 'auth' ? LOGIN_DEADLINE_MS : CHANGE_DEADLINE_MS;
}

/**
 * Avenues that are not PAM (the OpenLDAP ppolicy module, Samba's check password script, the MIT
 * Kerberos pwqual plugin in kadmind) name themselves in PWGUARD_AVENUE and give the account's
 * full name (LDAP cn, displayName, gecos; Samba's full name; a principal's components after the
 * first) in PWGUARD_GECOS: the account lives in the directory or the KDC, not necessarily in the
 * passwd database, and the process's uid (slapd's, Samba's or kadmind's root) says nothing about
 * who changes the password. Honoured only without PAM_SERVICE, which pam_exec and pam_pwguard.so always set,
 * so nothing in a PAM environment can switch a PAM change away from the passwd lookup.
 */
export const AVENUES = ['ldap', 'samba', 'kerberos'] as const;
export type Avenue = (typeof AVENUES)[number];

export interface AvenueContext {
  readonly avenue: Avenue;
  readonly gecos: string;
}

export function avenueContext(env: Readonly<Record<string, string | undefined>>): AvenueContext | null {
  if (env.PAM_SERVICE !== undefined) return null;
  const avenue = AVENUES.find((a) => a === env.PWGUARD_AVENUE);
  return avenue ? { avenue, gecos: env.PWGUARD_GECOS ?? '' } : null;
}

/**
 * Samba's `check password script` protocol (smb.conf(5), Samba >= 4.11): the new password on
 * stdin, the account in SAMBA_CPS_ACCOUNT_NAME, the full name (when known) in SAMBA_CPS_FULL_NAME;
 * exit 0 accepts, anything else refuses. Returns the hook's environment for that request, or a
 * one-line error when Samba gave no account name.
 */
export function sambaHookEnv(env: Readonly<Record<string, string | undefined>>): { env: Record<string, string | undefined> } | { error: string } {
  const account = env.SAMBA_CPS_ACCOUNT_NAME ?? '';
  if (account === '') return { error: 'pwguard: SAMBA_CPS_ACCOUNT_NAME is not set: run this as Samba\'s check password script' };
  const out: Record<string, string | undefined> = { ...env, PAM_TYPE: 'password', PAM_USER: account, PWGUARD_AVENUE: 'samba', PWGUARD_GECOS: env.SAMBA_CPS_FULL_NAME ?? '' };
  delete out.PAM_SERVICE;
  return { env: out };
}

/** First argument of the launcher as Samba's check password script (`pwguard-pam-hook --samba`). */
export const SAMBA_FLAG = '--samba';

/** First argument of the check the launcher starts in a child (never on a stack line). */
export const CHECK_FLAG = '--check-now';
/** The child writes `on_error=accept|reject` here once it has read the policy. */
export const REPORT_FD = 3;

export type OnError = 'reject' | 'accept';

export interface Unfinished {
  readonly exitCode: number;
  readonly lines: readonly string[];
  /** For syslog (priority err): never the password. */
  readonly log: string;
}

/**
 * The answer when the check did not finish: the policy's on_error in the password stack (reject
 * when the policy was not read yet: a config that cannot be read cannot tell its on_error), and
 * silence with exit 0 in the auth stack (a login is never refused).
 */
export function unfinishedCheck(pamType: string, user: string, onError: OnError | null, why: 'timeout' | 'internal_error', detail: string): Unfinished {
  const who = user === '' ? '(no PAM_USER)' : safeName(user);
  if (pamType === 'auth') return { exitCode: EXIT_ACCEPT, lines: [], log: `login check for ${who} skipped: ${detail}` };
  const effective = onError ?? 'reject';
  return {
    exitCode: effective === 'accept' ? EXIT_ACCEPT : EXIT_NO_VERDICT,
    lines: [`${hookMessage(why)} ${ON_ERROR_SUFFIX[effective]}`],
    log: `password change for ${who}: ${detail} (on_error = ${onError ?? 'unknown: policy not read yet, reject'})`,
  };
}

/**
 * pam_pwguard.so also sends the old password (PAM_OLDAUTHTOK, set when users change their own)
 * without argv or the environment: on stdin after the new one and one NUL, `NEW NUL OLD`, and says
 * so with this variable (its value is the word below, never a secret). Without it, stdin is the new
 * password alone, as pam_exec writes it; a NUL inside is then refused like any other.
 */
export const OLDAUTHTOK_ENV = 'PWGUARD_OLDAUTHTOK';
export const OLDAUTHTOK_ON_STDIN = 'stdin';

/** The new password's bytes and, when the caller sent it (see OLDAUTHTOK_ENV), the old one's. */
export function splitAuthtoks(stdin: Uint8Array, env: Readonly<Record<string, string | undefined>>): { password: Uint8Array; old: Uint8Array | null } {
  if (env[OLDAUTHTOK_ENV] !== OLDAUTHTOK_ON_STDIN) return { password: stdin, old: null };
  const nul = stdin.indexOf(0);
  if (nul < 0) return { password: stdin, old: null };
  return { password: stdin.subarray(0, nul), old: stdin.subarray(nul + 1) };
}

/** User names come from outside: keep them printable and short in messages and logs. */
export function safeName(name: string): string {
  const clean = name.replace(/[^\x21-\x7e]/g, '?');
  return clean.length > 64 ? `${clean.slice(0, 64)}...` : clean;
}
