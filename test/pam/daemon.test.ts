// The resident checker (`pwguard pam-daemon`) and the launcher's fast path: same answers as the
// in-process hook, fallback when the checker is gone, malformed requests refused, auth never sent.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jest } from '@jest/globals';
import { askDaemon, hookLauncher } from '@pwguard/pam';

jest.setTimeout(60_000);

const BUNDLE_DIR = fileURLToPath(new URL('../../packages/pam/dist/hook', import.meta.url));
const CLI = fileURLToPath(new URL('../../packages/cli/dist/main.js', import.meta.url));
let dir: string;
let socket: string;
let fast: string;
let slow: string;
let logFile: string;
let daemon: ChildProcess | null = null;

const INPUTS = ['password123', 'Mauve-Tractor-Quill-8812', '', 'Zq9!'.repeat(128), 'Mauve\0Tractor-Quill-8812', 'qwertyuiop-1234'];

function startDaemon(): Promise<void> {
  daemon = spawn(process.execPath, [CLI, 'pam-daemon', '--socket', socket], {
    env: { PWGUARD_CONFIG: join(dir, 'pwguard.conf'), PWGUARD_HOOK_LOG: logFile }, stdio: 'ignore',
  });
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const poll = () => {
      if (existsSync(socket)) return resolve();
      if (Date.now() - t0 > 30_000) return reject(new Error('daemon did not start'));
      setTimeout(poll, 100);
    };
    poll();
  });
}

function stopDaemon(): Promise<void> {
  const d = daemon;
  daemon = null;
  if (!d || d.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    d.once('exit', () => resolve());
    d.kill();
  });
}

const run = (exe: string, input: string, env: Record<string, string> = { PAM_TYPE: 'password', PAM_USER: 'root' }) => {
  // PWGUARD_CONFIG: the in-process fallback reads the daemon's config (pam_exec would give neither
  // the variable nor a need for it: both read /etc/security/pwguard.conf then).
  const r = spawnSync(exe, [], { input, encoding: 'utf8', env: { ...env, PWGUARD_HOOK_LOG: logFile, PWGUARD_CONFIG: join(dir, 'pwguard.conf') }, timeout: 30_000 });
  return { status: r.status, out: r.stdout };
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pwguard-daemon-'));
  socket = join(dir, 'run', 'checker.sock');
  mkdirSync(join(dir, 'run'));
  logFile = join(dir, 'hook.log');
  writeFileSync(join(dir, 'pwguard.conf'), 'enforce_for_root = 1\n');
  // The fast launcher has no config of its own (the daemon's applies), as installed; the slow one
  // names the same config explicitly, which makes it check in its own process.
  fast = join(dir, 'fast-hook');
  writeFileSync(fast, hookLauncher(process.execPath, BUNDLE_DIR, undefined, socket), { mode: 0o755 });
  slow = join(dir, 'slow-hook');
  writeFileSync(slow, hookLauncher(process.execPath, BUNDLE_DIR, join(dir, 'pwguard.conf')), { mode: 0o755 });
  await startDaemon();
});

afterAll(async () => {
  await stopDaemon();
  rmSync(dir, { recursive: true, force: true });
});

test('a --socket in a folder that does not exist is refused, and no folder is made (issue 14)', () => {
  const missing = join(dir, 'no-such-folder', 's.sock');
  const r = spawnSync(process.execPath, [CLI, 'pam-daemon', '--socket', missing], { encoding: 'utf8', timeout: 30_000 });
  expect(r.stderr).toBe(`pwguard: socket ${missing}: its folder ${join(dir, 'no-such-folder')} does not exist (create it first; only /run/pwguard is created)\n`);
  expect(r.status).toBe(2);
  expect(existsSync(join(dir, 'no-such-folder'))).toBe(false);
});

test('the socket is there for users (0666), and answers like the in-process hook', () => {
  expect((spawnSync('stat', ['-c', '%a', socket], { encoding: 'utf8' }).stdout.trim())).toBe('666');
  for (const input of INPUTS) expect([input, run(fast, input)]).toEqual([input, run(slow, input)]);
});

test('the fast path really went through the daemon', async () => {
  const reply = await askDaemon(socket, { v: 1, type: 'password', user: 'root', service: 't', byRoot: true, password: Buffer.from('password123').toString('base64') });
  expect(reply?.exitCode).toBe(1);
  expect(reply?.lines[0]).toBe('Too short: use at least 12 characters (this one has 11).');
  // As the user themself (not root): enforce_for_root plays no part.
  const user = await askDaemon(socket, { v: 1, type: 'password', user: 'nobody', service: 't', byRoot: false, password: Buffer.from('password123').toString('base64') });
  expect(user?.exitCode).toBe(1);
});

test('the old password (pam_pwguard.so: NEW NUL OLD, PWGUARD_OLDAUTHTOK=stdin) reaches the daemon and the in-process check alike', async () => {
  const similar = 'Vivid-Otter-Plaza-72\0Vivid-Otter-Plaza-71';
  const env = { PAM_TYPE: 'password', PAM_USER: 'root', PWGUARD_OLDAUTHTOK: 'stdin' };
  const refused = { status: 1, out: 'Too similar to your current password: change at least 5 characters, and do not reuse it as a part.\n' };
  expect(run(fast, similar, env)).toEqual(refused);
  expect(run(slow, similar, env)).toEqual(refused);
  expect(run(fast, 'Mauve-Tractor-Quill-8812\0Vivid-Otter-Plaza-71', env)).toEqual({ status: 0, out: '' });
  const reply = await askDaemon(socket, { v: 1, type: 'password', user: 'root', service: 't', byRoot: true, password: Buffer.from(similar).toString('base64'), oldAuthtok: 'stdin' });
  expect(reply).toEqual({ exitCode: 1, lines: [refused.out.trim()] });
});

test('a malformed request gets a refusal, not a crash', async () => {
  const raw = (text: string) => new Promise<string>((resolve) => {
    let data = '';
    const s = connect(socket, () => s.end(text));
    s.on('data', (c) => { data += String(c); });
    s.on('end', () => resolve(data));
  });
  expect(JSON.parse(await raw('not json\n'))).toEqual({ exitCode: 2, lines: ['pwguard: malformed request to the resident checker'] });
  expect(JSON.parse(await raw('{"v":1,"type":"auth","user":"root","password":""}\n')).exitCode).toBe(2);
  expect(daemon?.exitCode).toBeNull();
});

test('the config is read per request: an edit applies without a restart', () => {
  writeFileSync(join(dir, 'pwguard.conf'), 'enforce_for_root = 1\nmin_length = 30\n');
  try {
    expect(run(fast, 'Mauve-Tractor-Quill-8812').out).toContain('Too short: use at least 30 characters');
  } finally {
    writeFileSync(join(dir, 'pwguard.conf'), 'enforce_for_root = 1\n');
  }
});

test('the login check never goes to the daemon (it may expire accounts): in-process, silent, exit 0', () => {
  rmSync(logFile, { force: true });
  expect(run(fast, 'password123', { PAM_TYPE: 'auth', PAM_USER: 'root' })).toEqual({ status: 0, out: '' });
});

test('the installed launcher runs the checker itself with --daemon (what the systemd unit starts)', async () => {
  const other = join(dir, 'other.sock');
  const d = spawn(fast, ['--daemon', other], { env: { PWGUARD_CONFIG: join(dir, 'pwguard.conf') }, stdio: 'ignore' });
  try {
    for (let i = 0; i < 300 && !existsSync(other); i++) await new Promise((r) => setTimeout(r, 100));
    const reply = await askDaemon(other, { v: 1, type: 'password', user: 'root', service: 't', byRoot: true, password: Buffer.from('Mauve-Tractor-Quill-8812').toString('base64') });
    expect(reply).toEqual({ exitCode: 0, lines: [] });
  } finally {
    d.kill();
  }
});

test('with the daemon stopped the hook falls back and answers the same', async () => {
  const before = INPUTS.map((i) => run(fast, i));
  await stopDaemon();
  expect(INPUTS.map((i) => run(fast, i))).toEqual(before);
  expect(readFileSync(logFile, 'utf8')).not.toContain('Mauve-Tractor-Quill-8812');
});

test('a stdin never closed on the fast path meets the hook deadline: on_error line, exit 2 (issue 11)', async () => {
  const child = spawn(fast, [], { env: { PAM_TYPE: 'password', PAM_USER: 'root', PWGUARD_HOOK_LOG: logFile }, stdio: ['pipe', 'pipe', 'ignore'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; });
  const stop = setTimeout(() => child.kill('SIGKILL'), 50_000);
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(stop);
  child.stdin.destroy();
  expect({ status, out }).toEqual({ status: 2, out: 'pwguard: the password check did not finish in time (details in the system log). The password was not changed.\n' });
});
