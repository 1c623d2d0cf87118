// `pwguard ldap install` and `ldap doctor` against a real slapd (Debian 12's 2.5) that the harness
// starts with an ldapi socket and without the ppolicy overlay: doctor is red and names what is
// missing; install prints the LDIF and changes nothing; --apply applies it through ldapi:///
// (SASL EXTERNAL for cn=config, the root DN for the policy entry); doctor is then green, a second
// install has nothing to do, and ldappasswd with a weak password is refused (a strong one stored).
import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pwguard } from '../support/cli.js';
import { slapdMissing, slappasswd, startSlapd, type Slapd } from '../support/slapd.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MODULE = join(ROOT, 'packages/pam/ldap/build/slapd-2.5/pwguard_ppolicy.so');
const HOOK = join(ROOT, 'packages/pam/bin/pwguard-pam-hook');
const missing = slapdMissing() ?? (existsSync(MODULE) ? undefined : `${MODULE} not built (pnpm run build:native)`)
  ?? (process.getuid?.() === 0 ? undefined : 'needs root (the module file must be owned by root; cn=config is managed by uid 0 here)');

const OLD = 'Old-Orchid-Lantern-77';
const STRONG = 'Tulip-Quasar-Mango-Zebra-91';
const dn = (uid: string) => `uid=${uid},ou=people,dc=example,dc=org`;

function tool(bin: string, args: readonly string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = execFile(bin, args, { timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, out: `${stdout}${stderr}` });
    });
    child.stdin?.end();
  });
}

(missing ? describe.skip : describe)(`pwguard ldap install / doctor${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let ldap: Slapd;
  let dir: string;
  let judge: string;
  const pwFile = (name: string, pw: string): string => {
    const f = join(dir, name);
    writeFileSync(f, pw, { mode: 0o600 });
    return f;
  };
  const common = () => ['-H', ldap.ldapiUrl, '--slapd-api', '2.5'];
  const admin = () => ['--admin-dn', ldap.rootDn, '--admin-password-file', ldap.rootPasswordFile];
  const install = (...more: string[]) => pwguard(['ldap', 'install', ...common(), ...admin(), '--module', MODULE, '--hook', judge, '--timeout', '30', ...more]);
  const doctor = () => pwguard(['ldap', 'doctor', ...common(), '--format', 'json']);
  const passwd = (uid: string, oldPw: string, newPw: string) =>
    tool('/usr/bin/ldappasswd', ['-x', '-H', ldap.url, '-D', dn(uid), '-y', pwFile(`old-${uid}`, oldPw), '-t', pwFile(`old2-${uid}`, oldPw), '-T', pwFile(`new-${uid}`, newPw), dn(uid)]);
  const binds = async (uid: string, pw: string) =>
    (await tool('/usr/bin/ldapwhoami', ['-x', '-H', ldap.url, '-D', dn(uid), '-y', pwFile(`bind-${uid}`, pw)])).code === 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pwguard-ldap-install-'));
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, 'pwguard.conf'), 'min_length = 12\n');
    // The module gives the hook a clean environment: a wrapper names node and the test policy.
    judge = join(dir, 'judge');
    writeFileSync(judge, `#!/bin/sh\nexec ${process.execPath} ${HOOK} config=${join(dir, 'pwguard.conf')}\n`, { mode: 0o755 });
    ldap = await startSlapd({ ppolicy: false, users: [{ uid: 'amy', cn: 'Amy Pond', userPassword: [slappasswd('{SSHA}', OLD)] }] });
  });
  afterAll(async () => {
    await ldap?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('before: doctor is red and names the module load, the overlay and the policy', () => {
    const r = doctor();
    expect(r.status).toBe(1);
    const out = JSON.parse(r.stdout) as { ok: boolean; api: string; checks: { name: string; status: string; message: string }[] };
    expect(out.ok).toBe(false);
    const status = Object.fromEntries(out.checks.map((c) => [c.name, c.status]));
    expect(status).toMatchObject({ slapd: 'ok', 'module-load': 'error', overlay: 'error', 'default-policy': 'error', policy: 'error' });
    expect(out.checks.find((c) => c.name === 'overlay')?.message).toContain('no olcOverlay=ppolicy under olcDatabase={1}mdb,cn=config');
    // Text form: one line per check, with the fix.
    const text = pwguard(['ldap', 'doctor', ...common()]);
    expect(text.status).toBe(1);
    expect(text.stdout).toMatch(/^error {3}module-load: no cn=module entry loads ppolicy/m);
    expect(text.stdout).toContain('fix: pwguard ldap install --apply');
  });

  test('install without --apply prints the LDIF for both slapd parts and changes nothing', async () => {
    const r = install();
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('dn: cn=module{0},cn=config\nchangetype: modify\nadd: olcModuleLoad\nolcModuleLoad: ppolicy\n');
    expect(r.stdout).toContain('dn: olcOverlay=ppolicy,olcDatabase={1}mdb,cn=config\nchangetype: add\n');
    expect(r.stdout).toContain('olcPPolicyDefault: cn=pwguard,ou=policies,dc=example,dc=org\nolcPPolicyHashCleartext: TRUE\n');
    expect(r.stdout).toContain('dn: ou=policies,dc=example,dc=org\nchangetype: add\n');
    expect(r.stdout).toContain(`pwdCheckQuality: 2\npwdCheckModule: ${MODULE}\npwdCheckModuleArg: hook=${judge} timeout=30\n`);
    expect(r.stdout).toContain('not applied');
    expect(JSON.parse(doctor().stdout).ok).toBe(false);
    // No overlay yet: a weak password goes through (the reason the avenue needs the install).
    expect((await passwd('amy', OLD, 'password1')).code).toBe(0);
    expect((await passwd('amy', 'password1', OLD)).code).toBe(0);
  });

  test('--apply applies it; doctor is green; a second install has nothing to do', () => {
    const r = install('--apply');
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`# self-test: ${judge} accepts a strong password`);
    expect(r.stdout).toContain('# applied: password changes under dc=example,dc=org now go through');
    expect(r.status).toBe(0);
    const d = doctor();
    const out = JSON.parse(d.stdout) as { ok: boolean; checks: { name: string; status: string }[] };
    expect(out.checks.map((c) => `${c.name}:${c.status}`)).toEqual([
      'slapd:ok', 'module-load:ok', 'overlay:ok', 'default-policy:ok', 'policy:ok', 'module-file:ok', 'hook:ok']);
    expect(d.status).toBe(0);
    const again = install();
    expect(again.stdout).toContain('# cn=config: nothing to change');
    expect(again.stdout).toContain('# policy entry: nothing to change');
  });

  test('then ldappasswd with a weak password is refused with the reasons; a strong one is stored', async () => {
    const weak = await passwd('amy', OLD, 'password1');
    expect(weak.code).not.toBe(0);
    expect(weak.out).toContain('Constraint violation');
    expect(weak.out).toContain('Too short: use at least 12 characters (this one has 9).');
    expect(await binds('amy', OLD)).toBe(true);
    expect((await passwd('amy', OLD, STRONG)).code).toBe(0);
    expect(await binds('amy', STRONG)).toBe(true);
  });

  test('doctor names a policy that stopped checking, and a hook that cannot judge', () => {
    const ldif = 'dn: cn=pwguard,ou=policies,dc=example,dc=org\nchangetype: modify\nreplace: pwdCheckQuality\npwdCheckQuality: 0\n-\nreplace: pwdCheckModuleArg\npwdCheckModuleArg: hook=/nonexistent/hook\n';
    const m = spawnModify(ldif);
    expect(m).toBe(0);
    const r = pwguard(['ldap', 'doctor', ...common()]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^error {3}policy: cn=pwguard,ou=policies,dc=example,dc=org: pwdCheckQuality is 0, not 2/m);
    expect(r.stdout).toMatch(/^error {3}hook: \/nonexistent\/hook does not exist/m);
    expect(install('--apply').status).toBe(0);
    expect(doctor().status).toBe(0);
  });

  test('bad input: a clear error, exit 2', () => {
    expect(pwguard(['ldap', 'install', ...common(), '--suffix', 'dc=nowhere']).stderr).toContain('no database in cn=config has suffix dc=nowhere');
    const rel = pwguard(['ldap', 'install', ...common(), '--module', 'rel/x.so']);
    expect(rel.status).toBe(2);
    expect(rel.stderr).toContain('--module rel/x.so: must be an absolute path');
    const unreachable = pwguard(['ldap', 'doctor', '-H', `ldapi://${encodeURIComponent(join(dir, 'none'))}`, '--slapd-api', '2.5']);
    expect(unreachable.status).toBe(1);
    expect(unreachable.stdout).toMatch(/^error {3}slapd: .*ldapsearch/m);
  });

  function spawnModify(ldif: string): number | null {
    return spawnSync('/usr/bin/ldapmodify', ['-x', '-H', ldap.url, '-D', ldap.rootDn, '-y', pwFile('root', ldap.rootPassword)], { input: ldif }).status;
  }
});
