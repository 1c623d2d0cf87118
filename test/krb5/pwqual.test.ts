// pwguard_pwqual.so, the MIT Kerberos password-quality plugin, in a real throwaway realm (Debian
// 12: krb5-kdc and krb5-admin-server 1.20): kdb5_util creates the database in a temp dir, krb5kdc
// and kadmind run as this test's children on free loopback ports (KRB5_CONFIG and KRB5_KDC_PROFILE
// point at the temp configs), and the checkout's hook judges kadmin.local's `cpw` and a user's own
// `kpasswd` through kadmind. Passwords go to the tools on stdin (prompts), never in argv.
//
// What the user sees differs by path, and that is MIT's doing: kadmin.local shows the plugin's
// error message (pwguard's reasons); kpasswd gets kadmind's fixed "Unspecified password quality
// failure" (kadm5_chpass_principal_util maps the code to its own text), and kadmind's log has the
// reasons.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const HOOK = join(ROOT, 'packages/pam/bin/pwguard-pam-hook');
const MODULE = join(ROOT, 'packages/pam/krb5/build/pwguard_pwqual.so');
const REALM = 'PWGUARD.TEST';
const MASTER = 'Master-Key-For-Tests-4410';
const OLD = 'Old-Orchid-Lantern-77';
const STRONG = 'Tulip-Quasar-Mango-Zebra-91';
const STRONG2 = 'Cobalt-Violin-Meadow-Ferry-35';
const CANNOT = 'pwguard: the password check could not run; the password was not changed.';

function whyNot(): string | undefined {
  const tools: readonly (readonly [string, string])[] = [['/usr/sbin/krb5kdc', 'krb5-kdc'], ['/usr/sbin/kdb5_util', 'krb5-kdc'],
    ['/usr/sbin/kadmind', 'krb5-admin-server'], ['/usr/sbin/kadmin.local', 'krb5-admin-server'], ['/usr/bin/kpasswd', 'krb5-user'],
    ['/usr/bin/kinit', 'krb5-user'], ['/usr/bin/kadmin', 'krb5-user']];
  for (const [b, pkg] of tools) {
    if (!existsSync(b)) return `${b} is missing (Debian package ${pkg})`;
  }
  if (!existsSync(MODULE)) return `${MODULE} not built (pnpm run build:native; needs libkrb5-dev)`;
  return undefined;
}
const missing = whyNot();

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

const portOpen = (port: number): Promise<boolean> => new Promise((resolve) => {
  const s = connect(port, '127.0.0.1');
  s.once('connect', () => { s.destroy(); resolve(true); });
  s.once('error', () => resolve(false));
});

interface Out { code: number | null; out: string }

(missing ? describe.skip : describe)(`pwguard_pwqual.so in kadmind${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let judge: string;
  const daemons: ChildProcess[] = [];
  let ccaches = 0;

  /** A Kerberos tool with the realm's environment; `input` is what the user types at its prompts. */
  const tool = (bin: string, args: readonly string[], input: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<Out> =>
    new Promise((resolve) => {
      const child = spawn(bin, args, { env: { ...env, KRB5CCNAME: `FILE:${join(dir, `cc-${++ccaches}`)}`, ...extraEnv } });
      let out = '';
      child.stdout.on('data', (b: Buffer) => { out += b.toString(); });
      child.stderr.on('data', (b: Buffer) => { out += b.toString(); });
      const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
      child.on('close', (code) => { clearTimeout(timer); resolve({ code, out }); });
      child.stdin.end(input);
    });
  const local = (query: string, input: string, profile?: string) =>
    tool('/usr/sbin/kadmin.local', ['-r', REALM, '-q', query], input, profile ? { KRB5_KDC_PROFILE: profile } : {});
  /** kadmin.local's `cpw`, the new password typed twice at its prompts. */
  const cpw = (princ: string, pw: string, profile?: string) => local(`cpw ${princ}`, `${pw}\n${pw}\n`, profile);
  /** The user's own change: kpasswd asks for the old password, then the new one twice. */
  const kpasswd = (princ: string, oldPw: string, newPw: string) => tool('/usr/bin/kpasswd', [princ], `${oldPw}\n${newPw}\n${newPw}\n`);
  const kinit = async (princ: string, pw: string): Promise<boolean> => (await tool('/usr/bin/kinit', [princ], `${pw}\n`)).code === 0;
  const kadmindLog = () => readFileSync(join(dir, 'kadmind.log'), 'utf8');

  /** kdc.conf; pwguard undefined: without the plugin (to set the starting passwords). */
  const kdcConf = (ports: { kdc: number; kadmin: number; kpasswd: number }, pwguard?: string) => `[kdcdefaults]
  kdc_ports = ${ports.kdc}
  kdc_tcp_ports = ${ports.kdc}
[realms]
  ${REALM} = {
    database_name = ${join(dir, 'principal')}
    key_stash_file = ${join(dir, 'stash')}
    acl_file = ${join(dir, 'kadm5.acl')}
    kadmind_port = ${ports.kadmin}
    kpasswd_port = ${ports.kpasswd}
  }
[logging]
  kdc = FILE:${join(dir, 'kdc.log')}
  admin_server = FILE:${join(dir, 'kadmind.log')}
${pwguard === undefined ? '' : `[plugins]
  pwqual = {
    module = pwguard:${MODULE}
  }
[pwguard]
${pwguard}`}`;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pwguard-krb5-'));
    const ports = { kdc: await freePort(), kadmin: await freePort(), kpasswd: await freePort() };
    // min_length 14 (the default is 12): the reasons prove the [pwguard] config relation reached the hook.
    writeFileSync(join(dir, 'pwguard.conf'), 'min_length = 14\n');
    // The plugin gives the hook a clean environment (no PATH): a wrapper names node. henry's hook
    // hangs (the deadline test); it records its pid so the test can see it was killed.
    judge = join(dir, 'judge');
    writeFileSync(judge, `#!/bin/sh
if [ "$PAM_USER" = henry ]; then echo $$ > ${join(dir, 'hang.pid')}; exec sleep 300; fi
exec ${process.execPath} ${HOOK} "$@"
`);
    chmodSync(judge, 0o755);
    writeFileSync(join(dir, 'krb5.conf'), `[libdefaults]
  default_realm = ${REALM}
  dns_lookup_kdc = false
  dns_lookup_realm = false
  rdns = false
  udp_preference_limit = 1
[realms]
  ${REALM} = {
    kdc = 127.0.0.1:${ports.kdc}
    admin_server = 127.0.0.1:${ports.kadmin}
    kpasswd_server = 127.0.0.1:${ports.kpasswd}
  }
`);
    writeFileSync(join(dir, 'kdc.conf'), kdcConf(ports, `  hook = ${judge}\n  config = ${join(dir, 'pwguard.conf')}\n  timeout = 10\n`));
    writeFileSync(join(dir, 'kdc-missing.conf'), kdcConf(ports, `  hook = ${join(dir, 'no-such-hook')}\n`));
    writeFileSync(join(dir, 'kdc-badopt.conf'), kdcConf(ports, `  hook = ${judge}\n  retry = 3\n`));
    writeFileSync(join(dir, 'kdc-badtimeout.conf'), kdcConf(ports, `  hook = ${judge}\n  timeout = 0\n`));
    writeFileSync(join(dir, 'kdc-badflag.conf'), kdcConf(ports, `  hook = ${judge}\n  debug = maybe\n`));
    writeFileSync(join(dir, 'kdc-relative.conf'), kdcConf(ports, `  hook = judge\n`));
    writeFileSync(join(dir, 'kdc-accept.conf'), kdcConf(ports, `  hook = ${join(dir, 'no-such-hook')}\n  on_error = accept\n`));
    writeFileSync(join(dir, 'kdc-setup.conf'), kdcConf(ports));
    writeFileSync(join(dir, 'kadm5.acl'), `*/admin@${REALM} *\n`);
    env = { PATH: process.env.PATH, KRB5_CONFIG: join(dir, 'krb5.conf'), KRB5_KDC_PROFILE: join(dir, 'kdc.conf') };

    // kdb5_util's -P is its own interface for the master key of a throwaway database.
    const create = spawnSync('/usr/sbin/kdb5_util', ['create', '-s', '-r', REALM, '-P', MASTER], { env, encoding: 'utf8' });
    if (create.status !== 0) throw new Error(`kdb5_util create failed: ${create.stderr}`);
    for (const p of ['alice', 'carol', 'carol/admin', 'dave', 'erin', 'frank', 'gina', 'henry', 'root/admin']) {
      const r = await local(`addprinc ${p}`, `${OLD}\n${OLD}\n`, join(dir, 'kdc-setup.conf'));
      if (!r.out.includes(`Principal "${p}@${REALM}" created.`)) throw new Error(`addprinc ${p}: ${r.out}`);
    }
    for (const [bin, args] of [['/usr/sbin/krb5kdc', ['-n', '-r', REALM, '-P', join(dir, 'kdc.pid')]],
      ['/usr/sbin/kadmind', ['-nofork', '-r', REALM, '-P', join(dir, 'kadmind.pid')]]] as const) {
      daemons.push(spawn(bin, args, { env, stdio: 'ignore' }));
    }
    for (let i = 0; ; i++) {
      const up = await Promise.all([ports.kdc, ports.kadmin, ports.kpasswd].map(portOpen));
      if (up.every(Boolean)) break;
      const dead = daemons.find((d) => d.exitCode !== null || d.signalCode !== null);
      if (dead || i > 300) throw new Error(`krb5kdc or kadmind did not start:\n${existsSync(join(dir, 'kadmind.log')) ? kadmindLog() : ''}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }, 180_000);

  afterAll(async () => {
    for (const d of daemons) {
      if (d.exitCode !== null || d.signalCode !== null) continue;
      const exited = new Promise((r) => d.once('exit', r));
      d.kill('SIGTERM');
      const timer = setTimeout(() => d.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('kadmin.local cpw with a weak password: refused with pwguard\'s reasons; the old password still works', async () => {
    const r = await cpw('alice', 'password1');
    expect(r.out).toContain('Too short: use at least 14 characters (this one has 9).');
    expect(r.out).toContain('times in data breaches');
    expect(r.out).not.toContain(`Password for "alice@${REALM}" changed.`);
    expect(await kinit('alice', OLD)).toBe(true);
    expect(await kinit('alice', 'password1')).toBe(false);
  }, 120_000);

  test('the principal is the context: its first component is the user name, the others are context words', async () => {
    const user = await cpw('alice', 'Alice-Tulip-Quasar-Zebra-91');
    expect(user.out).toContain('Contains or closely resembles your user name ("alice").');
    expect(await kinit('alice', OLD)).toBe(true);
    const instance = await cpw('carol/admin', 'Admin-Tulip-Quasar-Zebra-91');
    expect(instance.out).toContain('Contains or closely resembles your name or account details ("admin").');
    expect(await kinit('carol/admin', OLD)).toBe(true);
  }, 120_000);

  test('kadmin.local cpw with a strong password: changed, and kinit works with it', async () => {
    const r = await cpw('carol', STRONG);
    expect(r.out).toContain(`Password for "carol@${REALM}" changed.`);
    expect(await kinit('carol', STRONG)).toBe(true);
    expect(await kinit('carol', OLD)).toBe(false);
  }, 120_000);

  test('kpasswd as the user with a weak password: kadmind refuses (its fixed text), the reasons are in its log', async () => {
    const r = await kpasswd('alice', OLD, 'password1');
    expect(r.code).not.toBe(0);
    expect(r.out).toContain('Password change rejected');
    expect(r.out).toContain('Unspecified password quality failure');
    expect(kadmindLog()).toMatch(new RegExp(`chpw request from \\S+ for alice@${REALM.replace('.', '\\.')}: Too short: use at least 14 characters \\(this one has 9\\)\\.`));
    expect(await kinit('alice', OLD)).toBe(true);
  }, 120_000);

  test('kpasswd as the user with a strong password: changed, and kinit works with it', async () => {
    const r = await kpasswd('dave', OLD, STRONG);
    expect(r.out).toContain('Password changed.');
    expect(r.code).toBe(0);
    expect(await kinit('dave', STRONG)).toBe(true);
    expect(await kinit('dave', OLD)).toBe(false);
  }, 120_000);

  test('remote kadmin (kadmind\'s RPC) cpw: weak refused (MIT sends only the code), strong changed', async () => {
    // kadmin asks for the administrator's password, then the new one twice.
    const admin = (princ: string, pw: string) => tool('/usr/bin/kadmin', ['-p', 'root/admin', '-q', `cpw ${princ}`], `${OLD}\n${pw}\n${pw}\n`);
    const weak = await admin('frank', 'password1');
    expect(weak.out).toContain('Unspecified password quality failure');
    expect(kadmindLog()).toContain(`password quality module pwguard rejected password for frank@${REALM}: Too short: use at least 14 characters (this one has 9).`);
    expect(await kinit('frank', OLD)).toBe(true);
    const strong = await admin('frank', STRONG);
    expect(strong.out).toContain(`Password for "frank@${REALM}" changed.`);
    expect(await kinit('frank', STRONG)).toBe(true);
  }, 120_000);

  test('a missing hook fails closed, in kadmind (kpasswd) and in kadmin.local', async () => {
    renameSync(judge, `${judge}.away`);
    try {
      const r = await kpasswd('erin', OLD, STRONG);
      expect(r.code).not.toBe(0);
      expect(r.out).toContain('Password change rejected');
    } finally {
      renameSync(`${judge}.away`, judge);
    }
    expect(kadmindLog()).toContain(`for erin@${REALM}: ${CANNOT}`);
    expect(await kinit('erin', OLD)).toBe(true);
    const local = await cpw('erin', STRONG, join(dir, 'kdc-missing.conf'));
    expect(local.out).toContain(CANNOT);
    expect(await kinit('erin', OLD)).toBe(true);
  }, 120_000);

  test.each([
    ['kdc-badopt.conf', 'an option the plugin does not know (PAM\'s retry)'],
    ['kdc-badtimeout.conf', 'timeout = 0'],
    ['kdc-badflag.conf', 'debug = maybe'],
    ['kdc-relative.conf', 'a relative hook path'],
  ])('%s (%s) refuses every change', async (profile) => {
    const r = await cpw('erin', STRONG, join(dir, profile));
    expect(r.out).toContain(CANNOT);
    expect(await kinit('erin', OLD)).toBe(true);
  }, 120_000);

  test('on_error = accept: a hook that cannot judge lets the change through', async () => {
    const r = await cpw('gina', STRONG, join(dir, 'kdc-accept.conf'));
    expect(r.out).toContain(`Password for "gina@${REALM}" changed.`);
    expect(await kinit('gina', STRONG)).toBe(true);
  }, 120_000);

  (existsSync('/usr/bin/valgrind') ? test : test.skip)('under valgrind memcheck kadmin.local loads the plugin: no error and no leak (refused, accepted, bad option)', async () => {
    const runs = [['weak', 'carol', 'password1', undefined], ['strong', 'carol', STRONG2, undefined], ['badopt', 'carol', OLD, join(dir, 'kdc-badopt.conf')]] as const;
    for (const [tag, princ, pw, profile] of runs) {
      const log = join(dir, `valgrind-${tag}.log`);
      const r = await tool('/usr/bin/valgrind', ['--leak-check=full', '--errors-for-leak-kinds=definite,indirect', '--keep-debuginfo=yes', `--log-file=${log}`,
        '/usr/sbin/kadmin.local', '-r', REALM, '-q', `cpw ${princ}`], `${pw}\n${pw}\n`, profile ? { KRB5_KDC_PROFILE: profile } : {});
      expect(r.out).toContain(tag === 'strong' ? 'changed.' : 'change_password:');
      const text = readFileSync(log, 'utf8');
      expect(text).toMatch(/ERROR SUMMARY: 0 errors/);
      expect(text).toMatch(/definitely lost: 0 bytes|no leaks are possible/);
    }
    expect(await kinit('carol', STRONG2)).toBe(true);
  }, 180_000);

  test('a hung hook is killed at the deadline, the change refused, and kadmind keeps answering', async () => {
    const r = await kpasswd('henry', OLD, STRONG);
    expect(r.code).not.toBe(0);
    expect(r.out).toContain('Password change rejected');
    expect(kadmindLog()).toContain(`for henry@${REALM}: ${CANNOT}`);
    const pid = Number(readFileSync(join(dir, 'hang.pid'), 'utf8'));
    expect(() => process.kill(pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
    expect(await kinit('henry', OLD)).toBe(true);
    // The same kadmind serves the next change.
    const next = await kpasswd('erin', OLD, STRONG2);
    expect(next.out).toContain('Password changed.');
    expect(await kinit('erin', STRONG2)).toBe(true);
  }, 120_000);
});
