// runHook with the real checker and the real built-in breach list; only the system edges (config
// file, passwd, syslog, chage) are plain values so every branch is reachable.
import { jest } from '@jest/globals';
import { createChecker, resolvePolicy, parseArgs, CheckError, type Policy } from '@pwguard/strength';
import { openBreachLookup } from '@pwguard/breach';
import { passwordFromInput as passwordBytes } from '@pwguard/strength';
import { runHook, type HookSystem, type WeakLogin } from '../src/hook.js';
import { HOOK_MESSAGES, ON_ERROR_SUFFIX, WARNING_PREFIX } from '../src/messages.js';

jest.setTimeout(60_000);

const STRONG = 'tiger banana window seventy';
const WEAK = 'password123';
const policyOf = (...args: string[]): Policy => resolvePolicy(parseArgs(args, 'test')).policy;
const bytes = (s: string) => new TextEncoder().encode(s);

interface Fake extends HookSystem {
  logs: string[];
  weak: WeakLogin[];
  expired: string[];
}

function system(over: Partial<HookSystem> & { policy?: Policy } = {}): Fake {
  const policy = over.policy ?? policyOf('enforce_for_root=1');
  const fake: Fake = {
    logs: [],
    weak: [],
    expired: [],
    loadPolicy: () => policy,
    openChecker: async (p) => createChecker(p, { breach: openBreachLookup(undefined) }),
    lookupUser: (name) => (name === 'alice' ? { gecos: 'Alice Liddell,Room 7' } : null),
    byRoot: false,
    log: (prio, msg) => { fake.logs.push(`${prio}: ${msg}`); },
    recordWeakLogin: (_p, e) => { fake.weak.push(e); },
    expirePassword: (user) => { fake.expired.push(user); },
    ...over,
  };
  return fake;
}

const change = (stdin: Uint8Array, env: Record<string, string> = { PAM_USER: 'alice' }) => ({ stdin, env: { PAM_TYPE: 'password', ...env } });

describe('password stack', () => {
  const OLD = 'Vivid-Otter-Plaza-71';
  const withOld = (now: string, old: string) => bytes(`${now}\0${old}`);
  const moduleEnv = { PAM_USER: 'alice', PWGUARD_OLDAUTHTOK: 'stdin' };

  test('the old password after a NUL (pam_pwguard.so, PWGUARD_OLDAUTHTOK=stdin): the old one with small changes is refused', async () => {
    const sys = system();
    const r = await runHook(change(withOld('Vivid-Otter-Plaza-72', OLD), moduleEnv), sys);
    expect(r).toEqual({ exitCode: 1, lines: ['Too similar to your current password: change at least 5 characters, and do not reuse it as a part.'] });
    expect(sys.logs.join('\n')).toContain('refused: too_similar_to_old');
    expect(sys.logs.join('\n')).not.toContain('Plaza');
  });

  test('the old password as context: a new one unlike it is accepted; an empty old one is no context', async () => {
    expect(await runHook(change(withOld(STRONG, OLD), moduleEnv), system())).toEqual({ exitCode: 0, lines: [] });
    expect(await runHook(change(withOld('Vivid-Otter-Plaza-72', ''), moduleEnv), system())).toEqual({ exitCode: 0, lines: [] });
  });

  test('without PWGUARD_OLDAUTHTOK a NUL is part of the password (pam_exec\'s protocol unchanged): refused as such', async () => {
    const r = await runHook(change(withOld(STRONG, OLD)), system());
    expect(r.exitCode).toBe(1);
    expect(r.lines).toEqual(['The password contains a NUL character.']);
  });

  test('a strong password is accepted silently', async () => {
    expect(await runHook(change(bytes(STRONG)), system())).toEqual({ exitCode: 0, lines: [] });
  });

  test('a weak password is refused with one reason per line', async () => {
    const sys = system();
    const r = await runHook(change(bytes(WEAK)), sys);
    expect(r.exitCode).toBe(1);
    expect(r.lines).toEqual(['Too short: use at least 12 characters (this one has 11).', expect.stringMatching(/^Seen [\d,]+ times in data breaches/)]);
    expect(sys.logs.join('\n')).toContain('refused: too_short,breached');
  });

  test('GECOS words from the passwd database count', async () => {
    const r = await runHook(change(bytes('liddell-carrot-stapler-77')), system());
    expect(r.lines.join('\n')).toContain('Contains or closely resembles your name or account details ("Liddell").');
  });

  test('empty stdin (Linux-PAM < 1.6) is refused with the cause and the fix, never accepted silently', async () => {
    const sys = system();
    const r = await runHook(change(new Uint8Array(0)), sys);
    // 2, not 1: the check could not run, so pam_pwguard.so must not ask again (docs/pam-module.md).
    expect(r.exitCode).toBe(2);
    expect(r.lines).toEqual([`${HOOK_MESSAGES.no_authtok} ${ON_ERROR_SUFFIX.reject}`]);
    expect(sys.logs[0]).toMatch(/^err: .*Linux-PAM < 1.6/);
  });

  test('a refusal without reasons still says something (pam_pwguard.so treats a silent exit 1 as a failure)', async () => {
    const silent = system({
      openChecker: async (p) => {
        const real = await createChecker(p, { breach: openBreachLookup(undefined) });
        return { ...real, checkBytes: async () => ({ ok: false, enforced: true, reasons: [], score: null, guessesLog10: null, feedback: { warning: null, suggestions: [] } }) };
      },
    });
    const r = await runHook(change(bytes(STRONG)), silent);
    expect(r.exitCode).toBe(1);
    expect(r.lines).toHaveLength(1);
    expect(r.lines[0]).not.toBe('');
  });

  test('on_error = accept lets the change through but still says why', async () => {
    const r = await runHook(change(new Uint8Array(0)), system({ policy: policyOf('on_error=accept') }));
    expect(r.exitCode).toBe(0);
    expect(r.lines[0]).toContain('Linux-PAM before 1.6.0');
    expect(r.lines[0]).toContain(ON_ERROR_SUFFIX.accept);
  });

  test('one trailing NUL or newline is not part of the password; two are', async () => {
    expect(passwordBytes(bytes('abc\n'))).toEqual(bytes('abc'));
    expect(passwordBytes(bytes('abc\0'))).toEqual(bytes('abc'));
    expect(passwordBytes(bytes('abc\n\n'))).toEqual(bytes('abc\n'));
    expect((await runHook(change(bytes(`${STRONG}\0`)), system())).exitCode).toBe(0);
    expect((await runHook(change(bytes(`${STRONG}\n`)), system())).exitCode).toBe(0);
  });

  test('a NUL in the middle, invalid UTF-8 and 511+ bytes are refused with a reason, not a crash', async () => {
    const nul = await runHook(change(bytes('tiger banana\0window seventy')), system());
    expect(nul).toEqual({ exitCode: 1, lines: ['The password contains a NUL character.'] });
    const bad = await runHook(change(Uint8Array.from([0x66, 0x6f, 0xc3, 0x28, 0x6f, 0x6f, 0x66, 0x6f, 0x6f, 0x66, 0x6f, 0x6f, 0x66])), system());
    expect(bad).toEqual({ exitCode: 1, lines: ['The password is not valid UTF-8 text.'] });
    const long = await runHook(change(bytes('Zq9!'.repeat(150))), system());
    expect(long).toEqual({ exitCode: 1, lines: ['Too long: use at most 256 characters.'] });
    const huge = await runHook(change(new Uint8Array(70_000).fill(0x61)), system());
    expect(huge.exitCode).toBe(2);
    expect(huge.lines[0]).toBe(`${HOOK_MESSAGES.bad_input} ${ON_ERROR_SUFFIX.reject}`);
  });

  test('missing PAM_USER and a user not in the passwd database apply on_error', async () => {
    const none = await runHook(change(bytes(STRONG), {}), system());
    expect(none).toEqual({ exitCode: 2, lines: [`${HOOK_MESSAGES.no_user} ${ON_ERROR_SUFFIX.reject}`] });
    const ghost = await runHook(change(bytes(STRONG), { PAM_USER: 'ghost' }), system());
    expect(ghost.exitCode).toBe(2);
    expect(ghost.lines[0]).toContain('user ghost is not in the passwd database');
    const accepted = await runHook(change(bytes(STRONG), { PAM_USER: 'ghost' }), system({ policy: policyOf('on_error=accept') }));
    expect(accepted.exitCode).toBe(0);
  });

  test('a broken config fails closed (its on_error cannot be read)', async () => {
    const sys = system({ loadPolicy: () => { throw new Error('/etc/security/pwguard.conf:3: min_length: not a number'); } });
    const r = await runHook(change(bytes(STRONG)), sys);
    expect(r).toEqual({ exitCode: 2, lines: [`${HOOK_MESSAGES.config_error} ${ON_ERROR_SUFFIX.reject}`] });
    expect(sys.logs[0]).toContain('pwguard.conf:3: min_length');
  });

  test('a missing store and a failing lookup apply on_error', async () => {
    const missing = system({ openChecker: async () => { throw new Error('cannot open /var/lib/pwguard/hibp.pwg: ENOENT'); } });
    const r = await runHook(change(bytes(STRONG)), missing);
    expect(r).toEqual({ exitCode: 2, lines: [`${HOOK_MESSAGES.internal_error} ${ON_ERROR_SUFFIX.reject}`] });
    expect(missing.logs[0]).toContain('ENOENT');
    const failing = system({
      policy: policyOf('on_error=accept'),
      openChecker: async (p) => createChecker(p, { breach: { description: 'x', count: async () => { throw new Error('EIO'); } } }),
    });
    const r2 = await runHook(change(bytes(STRONG)), failing);
    expect(r2.exitCode).toBe(0);
    expect(r2.lines[0]).toBe(`${HOOK_MESSAGES.breach_unavailable} ${ON_ERROR_SUFFIX.accept}`);
    expect(new CheckError('x', 'breach_unavailable')).toBeInstanceOf(Error);
  });

  test('enforcing = 0 and root without enforce_for_root warn but accept', async () => {
    const warn = await runHook(change(bytes(WEAK)), system({ policy: policyOf('enforcing=0') }));
    expect(warn.exitCode).toBe(0);
    expect(warn.lines[0]).toBe(`${WARNING_PREFIX}Too short: use at least 12 characters (this one has 11).`);
    const root = await runHook(change(bytes(WEAK)), system({ policy: policyOf(), byRoot: true }));
    expect(root.exitCode).toBe(0);
    expect(root.lines.every((l) => l.startsWith(WARNING_PREFIX))).toBe(true);
    const rootEnforced = await runHook(change(bytes(WEAK)), system({ policy: policyOf('enforce_for_root=1'), byRoot: true }));
    expect(rootEnforced.exitCode).toBe(1);
  });

  test('a directory avenue (LDAP, Samba, Kerberos) gives the account\'s name itself: no passwd lookup, never judged as root', async () => {
    const sys = system({ lookupUser: () => { throw new Error('passwd must not be asked'); }, byRoot: true, policy: policyOf() });
    const ldap = { PAM_USER: 'carol', PWGUARD_AVENUE: 'ldap', PWGUARD_GECOS: 'Carol Tremaine,carol@example.org' };
    const named = await runHook(change(bytes('tremaine-carrot-stapler-77'), ldap), sys);
    expect(named).toEqual({ exitCode: 1, lines: ['Contains or closely resembles your name or account details ("Tremaine").'] });
    // slapd or Samba running as root is not root setting the password: enforce_for_root does not apply.
    expect((await runHook(change(bytes(WEAK), ldap), sys)).exitCode).toBe(1);
    expect(await runHook(change(bytes(STRONG), { PAM_USER: 'carol', PWGUARD_AVENUE: 'samba' }), sys)).toEqual({ exitCode: 0, lines: [] });
    expect(await runHook(change(bytes(STRONG), { PAM_USER: 'carol', PWGUARD_AVENUE: 'kerberos', PWGUARD_GECOS: 'admin' }), sys)).toEqual({ exitCode: 0, lines: [] });
  });

  test('PWGUARD_AVENUE is ignored in a PAM change (PAM_SERVICE set) and when it names no avenue', async () => {
    const viaPam = await runHook(change(bytes(STRONG), { PAM_USER: 'carol', PAM_SERVICE: 'passwd', PWGUARD_AVENUE: 'ldap' }), system());
    expect(viaPam.exitCode).toBe(2);
    expect(viaPam.lines[0]).toContain('carol');
    expect((await runHook(change(bytes(STRONG), { PAM_USER: 'carol', PWGUARD_AVENUE: 'heimdal' }), system())).exitCode).toBe(2);
  });

  test('the password never reaches a log line or a message', async () => {
    const secret = 'Unique-Secret-Value-8841';
    const sys = system({ openChecker: async () => { throw new Error('boom'); } });
    const outs = [
      await runHook(change(bytes(secret)), sys),
      await runHook(change(bytes(secret), { PAM_USER: 'ghost' }), sys),
      await runHook({ stdin: bytes(secret), env: { PAM_TYPE: 'auth', PAM_USER: 'alice' } }, sys),
    ];
    expect(JSON.stringify([outs, sys.logs])).not.toContain(secret);
  });
});

describe('auth stack (login check)', () => {
  const login = (pw: string, user = 'alice') => ({ stdin: bytes(pw), env: { PAM_TYPE: 'auth', PAM_USER: user, PAM_SERVICE: 'sshd' } });

  test('a weak login password is recorded, never refused, and says nothing', async () => {
    const sys = system();
    expect(await runHook(login(WEAK), sys)).toEqual({ exitCode: 0, lines: [] });
    expect(sys.weak).toEqual([{ user: 'alice', service: 'sshd', codes: ['too_short', 'breached'] }]);
    expect(sys.expired).toEqual([]);
  });

  test('on_weak_login = expire forces a change; a strong one is left alone', async () => {
    const sys = system({ policy: policyOf('on_weak_login=expire') });
    await runHook(login(WEAK), sys);
    await runHook(login(STRONG), sys);
    expect(sys.expired).toEqual(['alice']);
    expect(sys.weak).toHaveLength(1);
  });

  test('failures at login are logged and still accept', async () => {
    const sys = system({ loadPolicy: () => { throw new Error('bad config'); } });
    expect(await runHook(login(WEAK), sys)).toEqual({ exitCode: 0, lines: [] });
    expect(sys.logs[0]).toMatch(/^err: login check for alice failed: bad config/);
    expect(await runHook(login(''), sys)).toEqual({ exitCode: 0, lines: [] });
  });
});

describe('other callers', () => {
  test('no PAM_TYPE: not run by pam_exec, exit 2 with a hint', async () => {
    const r = await runHook({ stdin: bytes(STRONG), env: {} }, system());
    expect(r).toEqual({ exitCode: 2, lines: [HOOK_MESSAGES.not_pam] });
  });

  test('account and session stacks carry no password: accept, and log that', async () => {
    const sys = system();
    expect(await runHook({ stdin: new Uint8Array(0), env: { PAM_TYPE: 'account', PAM_USER: 'alice' } }, sys)).toEqual({ exitCode: 0, lines: [] });
    expect(sys.logs[0]).toContain('PAM_TYPE=account');
  });
});
