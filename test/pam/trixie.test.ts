// Real PAM >= 1.6 (Debian 13: Linux-PAM 1.7.0, its own Node.js 20): the stack installed by
// `pwguard pam install --apply` inside a scratch copy of the cached trixie root, driven by pamtester
// and the real passwd (as root and as the user), plus the login check. Needs root and debootstrap;
// the first run builds the root (test/support/trixie-root.sh, a minute or more), later runs copy it.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { jest } from '@jest/globals';

jest.setTimeout(120_000);

const ROOT_SH = fileURLToPath(new URL('../support/trixie-root.sh', import.meta.url));
const SCRATCH = `/var/tmp/pwguard-trixie-test-${process.pid}`;
const PWGUARD = 'node /opt/pwguard/packages/cli/dist/main.js';
const WEAK = 'password123';
const STRONG = ['Vq7#unlikely-Rivet-Oboe-42', 'Mauve-Tractor-Quill-8812', 'Lantern ochre fjord 5521'];
// `mkpasswd -m yescrypt password123` (whois package) on the host: a weak password set past PAM.
const WEAK_HASH = spawnSync('mkpasswd', ['-m', 'yescrypt', WEAK], { encoding: 'utf8' }).stdout.trim();

const MODULE_BUILT = fileURLToPath(new URL('../../packages/pam/module/build/pam_pwguard.so', import.meta.url));
const SECURITY = '/usr/lib/x86_64-linux-gnu/security';
let installOut = '';

interface Run { status: number | null; out: string }

/** A shell command inside the scratch root; stdout and stderr together, as a user sees them. */
function inRoot(cmd: string, input = ''): Run {
  const r = spawnSync(ROOT_SH, ['run-in', SCRATCH, 'sh', '-c', `${cmd} 2>&1`], { input, encoding: 'utf8', timeout: 110_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

const shadow = (field: number) => readFileSync(`${SCRATCH}/etc/shadow`, 'utf8').split('\n').find((l) => l.startsWith('tuser:'))?.split(':')[field];
const twice = (pw: string) => `${pw}\n${pw}\n`;

beforeAll(() => {
  if (!existsSync(MODULE_BUILT)) throw new Error(`${MODULE_BUILT} missing: run the build (scripts/test does)`);
  const clone = spawnSync(ROOT_SH, ['clone', SCRATCH], { encoding: 'utf8', timeout: 900_000 });
  if (clone.status !== 0) throw new Error(`trixie root: ${clone.stderr}`);
  const setup = inRoot(`useradd -m tuser && echo 'tuser:${STRONG[0]}' | chpasswd && ${PWGUARD} pam install --method exec --apply --login-check`);
  if (setup.status !== 0) throw new Error(`install failed: ${setup.out}`);
  installOut = setup.out;
}, 900_000);

afterAll(() => rmSync(SCRATCH, { recursive: true, force: true }));

test('the installed stack (--method exec on 1.7.0): prompt, hook, then pam_unix with use_authtok; doctor is happy', () => {
  expect(installOut).toMatch(/^method: pam_exec \(expose_authtok\), as chosen$/m);
  expect(existsSync(`${SCRATCH}${SECURITY}/pam_pwguard.so`)).toBe(false);
  const stack = readFileSync(`${SCRATCH}/etc/pam.d/common-password`, 'utf8').split('\n').filter((l) => /^password/.test(l));
  expect(stack.slice(0, 3).map((l) => l.split(/\s+/).slice(1).join(' '))).toEqual([
    'requisite pam_pwhistory.so remember=1',
    'requisite pam_exec.so expose_authtok stdout quiet /usr/local/sbin/pwguard-pam-hook',
    '[success=1 default=ignore] pam_unix.so obscure use_authtok try_first_pass yescrypt',
  ]);
  expect(readFileSync(`${SCRATCH}/usr/local/sbin/pwguard-pam-hook`, 'utf8').split('\n')[0]).toBe('#!/usr/bin/node');
  const doctor = inRoot(`${PWGUARD} pam doctor --format json`);
  const report = JSON.parse(doctor.out) as { ok: boolean; checks: { name: string; status: string; message: string }[] };
  expect(report.checks.filter((c) => c.status === 'error')).toEqual([]);
  expect(report.checks.find((c) => c.name === 'linux-pam')?.message).toContain('1.7.0');
  expect(doctor.status).toBe(0);
});

describe('as root (enforce_for_root = 1)', () => {
  beforeAll(() => {
    expect(inRoot("echo 'enforce_for_root = 1' >> /etc/security/pwguard.conf").status).toBe(0);
  });

  test('pamtester chauthtok: weak refused with the reasons, /etc/shadow unchanged', () => {
    const before = shadow(1);
    const r = inRoot('pamtester passwd tuser chauthtok', twice(WEAK));
    expect(r.status).not.toBe(0);
    expect(r.out).toContain('Too short: use at least 12 characters (this one has 11).');
    expect(r.out).toMatch(/Seen [\d,]+ times in data breaches/);
    expect(shadow(1)).toBe(before);
  });

  test('pamtester chauthtok: strong accepted, /etc/shadow changed', () => {
    const before = shadow(1);
    const r = inRoot('pamtester passwd tuser chauthtok', twice(STRONG[1] as string));
    expect(r.out).toContain('authentication token altered successfully');
    expect(r.status).toBe(0);
    expect(shadow(1)).not.toBe(before);
  });

  test('passwd: weak refused with the reasons, strong accepted', () => {
    const before = shadow(1);
    const weak = inRoot('passwd tuser', twice(WEAK));
    expect(weak.status).not.toBe(0);
    expect(weak.out).toContain('password unchanged');
    expect(weak.out).toContain('Too short');
    // pam_exec maps the refusal to PAM_SYSTEM_ERR: why --method auto takes the module when it is built.
    expect(weak.out).toContain('passwd: System error');
    expect(shadow(1)).toBe(before);
    const strong = inRoot('passwd tuser', twice(STRONG[2] as string));
    expect(strong.out).toContain('password updated successfully');
    expect(shadow(1)).not.toBe(before);
  });
});

describe('as the user (setuid passwd: the hook has the user\'s real uid, root\'s effective uid)', () => {
  test('passwd asks for the current password, then refuses a weak one and takes a strong one', () => {
    expect(inRoot(`echo 'tuser:${STRONG[0]}' | chpasswd`).status).toBe(0);
    const before = shadow(1);
    const weak = inRoot('su tuser -c passwd', `${STRONG[0]}\n${twice(WEAK)}`);
    expect(weak.out).toContain('Current password:');
    expect(weak.out).toContain('Seen');
    expect(weak.status).not.toBe(0);
    expect(shadow(1)).toBe(before);
    const strong = inRoot('su tuser -c passwd', `${STRONG[0]}\n${twice(STRONG[1] as string)}`);
    expect(strong.out).toContain('password updated successfully');
    expect(shadow(1)).not.toBe(before);
  });
});

test('login check: a weak password logs in, is recorded, and expired (on_weak_login = expire)', () => {
  expect(WEAK_HASH).toMatch(/^\$y\$/);
  expect(inRoot(`echo 'on_weak_login = expire' >> /etc/security/pwguard.conf && echo 'tuser:${WEAK_HASH}' | chpasswd -e`).status).toBe(0);
  expect(shadow(2)).not.toBe('0');
  const r = inRoot('pamtester login tuser authenticate', `${WEAK}\n`);
  expect(r.out).toContain('successfully authenticated');
  const log = readFileSync(`${SCRATCH}/var/lib/pwguard/weak-logins.log`, 'utf8');
  expect(log).toMatch(/ user=tuser service=login reasons=too_short,breached\n$/);
  expect(log).not.toContain(WEAK);
  expect(shadow(2)).toBe('0');
});

test('uninstall takes the hook out of the stack and password changes still work', () => {
  const r = inRoot(`${PWGUARD} pam uninstall`);
  expect(r.status).toBe(0);
  expect(readFileSync(`${SCRATCH}/etc/pam.d/common-password`, 'utf8')).not.toContain('pwguard');
  expect(inRoot('test -e /usr/local/sbin/pwguard-pam-hook || test -e /usr/local/lib/pwguard || echo gone').out.trim()).toBe('gone');
  const before = shadow(1);
  expect(inRoot('pamtester passwd tuser chauthtok', twice(STRONG[0] as string)).status).toBe(0);
  expect(shadow(1)).not.toBe(before);
});

describe('--method auto on 1.7.0 = the module, since it is built (after the uninstall above)', () => {
  test('install --apply: the module in the security dir, the stack pam-auth-update makes from its profile', () => {
    const r = inRoot(`${PWGUARD} pam install --apply`);
    expect(r.out).toMatch(/^method: pam_pwguard\.so \(the module asks for the password and runs the hook\): built; it asks again after a refusal \(pam_exec ends the change with "System error"\)$/m);
    expect(r.out).toContain('module self-test: libpam loads it and it runs the hook');
    expect(r.status).toBe(0);
    const mod = statSync(`${SCRATCH}${SECURITY}/pam_pwguard.so`);
    expect([mod.mode & 0o7777, mod.uid]).toEqual([0o644, 0]);
    const stack = readFileSync(`${SCRATCH}/etc/pam.d/common-password`, 'utf8').split('\n').filter((l) => /^password/.test(l));
    expect(stack.slice(0, 2).map((l) => l.split(/\s+/).slice(1).join(' '))).toEqual([
      'requisite pam_pwguard.so retry=3',
      '[success=1 default=ignore] pam_unix.so obscure use_authtok try_first_pass yescrypt',
    ]);
  });

  test('pamtester: weak refused with the reasons and asked again, shadow unchanged; strong after weak stored', () => {
    const before = shadow(1);
    const weak = inRoot('pamtester passwd tuser chauthtok', `${WEAK}\n${WEAK}\n${WEAK}\n`);
    expect(weak.out.split('Too short: use at least 12 characters (this one has 11).').length - 1).toBe(3);
    expect(weak.status).not.toBe(0);
    expect(shadow(1)).toBe(before);
    const strong = inRoot('pamtester passwd tuser chauthtok', `${WEAK}\n${twice(STRONG[2] as string)}`);
    expect(strong.out).toContain('authentication token altered successfully');
    expect(shadow(1)).not.toBe(before);
  });

  test('passwd (root): a weak password refused with the reasons, asked again, then a strong one stored; never "System error"', () => {
    const before = shadow(1);
    const r = inRoot('passwd tuser', `${WEAK}\n${twice(STRONG[1] as string)}`);
    expect(r.out.split('Too short: use at least 12 characters (this one has 11).').length - 1).toBe(1);
    expect(r.out.split('New password: ').length - 1).toBe(2);
    expect(r.out).toContain('password updated successfully');
    expect(r.out).not.toContain('System error');
    expect(shadow(1)).not.toBe(before);
  });

  test('passwd (root): three weak passwords end with PAM_AUTHTOK_ERR, not "System error"; shadow unchanged', () => {
    const before = shadow(1);
    const r = inRoot('passwd tuser', `${WEAK}\n${WEAK}\n${WEAK}\n`);
    expect(r.out.split('BAD PASSWORD: Too short: use at least 12 characters (this one has 11).').length - 1).toBe(3);
    expect(r.out).toMatch(/BAD PASSWORD: Seen [\d,]+ times in data breaches/);
    expect(r.out).toContain('passwd: Authentication token manipulation error');
    expect(r.out).toContain('password unchanged');
    expect(r.out).not.toContain('System error');
    expect(r.status).not.toBe(0);
    expect(shadow(1)).toBe(before);
  });

  test('the user\'s own passwd: current password, a weak one refused and asked again, a strong one stored', () => {
    expect(inRoot(`echo 'tuser:${STRONG[0]}' | chpasswd`).status).toBe(0);
    const before = shadow(1);
    const r = inRoot('su tuser -c passwd', `${STRONG[0]}\n${WEAK}\n${twice(STRONG[2] as string)}`);
    expect(r.out).toContain('Current password:');
    expect(r.out.split('Too short').length - 1).toBe(1);
    expect(r.out).toContain('password updated successfully');
    expect(r.out).not.toContain('System error');
    expect(shadow(1)).not.toBe(before);
  });

  test('chpasswd (root, enforce_for_root = 1) goes through the module: weak refused with the reason, strong stored', () => {
    const before = shadow(1);
    const weak = inRoot('chpasswd', `tuser:${WEAK}\n`);
    expect(weak.out).toContain('Too short: use at least 12 characters (this one has 11).');
    expect(weak.out).toContain('password not changed');
    expect(weak.status).not.toBe(0);
    expect(shadow(1)).toBe(before);
    expect(inRoot('chpasswd', `tuser:${STRONG[1]}\n`).status).toBe(0);
    expect(shadow(1)).not.toBe(before);
  });

  test('doctor: no problem with the module on 1.7.0', () => {
    const doctor = inRoot(`${PWGUARD} pam doctor --format json --no-latency`);
    const report = JSON.parse(doctor.out) as { ok: boolean; method: string; checks: { name: string; status: string; message: string }[] };
    expect(report.checks.filter((c) => c.status !== 'ok')).toEqual([]);
    expect(report.method).toBe('module');
    expect(report.checks.find((c) => c.name === 'module')?.message).toContain(`${SECURITY}/pam_pwguard.so (root, 0644)`);
  });

  test('uninstall takes the module out of the stack and the security dir', () => {
    expect(inRoot(`${PWGUARD} pam uninstall`).status).toBe(0);
    expect(readFileSync(`${SCRATCH}/etc/pam.d/common-password`, 'utf8')).not.toContain('pwguard');
    expect(existsSync(`${SCRATCH}${SECURITY}/pam_pwguard.so`)).toBe(false);
  });
});
