// Real PAM on this host (Debian 12, Linux-PAM 1.5.2): pam_exec gives the hook an empty stdin in the
// password stack, so the hook must fail closed with the clear message; doctor must flag the
// version; the login check (auth stack, where expose_authtok works) must record a weak password.
// Private service files only (/etc/pam.d/pwguard-test-*), removed afterwards; needs root.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jest } from '@jest/globals';
import { hookLauncher, HOOK_MESSAGES, ON_ERROR_SUFFIX } from '@pwguard/pam';

jest.setTimeout(60_000);

const BUNDLE_DIR = fileURLToPath(new URL('../../packages/pam/dist/hook', import.meta.url));
const CLI = fileURLToPath(new URL('../../packages/cli/dist/main.js', import.meta.url));
const PAM_VERSION = spawnSync('dpkg-query', ['-W', '-f', '${Version}', 'libpam-modules'], { encoding: 'utf8' }).stdout;
const SERVICE_PW = `pwguard-test-${process.pid}-pw`;
const SERVICE_AUTH = `pwguard-test-${process.pid}-auth`;
let dir: string;
let hook: string;
let config: string;

beforeAll(() => {
  dir = mkdtempSync('/tmp/pwguard-pam-host-');
  config = join(dir, 'pwguard.conf');
  hook = join(dir, 'pwguard-pam-hook');
  writeFileSync(config, `enforce_for_root = 1\nweak_login_log = ${dir}/weak-logins.log\n`);
  writeFileSync(hook, hookLauncher(process.execPath, BUNDLE_DIR, config), { mode: 0o755 });
  // pam_permit after the hook: if the hook wrongly accepted, nothing real would change.
  writeFileSync(`/etc/pam.d/${SERVICE_PW}`, `password requisite pam_exec.so expose_authtok stdout ${hook}\npassword required pam_permit.so\n`);
  writeFileSync(`/etc/pam.d/${SERVICE_AUTH}`, `auth optional pam_exec.so expose_authtok quiet ${hook}\nauth required pam_permit.so\n`);
});

afterAll(() => {
  rmSync(`/etc/pam.d/${SERVICE_PW}`, { force: true });
  rmSync(`/etc/pam.d/${SERVICE_AUTH}`, { force: true });
  rmSync(dir, { recursive: true, force: true });
});

const pamtester = (service: string, user: string, op: string, input: string) =>
  spawnSync('pamtester', [service, user, op], { input, encoding: 'utf8', timeout: 30_000 });

test('this host has Linux-PAM before 1.6 (what the test is for)', () => {
  expect(PAM_VERSION).toMatch(/^1\.5\./);
});

test('chauthtok: the hook gets no password, fails closed and says why', () => {
  const r = pamtester(SERVICE_PW, 'nobody', 'chauthtok', 'Mauve-Tractor-Quill-8812\nMauve-Tractor-Quill-8812\n');
  expect(r.status).not.toBe(0);
  expect(`${r.stdout}${r.stderr}`).toContain(`${HOOK_MESSAGES.no_authtok} ${ON_ERROR_SUFFIX.reject}`);
});

test('doctor flags the version and names the fix', () => {
  const r = spawnSync(process.execPath, [CLI, 'pam', 'doctor', '--service', SERVICE_PW, '--hook', hook, '--config', config, '--no-latency', '--format', 'json'], { encoding: 'utf8' });
  expect(r.status).toBe(1);
  const report = JSON.parse(r.stdout) as { ok: boolean; checks: { name: string; status: string; message: string; fix?: string }[] };
  expect(report.ok).toBe(false);
  const pam = report.checks.find((c) => c.name === 'linux-pam');
  expect(pam).toMatchObject({ status: 'error' });
  expect(pam?.message).toContain('older than 1.6.0');
  expect(pam?.fix).toContain('--login-check');
  // The hook itself and the stack line are fine: only the PAM version is an error.
  expect(report.checks.filter((c) => c.status === 'error').map((c) => c.name)).toEqual(['linux-pam']);
});

test('doctor: a config users cannot read is an error (the hook runs as the user)', () => {
  spawnSync('chmod', ['600', config]);
  try {
    const r = spawnSync(process.execPath, [CLI, 'pam', 'doctor', '--service', SERVICE_PW, '--hook', hook, '--config', config, '--no-latency', '--format', 'json'], { encoding: 'utf8' });
    const report = JSON.parse(r.stdout) as { checks: { name: string; status: string; message: string }[] };
    expect(report.checks.find((c) => c.name === 'permissions')).toMatchObject({ status: 'error', message: expect.stringContaining(`config ${config} is not readable by users`) });
  } finally {
    spawnSync('chmod', ['644', config]);
  }
});

test('login check (auth, expose_authtok works here): a weak password is recorded, the login goes on', () => {
  const weak = pamtester(SERVICE_AUTH, 'nobody', 'authenticate', 'password123\n');
  expect(weak.stdout + weak.stderr).toContain('successfully authenticated');
  const log = readFileSync(join(dir, 'weak-logins.log'), 'utf8');
  expect(log).toMatch(/ user=nobody service=pwguard-test-\d+-auth reasons=too_short,breached\n$/);
  expect(log).not.toContain('password123');
  rmSync(join(dir, 'weak-logins.log'));
  const strong = pamtester(SERVICE_AUTH, 'nobody', 'authenticate', 'Mauve-Tractor-Quill-8812\n');
  expect(strong.status).toBe(0);
  expect(existsSync(join(dir, 'weak-logins.log'))).toBe(false);
});
