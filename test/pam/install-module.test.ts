// `pwguard pam install --apply` on this host's real Linux-PAM 1.5.2, where --method auto must pick
// pam_pwguard.so, then the real `passwd` through the stack pam-auth-update made, doctor on it, and
// uninstall. Everything the installer and passwd write lands in overlayfs upper directories under a
// scratch dir: each command runs in a private mount namespace (unshare -m) with overlays on /etc,
// the PAM security directory, /usr/share/pam-configs, /var/lib/pam, /var/backups and /usr/local,
// so the host's stacks, modules, users and /etc/shadow are never written. Needs root.
import { afterAll, beforeAll, expect, it, jest } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findSecurityDirs } from '@pwguard/pam';
import { buildModule, converse, count, ROOT, RUN } from '../pam-module/harness.js';

jest.setTimeout(120_000);

const CLI = join(ROOT, 'packages/cli/dist/main.js');
const USER = `pwgit-${RUN}`;
const SECURITY = findSecurityDirs({ exists: existsSync, list: () => [], realpath: (p) => p })[0] ?? '';
const OVERLAID = ['/etc', SECURITY, '/usr/share/pam-configs', '/var/lib/pam', '/var/backups', '/usr/local'];
const TOO_SHORT = 'Too short: use at least 12 characters (this one has 9).';
const STRONG = ['Vivid-Otter-Plaza-71', 'Mauve-Tractor-Quill-8812'];
const hostCommon = readFileSync('/etc/pam.d/common-password', 'utf8');
let dir: string;
let iso: string;

/** The upper (written) side of an overlaid path: what the namespace changed. */
const upper = (path: string): string => {
  const i = OVERLAID.findIndex((o) => path === o || path.startsWith(`${o}/`));
  return join(dir, `up${i}`, path.slice((OVERLAID[i] ?? '').length));
};

interface Run { code: number | null; out: string }

function run(...cmd: string[]): Run {
  return runWith('', ...cmd);
}

function runWith(input: string, ...cmd: string[]): Run {
  const r = spawnSync(iso, cmd, { input, encoding: 'utf8', timeout: 110_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

const pwguard = (...args: string[]): Run => run(process.execPath, CLI, ...args);
const shadow = (): string => readFileSync(upper('/etc/shadow'), 'utf8').split('\n').find((l) => l.startsWith(`${USER}:`))?.split(':')[1] ?? '';

beforeAll(() => {
  buildModule();
  if (SECURITY === '') throw new Error('no PAM security directory with pam_unix.so on this host');
  dir = mkdtempSync('/var/tmp/pwguard-install-module-');
  const mounts = OVERLAID.map((p, i) => {
    mkdirSync(join(dir, `up${i}`));
    mkdirSync(join(dir, `work${i}`));
    return `mount -t overlay overlay -o lowerdir=${p},upperdir=${dir}/up${i},workdir=${dir}/work${i} ${p}`;
  });
  iso = join(dir, 'iso.sh');
  // The upper dirs outlive each namespace, so one command sees what the previous one wrote.
  writeFileSync(iso, `#!/bin/sh\nexec unshare -m --propagation private -- sh -c '${mounts.join(' && ')} && exec "$@"' sh "$@"\n`, { mode: 0o755 });
  const user = run('sh', '-c', `useradd -M -s /usr/sbin/nologin ${USER} && echo '${USER}:Initial-Pass-1234' | chpasswd`);
  if (user.code !== 0) throw new Error(`useradd in the namespace: ${user.out}`);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it('is Linux-PAM 1.5 here, and the user exists only inside the namespace', () => {
  expect(spawnSync('dpkg-query', ['-W', '-f', '${Version}', 'libpam-modules'], { encoding: 'utf8' }).stdout).toMatch(/^1\.5\./);
  expect(readFileSync('/etc/passwd', 'utf8')).not.toContain(`${USER}:`);
  expect(shadow()).toMatch(/^\$y\$/);
});

interface Report { ok: boolean; method: string | null; checks: { name: string; status: string; message: string; fix?: string }[] }

const pamAuthUpdate = (...args: string[]): Run => run('env', 'DEBIAN_FRONTEND=noninteractive', 'pam-auth-update', ...args);

it('install without --apply: the profile stays off through `pam-auth-update --package` (a PAM upgrade); `--enable pwguard` turns it on (issue 14)', () => {
  const r = pwguard('pam', 'install');
  expect(r.out).toContain('not applied: run `pwguard pam install --apply` or `pam-auth-update --enable pwguard` to enable it');
  expect(r.code).toBe(0);
  expect(readFileSync(upper('/usr/share/pam-configs/pwguard'), 'utf8')).toMatch(/^Default: no$/m);
  expect(existsSync(upper('/etc/pam.d/common-password'))).toBe(false); // not written at all
  // What libpam-runtime's and every PAM module package's postinst runs on an upgrade.
  const upgrade = pamAuthUpdate('--package');
  expect(upgrade.code).toBe(0);
  expect(run('cat', '/etc/pam.d/common-password').out).not.toContain('pwguard');
  expect(run('cat', '/var/lib/pam/seen').out.split('\n')).toContain('pwguard'); // seen, and left off
  // Doctor: the one error is that the stack does not run the check; Linux-PAM 1.5.2 is no error,
  // since the module it would use is installed (it said "error linux-pam" here before).
  const off = JSON.parse(pwguard('pam', 'doctor', '--format', 'json', '--no-latency').out) as Report;
  expect(off.checks.filter((c) => c.status === 'error').map((c) => c.name)).toEqual(['stack']);
  expect(off.checks.find((c) => c.name === 'linux-pam')).toMatchObject({ status: 'ok', message: expect.stringContaining(`${SECURITY}/pam_pwguard.so is installed`) });
  const enable = pamAuthUpdate('--package', '--enable', 'pwguard');
  expect(enable.code).toBe(0);
  expect(run('cat', '/etc/pam.d/common-password').out).toMatch(/^password\trequisite\t+pam_pwguard\.so retry=3$/m);
  // Once on, the next upgrade keeps it on.
  expect(pamAuthUpdate('--package').code).toBe(0);
  expect(run('cat', '/etc/pam.d/common-password').out).toMatch(/^password\trequisite\t+pam_pwguard\.so retry=3$/m);
});

it('install --apply (auto) picks pam_pwguard.so, installs it 0644 root next to pam_unix.so, and the stack runs it before pam_unix use_authtok', () => {
  const r = pwguard('pam', 'install', '--apply');
  expect(r.out).toMatch(/^method: pam_pwguard\.so .*: built; it asks again after a refusal \(pam_exec ends the change with "System error"\), and Linux-PAM 1\.5\.2\S* is older than 1\.6\.0/m);
  expect(r.out).toContain(`module: ${SECURITY}/pam_pwguard.so (0644 root)`);
  expect(r.out).toContain('module self-test: libpam loads it and it runs the hook');
  expect(run('sh', '-c', 'ls /etc/pam.d').out).not.toContain('pwguard-selftest');
  expect(r.out).toContain('applied: the password stack now runs pam_pwguard.so');
  expect(r.code).toBe(0);
  const mod = statSync(upper(`${SECURITY}/pam_pwguard.so`));
  expect([mod.mode & 0o7777, mod.uid, mod.gid]).toEqual([0o644, 0, 0]);
  expect(readFileSync(upper(`${SECURITY}/pam_pwguard.so`))).toEqual(readFileSync(join(ROOT, 'packages/pam/module/build/pam_pwguard.so')));
  expect(readFileSync(upper('/usr/share/pam-configs/pwguard'), 'utf8')).toContain('Password-Initial:\n\trequisite\tpam_pwguard.so retry=3\n');
  const common = readFileSync(upper('/etc/pam.d/common-password'), 'utf8');
  expect(common).toMatch(/^password\trequisite\t+pam_pwguard\.so retry=3\npassword\t\[success=1 default=ignore\]\tpam_unix\.so obscure use_authtok/m);
  expect(common).not.toContain('pam_exec');
  // The host's own stack and module directory are untouched.
  expect(readFileSync('/etc/pam.d/common-password', 'utf8')).toBe(hostCommon);
  expect(existsSync(`${SECURITY}/pam_pwguard.so`)).toBe(false);
});

it('the real passwd (root, enforce_for_root = 1): weak refused with the reason and asked again three times, shadow unchanged', async () => {
  expect(run('sh', '-c', "echo 'enforce_for_root = 1' >> /etc/security/pwguard.conf").code).toBe(0);
  const before = shadow();
  const r = await converse(`${iso} passwd ${USER}`, ['password1', 'password1', 'password1', 'Never-Asked-99']);
  expect(count(r.out, TOO_SHORT)).toBe(3);
  expect(count(r.out, `BAD PASSWORD: ${TOO_SHORT}`)).toBe(3); // pam_pwquality's form
  expect(r.out).toMatch(/BAD PASSWORD: Seen [\d,]+ times in data breaches/);
  expect(count(r.out, 'New password: ')).toBe(3);
  expect(r.out).toContain('passwd: password unchanged');
  expect(r.out).toContain('passwd: Authentication token manipulation error'); // PAM_AUTHTOK_ERR
  expect(r.out).not.toContain('System error'); // what pam_exec would make of it
  expect(r.code).not.toBe(0);
  expect(shadow()).toBe(before);
});

it('the real passwd: a strong password after a weak one is stored', async () => {
  const before = shadow();
  const r = await converse(`${iso} passwd ${USER}`, ['password1', STRONG[0] as string, STRONG[0] as string]);
  expect(count(r.out, TOO_SHORT)).toBe(1);
  expect(r.out).toContain('Retype new password: ');
  expect(r.out).not.toContain('System error');
  expect(r.out).toContain('passwd: password updated successfully');
  expect(r.code).toBe(0);
  expect(shadow()).not.toBe(before);
  expect(shadow()).toMatch(/^\$y\$/);
});

it('the user changing their own password (setuid passwd): current password, then the same check', async () => {
  const before = shadow();
  const r = await converse(`${iso} setpriv --reuid=${USER} --regid=${USER} --init-groups passwd`, [STRONG[0] as string, 'password1', STRONG[1] as string, STRONG[1] as string]);
  expect(r.out).toContain('Current password: ');
  expect(count(r.out, TOO_SHORT)).toBe(1);
  expect(r.out).toContain('passwd: password updated successfully');
  expect(shadow()).not.toBe(before);
});

it('the user changing their own password: the old one with a digit changed is refused as too similar (PAM_OLDAUTHTOK through the module, issue 14)', async () => {
  const before = shadow();
  const r = await converse(`${iso} setpriv --reuid=${USER} --regid=${USER} --init-groups passwd`, [STRONG[1] as string, 'Mauve-Tractor-Quill-8813', 'Amber-Walrus-Ledger-3141', 'Amber-Walrus-Ledger-3141']);
  expect(r.out).toContain('Current password: ');
  expect(count(r.out, 'Too similar to your current password: change at least 5 characters, and do not reuse it as a part.')).toBe(1);
  expect(count(r.out, 'New password: ')).toBe(2);
  expect(r.out).toContain('passwd: password updated successfully');
  expect(shadow()).not.toBe(before);
});

// chpasswd and newusers set passwords through the same password stack (Debian's /etc/pam.d/chpasswd
// and newusers include common-password). Both run as root: pwquality's enforce_for_root meaning
// applies (set: root is refused like anyone; unset, the default: root gets the reasons as warnings
// and the password is set).
const NEW_USER = `pwgnu-${RUN}`;
const shadowOf = (user: string): string => readFileSync(upper('/etc/shadow'), 'utf8').split('\n').find((l) => l.startsWith(`${user}:`))?.split(':')[1] ?? '';

it('chpasswd (root, enforce_for_root = 1): a weak password refused with the reason, shadow unchanged; a strong one stored', () => {
  const before = shadow();
  const weak = runWith(`${USER}:password1\n`, 'chpasswd');
  expect(weak.out).toContain(`BAD PASSWORD: ${TOO_SHORT}`);
  expect(weak.out).toContain('password not changed');
  expect(weak.out).not.toContain('System error');
  expect(weak.code).not.toBe(0);
  expect(shadow()).toBe(before);
  const strong = runWith(`${USER}:Amber-Walrus-Ledger-3141\n`, 'chpasswd');
  expect(strong.out).toBe('');
  expect(strong.code).toBe(0);
  expect(shadow()).not.toBe(before);
});

it('newusers (root, enforce_for_root = 1): a weak password is refused with the reason, a strong one set', () => {
  const weak = runWith(`${NEW_USER}:password1:::New User:/nonexistent:/usr/sbin/nologin\n`, 'newusers');
  expect(weak.out).toContain(TOO_SHORT);
  expect(weak.out).toContain('password not changed');
  expect(weak.code).not.toBe(0);
  expect(shadowOf(NEW_USER)).not.toMatch(/^\$/);
  const strong = runWith(`${NEW_USER}:Copper-Heron-Atlas-5150:::New User:/nonexistent:/usr/sbin/nologin\n`, 'newusers');
  expect(strong.code).toBe(0);
  expect(shadowOf(NEW_USER)).toMatch(/^\$y\$/);
});

it('chpasswd and newusers without enforce_for_root (the default, as pwquality): root\'s weak password is set, the reasons shown as warnings', () => {
  expect(run('sh', '-c', "sed -i '/^enforce_for_root/d' /etc/security/pwguard.conf").code).toBe(0);
  const before = shadow();
  const r = runWith(`${USER}:password1\n`, 'chpasswd');
  expect(r.out).toContain(`Warning: ${TOO_SHORT}`);
  expect(r.code).toBe(0);
  expect(shadow()).not.toBe(before);
  const n = runWith(`${NEW_USER}:password2:::New User:/nonexistent:/usr/sbin/nologin\n`, 'newusers');
  expect(n.out).toContain('Warning: Too short');
  expect(n.code).toBe(0);
  expect(run('sh', '-c', "echo 'enforce_for_root = 1' >> /etc/security/pwguard.conf").code).toBe(0);
});

it('enforce_for_root on the module\'s stack line (pam_pwquality\'s option) refuses root\'s weak chpasswd without it in the config', () => {
  const line = (from: string, to: string) => run('sed', '-i', `s/pam_pwguard\\.so retry=3${from}$/pam_pwguard.so retry=3${to}/`, '/etc/pam.d/common-password');
  expect(run('sh', '-c', "sed -i '/^enforce_for_root/d' /etc/security/pwguard.conf").code).toBe(0);
  expect(line('', ' enforce_for_root').code).toBe(0);
  expect(run('cat', '/etc/pam.d/common-password').out).toMatch(/pam_pwguard\.so retry=3 enforce_for_root$/m);
  const before = shadow();
  const r = runWith(`${USER}:password1\n`, 'chpasswd');
  expect(r.out).toContain(`BAD PASSWORD: ${TOO_SHORT}`);
  expect(r.code).not.toBe(0);
  expect(shadow()).toBe(before);
  expect(line(' enforce_for_root', '').code).toBe(0);
  expect(run('sh', '-c', "echo 'enforce_for_root = 1' >> /etc/security/pwguard.conf").code).toBe(0);
});

it('doctor on that stack: no problem, the module is checked, Linux-PAM 1.5.2 is not flagged', () => {
  const r = pwguard('pam', 'doctor', '--format', 'json', '--no-latency');
  const report = JSON.parse(r.out) as Report;
  expect(report.checks.filter((c) => c.status !== 'ok')).toEqual([]);
  expect(report).toMatchObject({ ok: true, method: 'module' });
  expect(report.checks.find((c) => c.name === 'module')?.message).toBe(`${SECURITY}/pam_pwguard.so (root, 0644), runs /usr/local/sbin/pwguard-pam-hook`);
  expect(report.checks.find((c) => c.name === 'linux-pam')?.message).toContain('pam_pwguard.so asks for the password itself');
  expect(r.code).toBe(0);
});

it('doctor: a pam_exec stack on 1.5.2 is flagged (the version); a group-writable module and hook, a missing module are errors', () => {
  const exec = 'password requisite pam_exec.so expose_authtok stdout quiet /usr/local/sbin/pwguard-pam-hook\\npassword required pam_unix.so use_authtok yescrypt\\n';
  const sh = `printf '${exec}' > /etc/pam.d/pwguard-exec-${RUN} && ${process.execPath} ${CLI} pam doctor --service pwguard-exec-${RUN} --format json --no-latency`;
  const onExec = JSON.parse(run('sh', '-c', sh).out) as Report;
  expect(onExec.method).toBe('exec');
  expect(onExec.checks.find((c) => c.name === 'linux-pam')).toMatchObject({ status: 'error', message: expect.stringContaining('older than 1.6.0'), fix: expect.stringContaining('--method module') });
  const loose = `chmod g+w ${SECURITY}/pam_pwguard.so /usr/local/sbin/pwguard-pam-hook && ${process.execPath} ${CLI} pam doctor --format json --no-latency; chmod g-w ${SECURITY}/pam_pwguard.so /usr/local/sbin/pwguard-pam-hook`;
  const onLoose = JSON.parse(run('sh', '-c', loose).out) as Report;
  expect(onLoose.checks.filter((c) => c.status === 'error').map((c) => c.name)).toEqual(['module', 'hook']);
  const gone = `mv ${SECURITY}/pam_pwguard.so ${SECURITY}/pam_pwguard.so.away && ${process.execPath} ${CLI} pam doctor --format json --no-latency; mv ${SECURITY}/pam_pwguard.so.away ${SECURITY}/pam_pwguard.so`;
  const onGone = JSON.parse(run('sh', '-c', gone).out) as Report;
  expect(onGone.checks.filter((c) => c.status === 'error')).toEqual([expect.objectContaining({ name: 'module', message: expect.stringContaining(`${SECURITY}/pam_pwguard.so does not exist`) })]);
  run('rm', '-f', `/etc/pam.d/pwguard-exec-${RUN}`);
});

it('uninstall refuses while a hand-edited stack names the module, then removes the module with the rest', () => {
  const hand = `echo 'password requisite pam_pwguard.so' > /etc/pam.d/pwguard-hand-${RUN} && ${process.execPath} ${CLI} pam uninstall`;
  const refused = run('sh', '-c', hand);
  expect(refused.out).toContain(`/etc/pam.d/pwguard-hand-${RUN} still run /usr/local/sbin/pwguard-pam-hook or pam_pwguard.so`);
  expect(refused.code).toBe(2);
  expect(existsSync(upper(`${SECURITY}/pam_pwguard.so`))).toBe(true);
  const r = run('sh', '-c', `rm /etc/pam.d/pwguard-hand-${RUN} && ${process.execPath} ${CLI} pam uninstall`);
  expect(r.code).toBe(0);
  expect(r.out).toContain(`${SECURITY}/pam_pwguard.so`);
  expect(run('sh', '-c', `test -e ${SECURITY}/pam_pwguard.so || grep -q pwguard /etc/pam.d/common-password || echo gone`).out.trim()).toBe('gone');
});
