// What the hook answers when its check did not finish (deadline, or the check could not start):
// plain values, the process side is test/pam/hook-process.test.ts.
import { avenueContext, deadlineMs, EXIT_NO_VERDICT, LOGIN_DEADLINE_MS, CHANGE_DEADLINE_MS, sambaHookEnv, splitAuthtoks, unfinishedCheck } from '../src/protocol.js';
import { HOOK_MESSAGES, ON_ERROR_SUFFIX } from '../src/messages.js';

describe('unfinishedCheck', () => {
  test('password stack: the policy on_error, reject while the policy is unknown', () => {
    expect(unfinishedCheck('password', 'alice', null, 'timeout', 'no verdict within 8 s')).toEqual({
      exitCode: EXIT_NO_VERDICT,
      lines: [`${HOOK_MESSAGES.timeout} ${ON_ERROR_SUFFIX.reject}`],
      log: 'password change for alice: no verdict within 8 s (on_error = unknown: policy not read yet, reject)',
    });
    expect(unfinishedCheck('password', 'alice', 'reject', 'timeout', 'x').exitCode).toBe(EXIT_NO_VERDICT);
    expect(unfinishedCheck('password', 'alice', 'accept', 'internal_error', 'x')).toMatchObject({
      exitCode: 0, lines: [`${HOOK_MESSAGES.internal_error} ${ON_ERROR_SUFFIX.accept}`],
    });
  });

  test('not run by PAM (no PAM_TYPE) refuses like the password stack', () => {
    expect(unfinishedCheck('', '', 'accept', 'timeout', 'x')).toMatchObject({ exitCode: 0, log: 'password change for (no PAM_USER): x (on_error = accept)' });
    expect(unfinishedCheck('', '', null, 'timeout', 'x').exitCode).toBe(EXIT_NO_VERDICT);
  });

  test('auth stack: never refuses, says nothing, logs', () => {
    expect(unfinishedCheck('auth', 'bob\u001b[31m', null, 'timeout', 'no verdict within 3 s')).toEqual({
      exitCode: 0, lines: [], log: 'login check for bob?[31m skipped: no verdict within 3 s',
    });
  });

  test('deadlines: 3 s at login, 8 s for a change (under pam_pwguard.so\'s default 10 s)', () => {
    expect([deadlineMs('auth'), deadlineMs('password'), deadlineMs('')]).toEqual([LOGIN_DEADLINE_MS, CHANGE_DEADLINE_MS, CHANGE_DEADLINE_MS]);
    expect([LOGIN_DEADLINE_MS, CHANGE_DEADLINE_MS]).toEqual([3000, 8000]);
  });
});

describe('splitAuthtoks (pam_pwguard.so: NEW NUL OLD on stdin)', () => {
  const b = (s: string) => new TextEncoder().encode(s);
  const text = (u: Uint8Array | null) => (u === null ? null : new TextDecoder().decode(u));
  const split = (s: string, env: Record<string, string> = { PWGUARD_OLDAUTHTOK: 'stdin' }) => {
    const r = splitAuthtoks(b(s), env);
    return [text(r.password), text(r.old)];
  };
  test('with PWGUARD_OLDAUTHTOK=stdin: up to the first NUL is the new password, the rest the old one', () => {
    expect(split('new-one\0old-one')).toEqual(['new-one', 'old-one']);
    expect(split('new-one\0old\0x')).toEqual(['new-one', 'old\0x']);
    expect(split('new-one\0')).toEqual(['new-one', '']);
    expect(split('no-nul-at-all')).toEqual(['no-nul-at-all', null]);
  });
  test('without it (pam_exec, by hand): stdin is the new password alone, NUL and all', () => {
    expect(split('new-one\0old-one', {})).toEqual(['new-one\0old-one', null]);
    expect(split('new-one\0old-one', { PWGUARD_OLDAUTHTOK: 'yes' })).toEqual(['new-one\0old-one', null]);
  });
});

describe('sambaHookEnv: Samba\'s check password script variables as the hook\'s', () => {
  test('account -> PAM_USER, full name -> PWGUARD_GECOS, a password change, no PAM service', () => {
    const r = sambaHookEnv({ PATH: '/usr/bin', PAM_SERVICE: 'samba', SAMBA_CPS_ACCOUNT_NAME: 'alice', SAMBA_CPS_FULL_NAME: 'Alice Liddell', SAMBA_CPS_USER_PRINCIPAL_NAME: 'alice@EXAMPLE.ORG' });
    expect(r).toEqual({ env: {
      PATH: '/usr/bin', SAMBA_CPS_ACCOUNT_NAME: 'alice', SAMBA_CPS_FULL_NAME: 'Alice Liddell', SAMBA_CPS_USER_PRINCIPAL_NAME: 'alice@EXAMPLE.ORG',
      PAM_TYPE: 'password', PAM_USER: 'alice', PWGUARD_AVENUE: 'samba', PWGUARD_GECOS: 'Alice Liddell',
    } });
    expect(avenueContext('env' in r ? r.env : {})).toEqual({ avenue: 'samba', gecos: 'Alice Liddell' });
  });

  test('no full name: empty GECOS; no account name: a one-line error', () => {
    expect(sambaHookEnv({ SAMBA_CPS_ACCOUNT_NAME: 'bob' })).toMatchObject({ env: { PAM_USER: 'bob', PWGUARD_GECOS: '' } });
    expect(sambaHookEnv({})).toEqual({ error: "pwguard: SAMBA_CPS_ACCOUNT_NAME is not set: run this as Samba's check password script" });
  });
});

describe('avenueContext', () => {
  test('only without PAM_SERVICE, only a known avenue', () => {
    expect(avenueContext({ PWGUARD_AVENUE: 'ldap', PWGUARD_GECOS: 'Carol' })).toEqual({ avenue: 'ldap', gecos: 'Carol' });
    expect(avenueContext({ PWGUARD_AVENUE: 'ldap' })).toEqual({ avenue: 'ldap', gecos: '' });
    expect(avenueContext({ PWGUARD_AVENUE: 'ldap', PAM_SERVICE: 'passwd' })).toBeNull();
    expect(avenueContext({ PWGUARD_AVENUE: 'LDAP' })).toBeNull();
    expect(avenueContext({})).toBeNull();
  });
});
