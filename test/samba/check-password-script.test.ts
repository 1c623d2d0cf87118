// Samba's `check password script` served by the checkout's hook (`pwguard-pam-hook --samba`), in a
// real standalone smbd (Debian 12: Samba 4.17) with a throwaway tdbsam: a user's own change with
// `smbpasswd -r` (SAMR, the path Windows clients take too) is judged; a local change by root
// (`smbpasswd -a`, `pdbedit`) never runs the script, as smb.conf(5) says. smbd listens on
// 127.0.0.1:445 only (smbpasswd -r has no port option); the account is the system's `daemon`,
// which is in every Debian passwd and gets an entry only in this test's own passdb.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ntHash } from '@pwguard/hashes';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const HOOK = join(ROOT, 'packages/pam/bin/pwguard-pam-hook');
const ACCOUNT = 'daemon';
const OLD = 'Old-Orchid-Lantern-77';
const STRONG = 'Tulip-Quasar-Mango-Zebra-91';

function whyNot(): string | undefined {
  for (const b of ['/usr/sbin/smbd', '/usr/bin/smbpasswd', '/usr/bin/pdbedit']) {
    if (!existsSync(b)) return `${b} is missing (Debian package samba)`;
  }
  if (process.getuid?.() !== 0) return 'smbd must listen on port 445: run as root';
  if (spawnSync('getent', ['passwd', ACCOUNT]).status !== 0) return `no system account ${ACCOUNT}`;
  return undefined;
}
const missing = whyNot();

const portOpen = (port: number): Promise<boolean> => new Promise((resolve) => {
  const s = connect(port, '127.0.0.1');
  s.once('connect', () => { s.destroy(); resolve(true); });
  s.once('error', () => resolve(false));
});

(missing ? describe.skip : describe)(`Samba check password script${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let dir: string;
  let conf: string;
  let smbd: ChildProcess | undefined;

  /** A user's own change: smbpasswd -r reads old, new, new from stdin (-s). */
  const change = (oldPw: string, newPw: string) => spawnSync('/usr/bin/smbpasswd', ['-c', conf, '-s', '-r', '127.0.0.1', '-U', ACCOUNT], {
    input: `${oldPw}\n${newPw}\n${newPw}\n`, encoding: 'utf8', timeout: 60_000,
  });
  const storedNt = (): string => {
    const line = spawnSync('/usr/bin/pdbedit', ['-s', conf, '-L', '-w', '-u', ACCOUNT], { encoding: 'utf8' }).stdout;
    return (line.split(':')[3] ?? '').toLowerCase();
  };

  beforeAll(async () => {
    if (await portOpen(445)) throw new Error('something already listens on 127.0.0.1:445; this test needs that port for its own smbd');
    dir = mkdtempSync(join(tmpdir(), 'pwguard-samba-'));
    for (const d of ['private', 'lock', 'state', 'cache', 'pid', 'log']) mkdirSync(join(dir, d));
    writeFileSync(join(dir, 'pwguard.conf'), 'min_length = 12\n');
    const wrapper = join(dir, 'check-password');
    // smbd runs the script through /bin/sh without our PATH: name node and the policy.
    writeFileSync(wrapper, `#!/bin/sh\nexec ${process.execPath} ${HOOK} --samba config=${join(dir, 'pwguard.conf')}\n`);
    chmodSync(wrapper, 0o755);
    conf = join(dir, 'smb.conf');
    writeFileSync(conf, `[global]
  server role = standalone server
  passdb backend = tdbsam:${dir}/private/passdb.tdb
  private dir = ${dir}/private
  lock directory = ${dir}/lock
  state directory = ${dir}/state
  cache directory = ${dir}/cache
  pid directory = ${dir}/pid
  ncalrpc dir = ${dir}/ncalrpc
  log file = ${dir}/log/%m.log
  interfaces = lo
  bind interfaces only = yes
  smb ports = 445
  unix password sync = no
  pam password change = no
  check password script = ${wrapper}
`);
    // Root's local add does not run the script: the starting password goes in unjudged.
    const add = spawnSync('/usr/bin/pdbedit', ['-s', conf, '-a', '-t', '-u', ACCOUNT, '-f', 'Alice Wonderbread'], { input: `${OLD}\n${OLD}\n`, encoding: 'utf8' });
    if (add.status !== 0) throw new Error(`pdbedit -a failed: ${add.stderr}`);
    // Its own process group: smbd signals its whole group when it shuts down, jest included otherwise.
    smbd = spawn('/usr/sbin/smbd', ['-F', '--no-process-group', '-s', conf, '--debug-stdout', '-d', '0'], { stdio: 'ignore', detached: true });
    for (let i = 0; i < 200 && !(await portOpen(445)); i++) {
      if (smbd.exitCode !== null) throw new Error(`smbd exited with ${smbd.exitCode}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  });
  afterAll(async () => {
    if (smbd && smbd.exitCode === null) {
      const gone = new Promise((r) => smbd?.once('exit', r));
      process.kill(-(smbd.pid ?? 0), 'SIGTERM');
      await gone;
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('a weak password is refused and the old one stays', async () => {
    const r = change(OLD, 'password1');
    expect(r.status).not.toBe(0);
    expect(`${r.stdout}${r.stderr}`).toContain('password update rule has been violated');
    expect(storedNt()).toBe(await ntHash(OLD));
  });

  test('SAMBA_CPS_FULL_NAME is the context: a password holding the full name is refused', async () => {
    const r = change(OLD, 'Wonderbread-Tulip-Quasar-91');
    expect(r.status).not.toBe(0);
    expect(storedNt()).toBe(await ntHash(OLD));
  });

  test('a strong password is accepted and stored', async () => {
    const r = change(OLD, STRONG);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(storedNt()).toBe(await ntHash(STRONG));
  });
});
