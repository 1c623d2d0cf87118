// The bundled hook as pam_exec starts it: a launcher with an absolute node (as `pam install` writes
// it), an environment with only PAM variables (no PATH, no HOME), raw bytes on stdin. Bad inputs
// from issue 6. Syslog is replaced by PWGUARD_HOOK_LOG so the details can be read back.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jest } from '@jest/globals';
import { CHECK_FLAG, hookLauncher, HOOK_MESSAGES, ON_ERROR_SUFFIX } from '@pwguard/pam';

jest.setTimeout(60_000);

const BUNDLE_DIR = fileURLToPath(new URL('../../packages/pam/dist/hook', import.meta.url));
const CHECKOUT_HOOK = fileURLToPath(new URL('../../packages/pam/bin/pwguard-pam-hook', import.meta.url));
const STRONG = 'Mauve-Tractor-Quill-8812';
let dir: string;
let hook: string;
let config: string;
let logFile: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pwguard-hook-'));
  config = join(dir, 'pwguard.conf');
  logFile = join(dir, 'hook.log');
  writeFileSync(config, '# test policy\nenforce_for_root = 1\n');
  hook = join(dir, 'pwguard-pam-hook');
  writeFileSync(hook, hookLauncher(process.execPath, BUNDLE_DIR, config), { mode: 0o755 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(stdin: Uint8Array | string, env: Record<string, string> = { PAM_TYPE: 'password', PAM_USER: 'root' }, exe = hook, args: string[] = []) {
  rmSync(logFile, { force: true });
  const r = spawnSync(exe, args, { input: stdin, encoding: 'utf8', env: { ...env, PWGUARD_HOOK_LOG: logFile }, timeout: 30_000 });
  return { status: r.status, out: r.stdout, err: r.stderr, log: existsSync(logFile) ? readFileSync(logFile, 'utf8') : '' };
}

test('a strong password: exit 0, nothing said', () => {
  expect(run(STRONG)).toMatchObject({ status: 0, out: '', err: '' });
});

test('a weak password: exit 1, one reason per line', () => {
  const r = run('password123');
  expect(r.status).toBe(1);
  expect(r.out.split('\n')).toEqual(['Too short: use at least 12 characters (this one has 11).', expect.stringMatching(/^Seen [\d,]+ times in data breaches/), '']);
});

test('0 bytes (Linux-PAM < 1.6): the clear message, refused', () => {
  const r = run('');
  expect(r).toMatchObject({ status: 2, out: `${HOOK_MESSAGES.no_authtok} ${ON_ERROR_SUFFIX.reject}\n` });
  expect(r.log).toMatch(/^err: password change for root: stdin was empty/);
});

test('511+ bytes, invalid UTF-8, a NUL in the middle: a reason each, no stack trace', () => {
  expect(run('Zq9!'.repeat(128))).toMatchObject({ status: 1, out: 'Too long: use at most 256 characters.\n', err: '' });
  expect(run(Uint8Array.from([0xff, 0xfe, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x4b]))).toMatchObject({ status: 1, out: 'The password is not valid UTF-8 text.\n' });
  expect(run(`Mauve-Tractor\0-Quill-8812`)).toMatchObject({ status: 1, out: 'The password contains a NUL character.\n' });
});

test('one trailing NUL or newline is tolerated', () => {
  expect(run(`${STRONG}\0`).status).toBe(0);
  expect(run(`${STRONG}\n`).status).toBe(0);
});

test('missing PAM_USER and a user not in the passwd database are refused with a message', () => {
  expect(run(STRONG, { PAM_TYPE: 'password' })).toMatchObject({ status: 2, out: `${HOOK_MESSAGES.no_user} ${ON_ERROR_SUFFIX.reject}\n` });
  const ghost = run(STRONG, { PAM_TYPE: 'password', PAM_USER: 'no-such-user-pwguard' });
  expect(ghost.status).toBe(2);
  expect(ghost.out).toContain('user no-such-user-pwguard is not in the passwd database');
});

test('a broken config: one line for the user, file and line in the log', () => {
  writeFileSync(config, 'enforce_for_root = 1\nmin_length = twelve\n');
  try {
    const r = run(STRONG);
    expect(r).toMatchObject({ status: 2, out: `${HOOK_MESSAGES.config_error} ${ON_ERROR_SUFFIX.reject}\n`, err: '' });
    expect(r.log).toContain(`${config}:2: min_length`);
  } finally {
    writeFileSync(config, 'enforce_for_root = 1\n');
  }
});

test('a missing breach store applies on_error (reject, then accept)', () => {
  writeFileSync(config, `enforce_for_root = 1\nbreach_store = ${dir}/missing.pwg\n`);
  try {
    const r = run(STRONG);
    expect(r).toMatchObject({ status: 2, out: `${HOOK_MESSAGES.breach_unavailable} ${ON_ERROR_SUFFIX.reject}\n` });
    expect(r.log).toContain('missing.pwg');
    writeFileSync(config, `on_error = accept\nbreach_store = ${dir}/missing.pwg\n`);
    expect(run(STRONG)).toMatchObject({ status: 0, out: `${HOOK_MESSAGES.breach_unavailable} ${ON_ERROR_SUFFIX.accept}\n` });
  } finally {
    writeFileSync(config, 'enforce_for_root = 1\n');
  }
});

test('stack-line arguments win over the file (config= and key=value)', () => {
  const other = join(dir, 'other.conf');
  writeFileSync(other, 'min_length = 30\nenforce_for_root = 1\n');
  const launcher = join(dir, 'with-args');
  writeFileSync(launcher, `#!/bin/sh\nexec ${hook} config=${other} max_repeat=2 "$@"\n`, { mode: 0o755 });
  const r = run('Mauve-Tractor-Quill-8888', undefined, launcher);
  expect(r.status).toBe(1);
  expect(r.out).toContain('Too short: use at least 30 characters');
  expect(r.out).toContain('No more than 2 identical characters in a row.');
});

test('without the ranked file the hook still judges the same (slower), and logs why', () => {
  const bare = join(dir, 'bare-hook');
  writeFileSync(bare, hookLauncher(process.execPath, BUNDLE_DIR, config).replace(/rankedFile: "[^"]*"/, `rankedFile: "${dir}/none.bin"`), { mode: 0o755 });
  expect(run(STRONG, undefined, bare)).toMatchObject({ status: 0, out: '' });
  const weak = run('qwertyuiop-1234', undefined, bare);
  expect(weak.out).toBe(run('qwertyuiop-1234').out);
  expect(weak.log).toContain('ranked dictionaries unusable');
});

test('the checkout hook and `pwguard pam-hook` answer alike', () => {
  const env = { PAM_TYPE: 'password', PAM_USER: 'root', PWGUARD_CONFIG: config, PATH: '/usr/bin:/bin' };
  const a = run('qwertyuiop-1234', env, CHECKOUT_HOOK);
  const cli = spawnSync(process.execPath, [fileURLToPath(new URL('../../packages/cli/dist/main.js', import.meta.url)), 'pam-hook'], { input: 'qwertyuiop-1234', encoding: 'utf8', env });
  expect(a.status).toBe(1);
  expect(cli.status).toBe(1);
  expect(cli.stdout).toBe(a.out);
});

test('no PAM_TYPE: exit 2 and a hint; auth never refuses', () => {
  expect(run(STRONG, {})).toMatchObject({ status: 2, out: `${HOOK_MESSAGES.not_pam}\n` });
  expect(run('', { PAM_TYPE: 'auth', PAM_USER: 'root' })).toMatchObject({ status: 0, out: '' });
});

test('the password never appears in output or log', () => {
  const secret = 'Unique-Secret-Value-8841';
  writeFileSync(config, `enforce_for_root = 1\nbreach_store = ${dir}/missing.pwg\n`);
  try {
    const outs = [run(secret), run(secret, { PAM_TYPE: 'password', PAM_USER: 'ghost-user' }), run(`${secret}\0x`)];
    expect(JSON.stringify(outs)).not.toContain(secret);
  } finally {
    writeFileSync(config, 'enforce_for_root = 1\n');
  }
});

// Issue 11: the deadline must hold while the check is stuck in a synchronous read (a breach store
// on a hung mount, here a FIFO nobody writes; a stdin nobody closes). Outcomes only, no durations:
// the verdict on_error gives, a log line, and no check process left behind.

/** Processes still running the check under `exe` (the launcher's child): none may outlive the hook. */
function checksLeft(exe: string): string[] {
  const left: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    let argv: string[];
    let state = '';
    try {
      argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      state = /^State:\s+(\S)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? '';
    } catch {
      continue; // gone meanwhile
    }
    if (state !== 'Z' && argv.includes(exe) && argv.includes(CHECK_FLAG)) left.push(pid);
  }
  return left;
}

/** Runs the hook with a stdin that stays open until it exits (or 50 s pass: then it is killed, status null). */
function runOpenStdin(env: Record<string, string>, exe = hook): Promise<{ status: number | null; out: string; log: string }> {
  rmSync(logFile, { force: true });
  const child = spawn(exe, [], { env: { ...env, PWGUARD_HOOK_LOG: logFile }, stdio: ['pipe', 'pipe', 'ignore'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; });
  const stop = setTimeout(() => child.kill('SIGKILL'), 50_000);
  return new Promise((resolve) => {
    child.on('close', (status) => {
      clearTimeout(stop);
      child.stdin.destroy();
      resolve({ status, out, log: existsSync(logFile) ? readFileSync(logFile, 'utf8') : '' });
    });
  });
}

describe('hard deadline (the check in a child that is killed)', () => {
  const fifo = () => {
    const path = join(dir, `hung-${Math.random().toString(36).slice(2)}.pwg`);
    expect(spawnSync('mkfifo', [path]).status).toBe(0);
    return path;
  };

  test('a stdin never closed: password stack refused with the on_error line, auth says nothing; no check left', async () => {
    const change = await runOpenStdin({ PAM_TYPE: 'password', PAM_USER: 'root' });
    expect(change).toMatchObject({ status: 2, out: `${HOOK_MESSAGES.timeout} ${ON_ERROR_SUFFIX.reject}\n` });
    expect(change.log).toMatch(/^err: password change for root: no verdict within 8 s, check stopped \(on_error = unknown/m);
    expect(checksLeft(hook)).toEqual([]);
    const login = await runOpenStdin({ PAM_TYPE: 'auth', PAM_USER: 'root' });
    expect(login).toMatchObject({ status: 0, out: '' });
    expect(login.log).toMatch(/^err: login check for root skipped: no verdict within 3 s/m);
    expect(checksLeft(hook)).toEqual([]);
  });

  test('a breach store that blocks (a FIFO): on_error reject, then accept; the login check gives up; no check left', () => {
    const store = fifo();
    try {
      writeFileSync(config, `enforce_for_root = 1\nbreach_store = ${store}\n`);
      const r = run(STRONG);
      expect(r).toMatchObject({ status: 2, out: `${HOOK_MESSAGES.timeout} ${ON_ERROR_SUFFIX.reject}\n` });
      expect(r.log).toContain('err: password change for root: no verdict within 8 s, check stopped (on_error = reject)');
      expect(checksLeft(hook)).toEqual([]);
      writeFileSync(config, `on_error = accept\nbreach_store = ${store}\n`);
      expect(run(STRONG)).toMatchObject({ status: 0, out: `${HOOK_MESSAGES.timeout} ${ON_ERROR_SUFFIX.accept}\n` });
      expect(checksLeft(hook)).toEqual([]);
      const login = run('password123', { PAM_TYPE: 'auth', PAM_USER: 'root' });
      expect(login).toMatchObject({ status: 0, out: '' });
      expect(login.log).toContain('err: login check for root skipped: no verdict within 3 s');
      expect(checksLeft(hook)).toEqual([]);
    } finally {
      writeFileSync(config, 'enforce_for_root = 1\n');
    }
  });

  test('`pwguard pam-hook` has the same deadline', () => {
    const store = fifo();
    const other = join(dir, 'fifo-store.conf');
    writeFileSync(other, `enforce_for_root = 1\nbreach_store = ${store}\n`);
    const cli = fileURLToPath(new URL('../../packages/cli/dist/main.js', import.meta.url));
    rmSync(logFile, { force: true });
    const r = spawnSync(process.execPath, [cli, 'pam-hook', `config=${other}`], {
      input: STRONG, encoding: 'utf8', env: { PAM_TYPE: 'password', PAM_USER: 'root', PWGUARD_HOOK_LOG: logFile }, timeout: 50_000,
    });
    expect({ status: r.status, out: r.stdout }).toEqual({ status: 2, out: `${HOOK_MESSAGES.timeout} ${ON_ERROR_SUFFIX.reject}\n` });
    expect(checksLeft(cli)).toEqual([]);
  });

  test('a config that is a FIFO or a device is refused at once with the config line, never read', () => {
    for (const path of [fifo(), '/dev/zero']) {
      const launcher = join(dir, 'odd-config-hook');
      writeFileSync(launcher, hookLauncher(process.execPath, BUNDLE_DIR, path), { mode: 0o755 });
      const r = run(STRONG, undefined, launcher);
      expect(r).toMatchObject({ status: 2, out: `${HOOK_MESSAGES.config_error} ${ON_ERROR_SUFFIX.reject}\n` });
      expect(r.log).toContain(`config file ${path} is not a regular file`);
    }
  });
});

describe('--samba: Samba\'s check password script (docs/avenues.md)', () => {
  // Samba gives no PAM variables: the account and full name come in SAMBA_CPS_*, the account need not be in passwd.
  const samba = { SAMBA_CPS_ACCOUNT_NAME: 'no-such-unix-user', SAMBA_CPS_FULL_NAME: 'Alice Wonderbread' };

  test('the installed launcher: strong accepted, weak and full-name passwords refused with reasons', () => {
    expect(run(STRONG, samba, hook, ['--samba'])).toMatchObject({ status: 0, out: '' });
    expect(run('password123', samba, hook, ['--samba'])).toMatchObject({ status: 1, out: expect.stringContaining('Too short') });
    expect(run('Wonderbread-Tulip-Quasar-91', samba, hook, ['--samba'])).toMatchObject({
      status: 1, out: 'Contains or closely resembles your name or account details ("Wonderbread").\n',
    });
  });

  test('without SAMBA_CPS_ACCOUNT_NAME: refused with a one-line error', () => {
    expect(run(STRONG, {}, hook, ['--samba'])).toMatchObject({ status: 2, out: "pwguard: SAMBA_CPS_ACCOUNT_NAME is not set: run this as Samba's check password script\n" });
  });

  test('pwguard pam-hook --samba says the same', () => {
    const cli = fileURLToPath(new URL('../../packages/cli/dist/main.js', import.meta.url));
    const r = spawnSync(process.execPath, [cli, 'pam-hook', '--samba', '--config', config], {
      input: 'Wonderbread-Tulip-Quasar-91', encoding: 'utf8', env: { ...samba, PWGUARD_HOOK_LOG: logFile }, timeout: 30_000,
    });
    expect({ status: r.status, out: r.stdout }).toEqual({ status: 1, out: 'Contains or closely resembles your name or account details ("Wonderbread").\n' });
  });
});
