// pwguard_ppolicy.so in a real slapd (Debian 12's 2.5) with the ppolicy overlay: the checkout's
// hook judges every LDAP password change a user makes (Password Modify with ldappasswd, a modify
// of userPassword with ldapmodify), refusals reach the client as Constraint violation with
// pwguard's reasons, and the module fails closed when the hook is missing, crashes or hangs.
// Each user has its own policy entry (pwdPolicySubentry) whose pwdCheckModuleArg names its hook.
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { slapdMissing, slappasswd, startSlapd, type Slapd } from '../support/slapd.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MODULE = join(ROOT, 'packages/pam/ldap/build/pwguard_ppolicy.so');
const HOOK = join(ROOT, 'packages/pam/bin/pwguard-pam-hook');
const missing = slapdMissing() ?? (existsSync(MODULE) ? undefined : `${MODULE} not built (pnpm run build:native)`);

const OLD = 'Old-Orchid-Lantern-77';
const STRONG = 'Tulip-Quasar-Mango-Zebra-91';
const people = 'ou=people,dc=example,dc=org';
const dn = (uid: string) => `uid=${uid},${people}`;

/** Exit code and everything printed (ldappasswd reports on stdout, ldapmodify on stderr). */
interface Out { code: number; out: string }

/** An OpenLDAP client tool; passwords go in files (-y, -t, -T) or on stdin, never argv. */
function tool(bin: string, args: readonly string[], input?: string): Promise<Out> {
  return new Promise((resolve) => {
    const child = execFile(bin, args, { timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, out: `${stdout}${stderr}` });
    });
    child.stdin?.end(input ?? '');
  });
}

(missing ? describe.skip : describe)(`pwguard_ppolicy.so in slapd${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let ldap: Slapd;
  let dir: string;

  const pwFile = (name: string, pw: string): string => {
    const f = join(dir, name);
    writeFileSync(f, pw, { mode: 0o600 });
    return f;
  };
  const script = (name: string, body: string): string => {
    const f = join(dir, name);
    writeFileSync(f, `#!/bin/sh\n${body}\n`);
    chmodSync(f, 0o755);
    return f;
  };
  const binds = async (uid: string, pw: string): Promise<boolean> =>
    (await tool('/usr/bin/ldapwhoami', ['-x', '-H', ldap.url, '-D', dn(uid), '-y', pwFile(`bind-${uid}`, pw)])).code === 0;
  const passwd = (uid: string, oldPw: string, newPw: string) =>
    tool('/usr/bin/ldappasswd', ['-x', '-H', ldap.url, '-D', dn(uid), '-y', pwFile(`old-${uid}`, oldPw), '-t', pwFile(`old2-${uid}`, oldPw), '-T', pwFile(`new-${uid}`, newPw), dn(uid)]);
  const modify = (uid: string, oldPw: string, newPw: string) =>
    tool('/usr/bin/ldapmodify', ['-x', '-H', ldap.url, '-D', dn(uid), '-y', pwFile(`old-${uid}`, oldPw)],
      `dn: ${dn(uid)}\nchangetype: modify\nreplace: userPassword\nuserPassword:: ${Buffer.from(newPw).toString('base64')}\n`);

  const policy = (cn: string, arg: string) => `dn: cn=${cn},dc=example,dc=org
objectClass: pwdPolicy
objectClass: pwdPolicyChecker
objectClass: device
cn: ${cn}
pwdAttribute: userPassword
pwdCheckQuality: 2
pwdCheckModule: ${MODULE}
pwdCheckModuleArg: ${arg}
`;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pwguard-ppolicy-'));
    chmodSync(dir, 0o755); // slapd runs as this user here; in a packaged install as openldap
    writeFileSync(join(dir, 'pwguard.conf'), 'min_length = 12\n');
    // The module gives the hook a clean environment (no PATH, no PWGUARD_CONFIG): a wrapper names node and the policy.
    const judge = script('judge', `exec ${process.execPath} ${HOOK} config=${join(dir, 'pwguard.conf')}`);
    const hangs = script('hangs', 'sleep 300');
    const crashes = script('crashes', 'cat >/dev/null; kill -SEGV $$');
    const users = ['alice', 'carol', 'dave', 'erin', 'frank', 'gina'].map((uid) => ({
      uid, cn: uid === 'alice' ? 'Alice Wonderbread' : uid, userPassword: [slappasswd('{SSHA}', OLD)],
      pwdPolicySubentry: { dave: 'cn=missing-hook,dc=example,dc=org', erin: 'cn=hanging-hook,dc=example,dc=org', frank: 'cn=crashing-hook,dc=example,dc=org' }[uid],
    }));
    ldap = await startSlapd({
      users,
      ppolicyDefault: 'cn=pwguard,dc=example,dc=org',
      ldif: [
        policy('pwguard', `hook=${judge} timeout=30`),
        policy('missing-hook', `hook=${join(dir, 'no-such-hook')}`),
        policy('hanging-hook', `hook=${hangs} timeout=2`),
        policy('crashing-hook', `hook=${crashes}`),
      ].join('\n'),
    });
  });
  afterAll(async () => {
    await ldap?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('ldappasswd with a weak password: Constraint violation with pwguard\'s reasons; the old password still binds', async () => {
    const r = await passwd('alice', OLD, 'password1');
    expect(r.code).not.toBe(0);
    expect(r.out).toContain('Constraint violation');
    expect(r.out).toContain('Too short: use at least 12 characters (this one has 9).');
    expect(r.out).toContain('times in data breaches');
    expect(await binds('alice', OLD)).toBe(true);
  });

  test('the entry is the context: a password holding the user\'s cn is refused', async () => {
    const r = await passwd('alice', OLD, 'Wonderbread-Tulip-Quasar-91');
    expect(r.out).toContain('Contains or closely resembles your name or account details ("Wonderbread").');
    expect(await binds('alice', OLD)).toBe(true);
  });

  test('ldappasswd with a strong password: stored, and it binds', async () => {
    const r = await passwd('alice', OLD, STRONG);
    expect(r).toMatchObject({ code: 0 });
    expect(await binds('alice', STRONG)).toBe(true);
    expect(await binds('alice', OLD)).toBe(false);
  });

  test('ldapmodify replace of userPassword by the user: weak refused, strong stored', async () => {
    const weak = await modify('carol', OLD, 'password1');
    expect(weak.code).not.toBe(0);
    expect(weak.out).toContain('Constraint violation');
    expect(weak.out).toContain('Too short: use at least 12 characters (this one has 9).');
    expect(await binds('carol', OLD)).toBe(true);
    const strong = await modify('carol', OLD, STRONG);
    expect(strong.code).toBe(0);
    expect(await binds('carol', STRONG)).toBe(true);
  });

  test('an administrator\'s reset is not judged: ppolicy skips the quality check for a DN with manage access', async () => {
    // slapd 2.5 ppolicy.c: is_pwdadmin (manage on userPassword, the rootdn here) goes straight to
    // the modify. Sites that want resets judged give administrators write, not manage.
    const r = await tool('/usr/bin/ldappasswd', ['-x', '-H', ldap.url, '-D', ldap.rootDn, '-y', pwFile('rootpw', ldap.rootPassword), '-T', pwFile('reset', 'password1'), dn('gina')]);
    expect(r.code).toBe(0);
    expect(await binds('gina', 'password1')).toBe(true);
  });

  test('a missing hook fails closed', async () => {
    const r = await passwd('dave', OLD, STRONG);
    expect(r.out).toContain('Constraint violation');
    expect(r.out).toContain('pwguard: the password check could not run; the password was not changed.');
    expect(await binds('dave', OLD)).toBe(true);
  });

  test('a crashing hook fails closed', async () => {
    const r = await passwd('frank', OLD, STRONG);
    expect(r.out).toContain('pwguard: the password check could not run; the password was not changed.');
    expect(await binds('frank', OLD)).toBe(true);
  });

  test('a hook that hangs is killed at the deadline: refused, and slapd still answers', async () => {
    const r = await passwd('erin', OLD, STRONG);
    expect(r.out).toContain('pwguard: the password check could not run; the password was not changed.');
    expect(await binds('erin', OLD)).toBe(true);
    // The next change is judged as usual: the module left nothing locked.
    expect((await passwd('carol', STRONG, 'password1')).out).toContain('Too short');
  });
});
