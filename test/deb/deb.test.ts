// The Debian package for real (issue 15): scripts/build-deb builds it (and the next version, for the
// upgrade), lintian checks it, and apt-get installs it into a scratch clone of the Debian 13 root
// (test/support/trixie-root.sh, with man-db added; Linux-PAM 1.7, its own Node.js 20). Then what
// README's Install section says: enable with pam-auth-update, the real passwd as the user (weak
// refused with the reason, strong stored), pwguard audit of that root's /etc/shadow, man
// pwguard.conf, an upgrade that keeps the edited conffile, and apt-get purge leaving a stack that
// names no missing file and a passwd that works. Then the same install, enable, passwd and purge on
// this host's own Linux-PAM (1.5.2 on Debian 12) and Node.js, in a copy-on-write overlay of / that
// vanishes afterwards (test/deb/host-overlay.sh). Needs root, debootstrap (first run), dpkg-dev, lintian.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { POLICY_KEYS } from '@pwguard/strength';
import { converse, ROOT } from '../pam-module/harness.js';

jest.setTimeout(300_000);

const TRIXIE = join(ROOT, 'test/support/trixie-root.sh');
const OVERLAY = join(ROOT, 'test/deb/host-overlay.sh');
// man-db: `man pwguard.conf` inside the root (a root of its own in the cache, built once).
const ROOT_ENV = { ...process.env, PWGUARD_TRIXIE_EXTRA: 'man-db' };
const USER = 'pwgdebuser';
const START = 'Initial-Pass-1234-Otter';
const STRONG = ['Vivid-Otter-Plaza-71', 'Quiet-Lantern-Fjord-5521'];
const WEAK = 'password123';

let dir: string;
let root: string;
let debs: string[] = [];

interface Run { status: number | null; out: string }

/** A shell command chrooted in the scratch root; stdout and stderr together. */
function inRoot(cmd: string, input = ''): Run {
  const r = spawnSync(TRIXIE, ['run-in', root, 'sh', '-c', `${cmd} 2>&1`], { input, encoding: 'utf8', timeout: 280_000, env: ROOT_ENV });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

function ok(cmd: string, input = ''): string {
  const r = inRoot(cmd, input);
  if (r.status !== 0) throw new Error(`${cmd}: status ${r.status}\n${r.out}`);
  return r.out;
}

function buildDeb(out: string, env: Record<string, string>): string {
  const r = spawnSync(join(ROOT, 'scripts/build-deb'), ['-o', out], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 900_000 });
  if (r.status !== 0) throw new Error(`scripts/build-deb: ${r.stderr}`);
  return r.stdout.trim();
}

const shadowHash = () => readFileSync(`${root}/etc/shadow`, 'utf8').split('\n').find((l) => l.startsWith(`${USER}:`))?.split(':')[1];
const passwdAsUser = (answers: string[]) => converse(`${TRIXIE} run-in ${root} su ${USER} -c passwd`, answers);

/**
 * Every file a PAM stack names that does not exist: each line's module (in the security directory
 * when relative), the hook a pam_pwguard.so line names (hook=) or a pam_exec line runs, and the
 * file an include/substack line reads. Lines whose type starts with "-" may name missing modules.
 * `run` runs a shell command where the stack is (the chrooted root, the host overlay).
 */
function missingStackFiles(run: (cmd: string) => string): string[] {
  const files = run('for f in /etc/pam.d/*; do echo "==> $f"; cat "$f"; done').split(/^==> /m).filter(Boolean);
  const wanted: Array<{ where: string; path: string }> = [];
  for (const file of files) {
    const [name = '', ...lines] = file.split('\n');
    for (const line of lines) {
      const words = line.replace(/#.*/, '').replace(/\[[^\]]*\]/, 'control').trim().split(/\s+/);
      if (words.length < 2 || words[0]?.startsWith('@') || words[0]?.startsWith('-')) continue;
      const [, control, module = '', ...args] = words;
      const where = `${name}: ${line.trim()}`;
      if (control === 'include' || control === 'substack') {
        wanted.push({ where, path: `/etc/pam.d/${module}` });
        continue;
      }
      wanted.push({ where, path: module.startsWith('/') ? module : `/usr/lib/x86_64-linux-gnu/security/${module}` });
      for (const a of args) if (a.startsWith('hook=/') || (module.includes('pam_exec') && a.startsWith('/'))) wanted.push({ where, path: a.replace(/^hook=/, '') });
    }
  }
  const absent = new Set(run(`for p in ${wanted.map((w) => `'${w.path}'`).join(' ')}; do [ -e "$p" ] || echo "$p"; done`).split('\n').filter(Boolean));
  return wanted.filter((w) => absent.has(w.path)).map((w) => `${w.where} (${w.path} is missing)`);
}

const DEB_NAMES = ['pwguard_0.1.0-1_amd64.deb', 'pwguard_0.1.0-1+test2_amd64.deb'];

/**
 * The two builds, cached by the content of every file of the checkout git would see (sources,
 * tests, lockfile; not node_modules or build outputs): a rerun on unchanged sources skips the
 * build (minutes). The cache keeps one entry.
 */
function cachedDebs(): string[] {
  const key = execFileSync('sh', ['-c', 'git ls-files -co --exclude-standard -z | sort -z | xargs -0 sha256sum 2>/dev/null | sha256sum'],
    { cwd: ROOT, encoding: 'utf8' }).slice(0, 16);
  const cache = join(process.env.PWGUARD_TEST_CACHE ?? '/var/cache/pwguard-test', 'deb');
  const entry = join(cache, key);
  const wanted = DEB_NAMES.map((n) => join(entry, n));
  if (wanted.every((f) => existsSync(f))) return wanted;
  const out = join(dir, 'debs');
  const built = [buildDeb(out, {}), buildDeb(out, { PWGUARD_DEB_VERSION: '0.1.0-1+test2', PWGUARD_DEB_SKIP_BUILD: '1' })];
  mkdirSync(cache, { recursive: true });
  for (const old of readdirSync(cache)) rmSync(join(cache, old), { recursive: true, force: true });
  cpSync(out, entry, { recursive: true });
  return built.map((f) => join(entry, basename(f)));
}

beforeAll(() => {
  dir = mkdtempSync('/var/tmp/pwguard-deb-test-');
  debs = cachedDebs();
  root = join(dir, 'root');
  execFileSync(TRIXIE, ['clone', root], { stdio: ['ignore', 'ignore', 'inherit'], env: ROOT_ENV, timeout: 900_000 });
  for (const d of debs) copyFileSync(d, `${root}/tmp/${basename(d)}`);
  ok(`useradd -m -s /bin/sh ${USER} && echo '${USER}:${START}' | chpasswd`);
}, 1_800_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('pwguard_<version>_amd64.deb', () => {
  it('is named pwguard_<version>_amd64.deb, and lintian reports no errors', () => {
    expect(debs.map((d) => basename(d))).toEqual(DEB_NAMES);
    const r = spawnSync('lintian', ['--tag-display-limit', '0', debs[0] as string], { encoding: 'utf8', timeout: 280_000 });
    expect(r.stdout.split('\n').filter((l) => /^E: /.test(l))).toEqual([]);
    expect(r.status).toBe(0);
  });

  it('apt-get install ./pwguard_*.deb: installed, the PAM stack not changed until enabled', () => {
    const before = readFileSync(`${root}/etc/pam.d/common-password`, 'utf8');
    ok(`cd /tmp && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ./${basename(debs[0] as string)}`);
    expect(readFileSync(`${root}/etc/pam.d/common-password`, 'utf8')).toBe(before);
    expect(ok('pwguard --version').trim()).toBe('0.1.0');
    expect(readFileSync(`${root}/etc/security/pwguard.conf`, 'utf8')).toContain('# min_length = 12');
    // The bundled CLI runs from / alone: no node_modules anywhere in the package.
    expect(ok('dpkg -L pwguard')).not.toContain('node_modules');
    expect(ok('pwguard pam install --print-hook-path')).toContain('installed: /usr/sbin/pwguard-pam-hook (package pwguard)');
    // The other avenues' modules are where packaged.json (what `pwguard ldap install` reads) says.
    const packaged = JSON.parse(readFileSync(`${root}/usr/lib/pwguard/packaged.json`, 'utf8')) as { ldapModules: Record<string, string>; krb5Plugin: string };
    const avenueFiles = [packaged.ldapModules['2.5'], packaged.ldapModules['2.6'], packaged.krb5Plugin];
    expect(avenueFiles).toEqual(['/usr/lib/pwguard/ldap/slapd-2.5/pwguard_ppolicy.so', '/usr/lib/ldap/pwguard_ppolicy.so',
      '/usr/lib/x86_64-linux-gnu/krb5/plugins/pwqual/pwguard_pwqual.so']);
    for (const f of avenueFiles) expect(existsSync(`${root}${f}`)).toBe(true);
  });

  it('pam-auth-update --enable pwguard: pam_pwguard.so runs the packaged hook; passwd refuses weak with the reason, stores strong', async () => {
    ok('pam-auth-update --enable pwguard');
    const stack = readFileSync(`${root}/etc/pam.d/common-password`, 'utf8');
    expect(stack).toMatch(/^password\s+requisite\s+pam_pwguard\.so retry=3 hook=\/usr\/sbin\/pwguard-pam-hook$/m);
    const doctor = JSON.parse(ok('pwguard pam doctor --format json --no-latency')) as { checks: { status: string; message: string }[] };
    expect(doctor.checks.filter((c) => c.status === 'error')).toEqual([]);
    const before = shadowHash();
    const weak = await passwdAsUser([START, WEAK]);
    expect(weak.out).toContain('Current password:');
    expect(weak.out).toMatch(/Too short: use at least 12 characters|Seen [\d,]+ times in data breaches/);
    expect(weak.out).toContain('password unchanged');
    expect(shadowHash()).toBe(before);
    const strong = await passwdAsUser([START, STRONG[0] as string, STRONG[0] as string]);
    expect(strong.out).toContain('password updated successfully');
    expect(shadowHash()).not.toBe(before);
  });

  it('pwguard audit reads the root\'s /etc/shadow with the libxcrypt addon and finds the weak account', () => {
    const weakHash = execFileSync('mkpasswd', ['-m', 'yescrypt', 'password'], { encoding: 'utf8' }).trim();
    ok(`useradd -M pwgdebweak && echo 'pwgdebweak:${weakHash}' | chpasswd -e`);
    const r = inRoot('pwguard audit --shadow /etc/shadow --format json --max-guesses 20 --jobs 1');
    const report = JSON.parse(r.out) as { accounts: { user: string; findings?: unknown[]; weak?: boolean }[]; summary: { weak: number; notChecked: number } };
    expect(report.summary.notChecked).toBe(0);
    const weak = report.accounts.filter((a) => JSON.stringify(a).includes('weak_password')).map((a) => a.user);
    expect(weak).toEqual(['pwgdebweak']);
    ok('userdel pwgdebweak');
  });

  it('man pwguard.conf shows every policy key with its default', () => {
    const page = ok('MANWIDTH=80 man -P cat pwguard.conf').replace(/.\x08/g, '').replace(/[\u2010-]\n\s+/g, '').replace(/\s+/g, ' ');
    for (const spec of POLICY_KEYS) {
      const shown = typeof spec.default === 'boolean' ? (spec.default ? '1' : '0') : Array.isArray(spec.default) ? spec.default.join(', ') : String(spec.default);
      expect(page).toMatch(new RegExp(`${spec.key} = [^]*?Default: ${(shown || '(empty)').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    }
    for (const page8 of ['pwguard', 'pam_pwguard', 'pwguard-pam-hook']) expect(ok(`man -w ${page8}`)).toContain('/usr/share/man/man8/');
  });

  it('an upgrade to the next build keeps the locally edited conffile and the enabled stack', async () => {
    ok("echo 'min_length = 14' >> /etc/security/pwguard.conf");
    const edited = readFileSync(`${root}/etc/security/pwguard.conf`, 'utf8');
    ok(`cd /tmp && DEBIAN_FRONTEND=noninteractive apt-get install -y -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold ./${basename(debs[1] as string)}`);
    expect(ok("dpkg-query -W -f '${Version}' pwguard")).toBe('0.1.0-1+test2');
    expect(readFileSync(`${root}/etc/security/pwguard.conf`, 'utf8')).toBe(edited);
    expect(readFileSync(`${root}/etc/pam.d/common-password`, 'utf8')).toContain('pam_pwguard.so');
    // The edited policy is the one applied: 13 characters, strong otherwise, is now too short.
    const r = inRoot(`printf '%s\\n' 'Vq7#Rivet-Obo' | pwguard check --user ${USER}`);
    expect(r.out).toContain('Too short: use at least 14 characters');
  });

  it('apt-get purge pwguard: no stack line names a missing file, passwd still works, nothing left', async () => {
    ok('DEBIAN_FRONTEND=noninteractive apt-get purge -y pwguard');
    expect(readFileSync(`${root}/etc/pam.d/common-password`, 'utf8')).not.toContain('pwguard');
    expect(missingStackFiles((cmd) => ok(cmd))).toEqual([]);
    for (const gone of ['/usr/bin/pwguard', '/usr/sbin/pwguard-pam-hook', '/usr/lib/pwguard', '/etc/security/pwguard.conf',
      '/usr/lib/x86_64-linux-gnu/security/pam_pwguard.so', '/usr/share/pam-configs/pwguard']) {
      expect(existsSync(`${root}${gone}`)).toBe(false);
    }
    const before = shadowHash();
    const r = await passwdAsUser([STRONG[0] as string, STRONG[1] as string, STRONG[1] as string]);
    expect(r.out).toContain('password updated successfully');
    expect(shadowHash()).not.toBe(before);
  });
});

describe('on this host\'s Linux-PAM and Node.js, in an overlay of / (nothing reaches the host)', () => {
  let host: string;
  const onHost = (cmd: string, input = ''): Run => {
    const r = spawnSync(OVERLAY, [host, 'sh', '-c', `${cmd} 2>&1`], { input, encoding: 'utf8', timeout: 280_000 });
    return { status: r.status, out: `${r.stdout}${r.stderr}` };
  };
  const okHost = (cmd: string): string => {
    const r = onHost(cmd);
    if (r.status !== 0) throw new Error(`${cmd}: status ${r.status}\n${r.out}`);
    return r.out;
  };
  const hostShadow = () => okHost(`getent shadow ${USER}`).split(':')[1];
  const hostPasswd = (answers: string[]) => converse(`${OVERLAY} ${host} su ${USER} -c passwd`, answers);

  beforeAll(() => {
    host = join(dir, 'host');
    okHost('true');
    copyFileSync(debs[0] as string, join(host, 'tmp', basename(debs[0] as string)));
    okHost(`useradd -M -s /bin/sh ${USER} && echo '${USER}:${START}' | chpasswd`);
  });

  it('installs with the host\'s nodejs, enables, passwd refuses weak and stores strong, purge leaves a working stack', async () => {
    const pam = okHost("dpkg-query -W -f '${Version}' libpam-runtime");
    const before = okHost('cat /etc/pam.d/common-password');
    okHost(`cd /tmp && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ./${basename(debs[0] as string)}`);
    expect(okHost('cat /etc/pam.d/common-password')).toBe(before);
    okHost('pwguard pam install --apply');
    expect(okHost('cat /etc/pam.d/common-password')).toMatch(/^password\s+requisite\s+pam_pwguard\.so retry=3 hook=\/usr\/sbin\/pwguard-pam-hook$/m);
    const start = hostShadow();
    const weak = await hostPasswd([START, WEAK]);
    expect(weak.out).toMatch(/Too short: use at least 12 characters|Seen [\d,]+ times in data breaches/);
    expect(hostShadow()).toBe(start);
    const strong = await hostPasswd([START, STRONG[0] as string, STRONG[0] as string]);
    expect(strong.out).toMatch(/password updated successfully/);
    expect(hostShadow()).not.toBe(start);
    okHost('DEBIAN_FRONTEND=noninteractive apt-get purge -y pwguard');
    expect(missingStackFiles((cmd) => okHost(cmd))).toEqual([]);
    expect(okHost('cat /etc/pam.d/common-password')).not.toContain('pwguard');
    const after = await hostPasswd([STRONG[0] as string, STRONG[1] as string, STRONG[1] as string]);
    expect(after.out).toMatch(/password updated successfully/);
    expect(pam).toMatch(/^1\./);
  });
});
