// The pam_exec hook's logic, without the system: the caller passes in how to load the policy and
// checker, look users up and log, so every branch can be tested with plain values.
//
// Protocol (pam_exec with expose_authtok): the password is the raw bytes on stdin up to EOF;
// PAM_USER and PAM_TYPE are in the environment. Reasons are written one per line (pam_exec's
// `stdout` shows them); exit 0 accepts, 1 refuses the password (pam_pwguard.so asks again), 2 says
// the check could not run and on_error = reject (pam_pwguard.so stops without asking again; pam_exec
// refuses on any non-zero). Every refusal carries at least one line. In the auth stack the hook
// never refuses: it only records (and, if configured, expires) accounts that log in with a weak password.
// pam_pwguard.so may also send the old password on stdin after a NUL (protocol.ts, OLDAUTHTOK_ENV).
import { CheckError, passwordFromInput, type Checker, type Policy, type Verdict } from '@pwguard/strength';
import { hookMessage, ON_ERROR_SUFFIX, WARNING_PREFIX, type HookMessageCode } from './messages.js';
import { MAX_INPUT_BYTES } from './client.js';
import { avenueContext, EXIT_ACCEPT, EXIT_NO_VERDICT, EXIT_REJECT, safeName, splitAuthtoks } from './protocol.js';

export { EXIT_ACCEPT, EXIT_NO_VERDICT, EXIT_REJECT, safeName };
/** Shown when a refused verdict somehow carries no reason: a refusal is never silent. */
const NO_REASON = 'The password does not meet the password policy.';

export type LogPriority = 'err' | 'warning' | 'notice' | 'info';

export interface HookSystem {
  /** The policy; throws when the config cannot be read or is invalid. */
  loadPolicy(): Policy;
  /** The checker for that policy; throws when the breach store or banned words cannot be opened. */
  openChecker(policy: Policy): Promise<Checker>;
  /** GECOS for the user, or null when the passwd database has no such user. */
  lookupUser(name: string): { readonly gecos: string } | null;
  /** True when root is setting the password (real uid 0): enforce_for_root applies. */
  readonly byRoot: boolean;
  /** To syslog/journal. Never given the password. */
  log(priority: LogPriority, message: string): void;
  /** Auth stack: note an account that logged in with a weak password. */
  recordWeakLogin(policy: Policy, event: WeakLogin): void;
  /** Auth stack with on_weak_login = expire: force a change at next login (chage -d 0). */
  expirePassword(user: string): void;
}

export interface WeakLogin {
  readonly user: string;
  readonly service: string;
  readonly codes: readonly string[];
}

export interface HookRequest {
  readonly stdin: Uint8Array;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export interface HookResult {
  readonly exitCode: number;
  /** Lines for the user (stdout; pam_exec shows them). */
  readonly lines: readonly string[];
}


export async function runHook(req: HookRequest, sys: HookSystem): Promise<HookResult> {
  const type = req.env.PAM_TYPE ?? '';
  if (type === 'auth') return loginCheck(req, sys);
  if (type === 'password') return changeCheck(req, sys);
  if (type === '') return { exitCode: EXIT_NO_VERDICT, lines: [hookMessage('not_pam')] };
  // account/session stacks carry no password: nothing to judge.
  sys.log('notice', `pwguard-pam-hook called for PAM_TYPE=${type}; it only acts in the auth and password stacks`);
  return { exitCode: EXIT_ACCEPT, lines: [] };
}

async function changeCheck(req: HookRequest, sys: HookSystem): Promise<HookResult> {
  let policy: Policy | null = null;
  const fail = (code: HookMessageCode, detail: string, details: Record<string, string> = {}): HookResult => {
    // Without a readable policy, on_error is unknown: fail closed.
    const onError = policy?.on_error ?? 'reject';
    sys.log('err', `password change for ${userLabel(req)}: ${detail} (on_error = ${onError})`);
    return {
      exitCode: onError === 'accept' ? EXIT_ACCEPT : EXIT_NO_VERDICT,
      lines: [`${hookMessage(code, details)} ${ON_ERROR_SUFFIX[onError]}`],
    };
  };
  try {
    policy = sys.loadPolicy();
  } catch (err) {
    return fail('config_error', errorText(err));
  }
  if (req.stdin.length === 0) {
    return fail('no_authtok', 'stdin was empty in the password stack: Linux-PAM < 1.6 ignores expose_authtok there');
  }
  if (req.stdin.length > MAX_INPUT_BYTES) return fail('bad_input', `more than ${MAX_INPUT_BYTES} bytes on stdin`);
  const user = req.env.PAM_USER ?? '';
  if (user === '') return fail('no_user', 'PAM_USER is not set');
  // A directory avenue (LDAP, Samba, Kerberos) knows the account itself; a PAM change asks passwd.
  const avenue = avenueContext(req.env);
  const entry = avenue ?? sys.lookupUser(user);
  if (!entry) return fail('unknown_user', `user ${safeName(user)} not in the passwd database`, { user: safeName(user) });

  const { password, old } = splitAuthtoks(req.stdin, req.env);
  let verdict: Verdict;
  try {
    const checker = await sys.openChecker(policy);
    // The old password (the module's PAM_OLDAUTHTOK) is context only: compared, never shown or logged.
    const oldPassword = old && old.length > 0 ? new TextDecoder().decode(old) : undefined;
    const byRoot = avenue ? false : sys.byRoot;
    verdict = await checker.checkBytes(passwordFromInput(password), { user, gecos: entry.gecos, byRoot, ...(oldPassword ? { oldPassword } : {}) });
  } catch (err) {
    return fail(err instanceof CheckError ? 'breach_unavailable' : 'internal_error', errorText(err));
  }
  if (verdict.ok) return { exitCode: EXIT_ACCEPT, lines: [] };
  const messages = verdict.reasons.length > 0 ? verdict.reasons.map((r) => r.message) : [NO_REASON];
  const codes = verdict.reasons.map((r) => r.code).join(',');
  if (!verdict.enforced) {
    sys.log('notice', `weak password accepted for ${safeName(user)} (not enforcing): ${codes}`);
    return { exitCode: EXIT_ACCEPT, lines: messages.map((m) => WARNING_PREFIX + m) };
  }
  sys.log('notice', `password change for ${safeName(user)} refused: ${codes}`);
  return { exitCode: EXIT_REJECT, lines: messages };
}

/** Login: judge the password the user just authenticated with; never refuse, never say anything. */
async function loginCheck(req: HookRequest, sys: HookSystem): Promise<HookResult> {
  const quiet: HookResult = { exitCode: EXIT_ACCEPT, lines: [] };
  const user = req.env.PAM_USER ?? '';
  const bytes = passwordFromInput(req.stdin);
  if (user === '' || bytes.length === 0 || req.stdin.length > MAX_INPUT_BYTES) return quiet;
  try {
    const policy = sys.loadPolicy();
    const entry = sys.lookupUser(user);
    if (!entry) return quiet;
    const checker = await sys.openChecker(policy);
    // The login check reports what the policy would refuse from the user themself (not root).
    const verdict = await checker.checkBytes(bytes, { user, gecos: entry.gecos, byRoot: false });
    if (verdict.ok) return quiet;
    const codes = verdict.reasons.map((r) => r.code);
    sys.recordWeakLogin(policy, { user, service: req.env.PAM_SERVICE ?? '', codes });
    sys.log('warning', `login by ${safeName(user)} with a weak password (${codes.join(',')})`);
    if (policy.on_weak_login === 'expire') {
      sys.expirePassword(user);
      sys.log('notice', `password of ${safeName(user)} expired: a change is required at next login`);
    }
  } catch (err) {
    sys.log('err', `login check for ${userLabel(req)} failed: ${errorText(err)}`);
  }
  return quiet;
}

function userLabel(req: HookRequest): string {
  return req.env.PAM_USER ? safeName(req.env.PAM_USER) : '(no PAM_USER)';
}


function errorText(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
}
