// The same scenarios on Debian 13 (Linux-PAM 1.7.0, shadow-utils 4.17): a scratch clone of the
// root test/support/trixie-root.sh builds (debootstrap once, cached), the module built here on
// Debian 12 loaded by trixie's libpam (the project is mounted read-only at /opt/pwguard).
// pamtester and the real passwd (on a pseudo-terminal) run chrooted in it.
import { afterAll, beforeAll, expect, it, jest } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hookLauncher } from '@pwguard/pam';
import { MODULE, ROOT, buildModule, converse, count, pamtester, scratch, shadowHash, stack, writeHook } from './harness.js';

jest.setTimeout(300_000);

const TRIXIE = join(ROOT, 'test/support/trixie-root.sh');
const MODULE_IN_ROOT = '/opt/pwguard/packages/pam/module/build/pam_pwguard.so';
const USER = 'pwgmtest4';
const SERVICE = 'pwguard-module-test';
const REASON = 'BAD PASSWORD: it contains the word weak';
const STRONG = 'Vivid-Otter-Plaza-71';
// The pam-auth-update profile the installer should write for the module: first Primary module
// (Password-Initial) it asks; after pam_pwquality (priority 1024) it judges that one's token.
const PROFILE = `Name: pwguard password policy (pam_pwguard module)
Default: no
Priority: 900
Password-Type: Primary
Password:
\trequisite\tpam_pwguard.so use_authtok
Password-Initial:
\trequisite\tpam_pwguard.so retry=3
`;
let dir: string;
let root: string;

// pamtester and passwd run with the root's own environment (trixie-root.sh: env -i, PATH, HOME, LANG).
const inRoot = (...cmd: string[]): string[] => [TRIXIE, 'run-in', root, ...cmd];
const shadow = (): string => shadowHash(USER, `${root}/etc/shadow`);

beforeAll(() => {
  buildModule();
  dir = scratch('trixie');
  root = join(dir, 'root');
  execFileSync(TRIXIE, ['clone', root], { stdio: ['ignore', 'ignore', 'inherit'] });
  execFileSync(TRIXIE, ['run-in', root, 'useradd', '-M', USER]);
  execFileSync(TRIXIE, ['run-in', root, 'chpasswd'], { input: `${USER}:Initial-Pass-1234\n` });
  const hookDir = `${root}/usr/local/sbin`;
  // The real hook with trixie's own Node.js 20, the bundle read from the mounted project.
  writeFileSync(`${root}/etc/pwgm-pwguard.conf`, 'enforce_for_root = 1\n');
  const launcher = hookLauncher('/usr/bin/node', '/opt/pwguard/packages/pam/dist/hook', '/etc/pwgm-pwguard.conf');
  writeFileSync(`${hookDir}/pwgm-real`, launcher, { mode: 0o755 });
  writeFileSync(`${root}/etc/pam.d/${SERVICE}-real`, stack('hook=/usr/local/sbin/pwgm-real retry=2', MODULE_IN_ROOT));
  writeHook(hookDir, 'pwgm-judge', `pw=$(cat)\ncase "$pw" in *weak*) echo "${REASON}"; exit 1;; esac\nexit 0`);
  writeFileSync(`${root}/etc/pam.d/${SERVICE}`, stack('hook=/usr/local/sbin/pwgm-judge retry=2', MODULE_IN_ROOT));
  // A scratch root: its own passwd stack may be replaced outright.
  writeFileSync(`${root}/etc/pam.d/passwd`, stack('hook=/usr/local/sbin/pwgm-judge retry=2', MODULE_IN_ROOT));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it('is Linux-PAM 1.7', () => {
  expect(execFileSync(TRIXIE, ['run-in', root, 'dpkg-query', '-W', '-f=${Version}', 'libpam-modules']).toString()).toMatch(/^1\.7\./);
});

it('pamtester: weak refused with the reason and re-prompted, then failure; shadow unchanged', () => {
  const before = shadow();
  const r = pamtester(SERVICE, USER, ['weak-1', 'weak-2', STRONG, STRONG], inRoot());
  expect(count(r.out, REASON)).toBe(2);
  expect(count(r.out, 'New password: ')).toBe(2);
  expect(r.code).not.toBe(0);
  expect(shadow()).toBe(before);
});

it('pamtester: strong after weak accepted; shadow changed', () => {
  const before = shadow();
  const r = pamtester(SERVICE, USER, ['weak-1', STRONG, STRONG], inRoot());
  expect(count(r.out, REASON)).toBe(1);
  expect(r.code).toBe(0);
  expect(shadow()).not.toBe(before);
});

it('the real pwguard hook (trixie\'s node): breached password refused with its reasons, strong accepted', () => {
  const before = shadow();
  const r = pamtester(`${SERVICE}-real`, USER, ['password1', 'Vivid-Otter-Plaza-73', 'Vivid-Otter-Plaza-73'], inRoot());
  expect(r.out).toMatch(/Too short: use at least 12 characters \(this one has 9\)\./);
  expect(r.out).toMatch(/Seen [\d,]+ times in data breaches/);
  expect(r.code).toBe(0);
  expect(shadow()).not.toBe(before);
});

it('passwd: weak refused and re-prompted, then "password unchanged"; strong stored', async () => {
  const before = shadow();
  const weak = await converse(inRoot('passwd', USER).join(' '), ['weak-1', 'weak-2']);
  expect(count(weak.out, REASON)).toBe(2);
  expect(weak.out).toContain('passwd: password unchanged');
  expect(shadow()).toBe(before);
  const strong = await converse(inRoot('passwd', USER).join(' '), ['weak-3', 'Vivid-Otter-Plaza-72', 'Vivid-Otter-Plaza-72']);
  expect(count(strong.out, REASON)).toBe(1);
  expect(strong.out).toContain('passwd: password updated successfully');
  expect(shadow()).not.toBe(before);
  expect(readFileSync(`${root}/etc/pam.d/passwd`, 'utf8')).toContain('pam_pwguard.so');
});

it('installed as a package would: module in the security dir, the default hook path, a pam-auth-update profile; the real passwd', async () => {
  const cached = execFileSync(TRIXIE, ['path']).toString().trim();
  writeFileSync(`${root}/etc/pam.d/passwd`, readFileSync(`${cached}/etc/pam.d/passwd`));
  execFileSync('install', ['-m', '644', MODULE, `${root}/usr/lib/x86_64-linux-gnu/security/pam_pwguard.so`]);
  writeHook(`${root}/usr/local/sbin`, 'pwguard-pam-hook', `pw=$(cat)\ncase "$pw" in *weak*) echo "${REASON}"; exit 1;; esac\nexit 0`);
  writeFileSync(`${root}/usr/share/pam-configs/pwguard`, PROFILE);
  execFileSync(TRIXIE, ['run-in', root, 'env', 'DEBIAN_FRONTEND=noninteractive', 'pam-auth-update', '--package', '--enable', 'pwguard']);
  const common = readFileSync(`${root}/etc/pam.d/common-password`, 'utf8');
  expect(common).toMatch(/^password\trequisite\tpam_pwguard\.so retry=3\npassword\t\[success=1 default=ignore\]\tpam_unix\.so obscure use_authtok/m);

  const before = shadow();
  const r = await converse(inRoot('passwd', USER).join(' '), ['weak-1', 'Vivid-Otter-Plaza-74', 'Vivid-Otter-Plaza-74']);
  expect(count(r.out, REASON)).toBe(1);
  expect(r.out).toContain('passwd: password updated successfully');
  expect(shadow()).not.toBe(before);
});
