// The npm packages as a user outside this repository gets them: `pnpm pack` of every published
// package, then, in an empty directory under the system temp dir (outside the workspace, so no
// workspace link or checkout file can help):
//   (a) `npm install -g --prefix` of all the tarballs at once (the CLI and its @pwguard deps) and a
//       real `pwguard audit` of a shadow file with sha512crypt and yescrypt hashes made by mkpasswd;
//   (b) a small browser app importing @pwguard/strength from its tarball, bundled by esbuild from
//       the registry, served on localhost and driven in Debian's Chromium;
//   (c) a small Node server importing the runtime's loadChecker from the tarballs.
// Third-party dependencies come from the npm registry (npm's cache first: --prefer-offline).
// Needs the built workspace (scripts/test builds: tsc -b and build:native) and mkpasswd (whois).
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { launchChromium, ROOT } from '../web/support.js';

jest.setTimeout(900_000);

/** Every published package: directory under packages/ and npm name. */
const PACKAGES: Record<string, string> = {
  strength: '@pwguard/strength', files: '@pwguard/files', breach: '@pwguard/breach', hashes: '@pwguard/hashes',
  runtime: '@pwguard/runtime', audit: '@pwguard/audit', pam: '@pwguard/pam', cli: 'pwguard',
};
const NPM_FLAGS = ['--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];
const ESBUILD = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }).devDependencies.esbuild as string;

let tmp: string;
/** Package name -> its tarball. */
const tarballs: Record<string, string> = {};
let pwguard: string;
let installLog = '';
/** What the run measured (no assertion on times): $PWGUARD_ARTIFACTS/npm/packages.json. */
const measured: Record<string, number> = {};

function sh(cmd: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  const r = spawnSync(cmd, args, { cwd, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return `${r.stdout}${r.stderr}`;
}

function tarList(tgz: string): string[] {
  return execFileSync('tar', ['tzf', tgz], { encoding: 'utf8' }).split('\n').filter(Boolean).map((f) => f.replace(/^package\//, ''));
}

function tarFile(tgz: string, file: string): string {
  return execFileSync('tar', ['xzf', tgz, '-O', `package/${file}`], { encoding: 'utf8' });
}

beforeAll(() => {
  for (const f of ['packages/runtime/dist/zxcvbn-ranked.bin', 'packages/pam/dist/hook/pam-hook.mjs', 'packages/breach/dist/builtin-sha1.pwg']) {
    if (!existsSync(join(ROOT, f))) throw new Error(`${f} is missing: build first (scripts/test does: tsc -b, pnpm -r run build:native)`);
  }
  tmp = mkdtempSync(join(tmpdir(), 'pwguard-npm-'));
  expect(relative(ROOT, tmp).startsWith('..')).toBe(true);
  const packs = join(tmp, 'packs');
  mkdirSync(packs);
  for (const [dir, name] of Object.entries(PACKAGES)) {
    const before = new Set(readdirSync(packs));
    sh('pnpm', ['pack', '--pack-destination', packs], join(ROOT, 'packages', dir));
    const made = readdirSync(packs).filter((f) => !before.has(f) && f.endsWith('.tgz'));
    expect(made).toHaveLength(1);
    tarballs[name] = join(packs, made[0] as string);
  }
  // (a)'s install: every tarball at once, so the CLI's @pwguard deps are these tarballs.
  const prefix = join(tmp, 'global');
  const start = Date.now();
  installLog = sh('npm', ['install', '-g', '--prefix', prefix, '--foreground-scripts', ...NPM_FLAGS, ...Object.values(tarballs)], tmp);
  measured.globalInstallSeconds = (Date.now() - start) / 1000;
  pwguard = join(prefix, 'bin', 'pwguard');
});

afterAll(() => {
  const out = join(process.env.PWGUARD_ARTIFACTS ?? join(ROOT, 'test-artifacts'), 'npm');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'packages.json'), `${JSON.stringify(measured, null, 2)}\n`);
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('the tarballs', () => {
  test.each(Object.values(PACKAGES))('%s: exports, types, engines, README, real versions, no checkout files', (name) => {
    const tgz = tarballs[name] as string;
    const files = tarList(tgz);
    const pkg = JSON.parse(tarFile(tgz, 'package.json')) as Record<string, any>;
    expect(pkg.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(pkg.private).toBeUndefined();
    expect(pkg.engines).toEqual({ node: '>=20' });
    expect(pkg.types).toBe('dist/index.d.ts');
    expect(pkg.exports['.']).toMatchObject({ types: './dist/index.d.ts', import: './dist/index.js' });
    expect(files).toEqual(expect.arrayContaining(['README.md', 'package.json', 'dist/index.js', 'dist/index.d.ts']));
    expect(tarFile(tgz, 'README.md')).toContain(`# ${name}`);
    // pnpm pack turned workspace:^ into the real version.
    for (const [dep, range] of Object.entries({ ...pkg.dependencies, ...pkg.peerDependencies } as Record<string, string>)) {
      expect(`${dep}@${range}`).not.toMatch(/workspace:|file:|link:/);
    }
    expect(files.filter((f) => f.endsWith('.map') || f.endsWith('.tsbuildinfo') || f.startsWith('src/') || f.startsWith('test/'))).toEqual([]);
    // No code that reaches out of its package into the checkout.
    for (const f of files.filter((x) => /\.(m|c)?js$/.test(x) && !x.startsWith('dist/hook/'))) {
      const code = tarFile(tgz, f).split('\n').filter((l) => !/^\s*(\/\/|\*|\/\*)/.test(l)).join('\n');
      expect(`${f}: ${/\.\.\/\.\.\/|packages\/|pnpm /.exec(code)?.[0] ?? ''}`).toBe(`${f}: `);
    }
  });

  test('the native parts: ranked dictionaries and the PAM hook are shipped; the addon and module are built at install', () => {
    expect(tarList(tarballs['@pwguard/runtime'] as string)).toContain('dist/zxcvbn-ranked.bin');
    expect(tarList(tarballs['@pwguard/breach'] as string)).toContain('dist/builtin-sha1.pwg');
    expect(tarList(tarballs['@pwguard/pam'] as string)).toEqual(expect.arrayContaining([
      'dist/hook/pam-hook.mjs', 'dist/hook/hook-client.cjs', 'dist/hook/zxcvbn-ranked.bin', 'module/build.sh', 'module/pam_pwguard.c',
    ]));
    const hashes = tarList(tarballs['@pwguard/hashes'] as string);
    expect(hashes).toEqual(expect.arrayContaining(['native/install.mjs', 'native/binding.gyp', 'native/crypt_addon.cc']));
    expect(hashes.filter((f) => f.startsWith('native/build/'))).toEqual([]);
    const lib = join(tmp, 'global', 'lib', 'node_modules');
    expect(existsSync(join(lib, '@pwguard/hashes/native/build/Release/pwguard_crypt.node'))).toBe(true);
    // libpam0g-dev is a test dependency (the PAM module tests), so the module is built here too.
    expect(existsSync(join(lib, '@pwguard/pam/module/build/pam_pwguard.so'))).toBe(true);
    // npm echoes each script as `> command`; the scripts' own output says nothing was left unbuilt.
    expect(installLog.split('\n').filter((l) => /not built/.test(l) && !l.startsWith('>'))).toEqual([]);
  });
});

describe('(a) npm install -g: pwguard audit of sha512crypt and yescrypt hashes', () => {
  test('the weak password is found, the strong one is not, both were checked', () => {
    const dir = join(tmp, 'audit');
    mkdirSync(dir);
    const hash = (method: string, password: string) => execFileSync('mkpasswd', ['-m', method, '-s'], { input: `${password}\n`, encoding: 'utf8' }).trim();
    writeFileSync(join(dir, 'shadow'), [
      `alice:${hash('sha512crypt', 'password1')}:20000:0:99999:7:::`,
      `bob:${hash('yescrypt', 'Vq7#mulberry-Kite-oxbow-22')}:20000:0:99999:7:::`,
      '',
    ].join('\n'), { mode: 0o600 });
    writeFileSync(join(dir, 'passwd'), 'alice:x:1000:1000:Alice:/home/alice:/bin/sh\nbob:x:1001:1001:Bob:/home/bob:/bin/sh\n');
    const r = spawnSync(pwguard, ['audit', '--shadow', join(dir, 'shadow'), '--passwd', join(dir, 'passwd'), '--format', 'json', '--max-guesses', '50', '-j', '1'], {
      cwd: dir, encoding: 'utf8', env: { ...process.env, PWGUARD_CONFIG: '' },
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1); // findings
    const report = JSON.parse(r.stdout) as { summary: { weak: number; notChecked: number }; accounts: { user: string; weak: boolean; findings: { code: string }[] }[] };
    expect(report.summary).toMatchObject({ weak: 1, notChecked: 0 });
    const byUser = Object.fromEntries(report.accounts.map((a) => [a.user, a]));
    expect(byUser.alice?.weak).toBe(true);
    expect(byUser.bob?.weak).toBe(false);
    expect(byUser.bob?.findings.map((f) => f.code)).not.toContain('not_checked');
    expect(r.stdout).not.toContain('password1');
  });

  test('without a compiler the install says in one line which Debian packages to install, and succeeds', () => {
    // A fresh copy of the installed package, as npm unpacks it (no native/build yet).
    const copy = join(tmp, 'hashes-copy');
    cpSync(join(tmp, 'global/lib/node_modules/@pwguard/hashes'), copy, { recursive: true, filter: (src) => !src.includes('/native/build') });
    const r = spawnSync(process.execPath, [join(copy, 'native/install.mjs')], { encoding: 'utf8', env: { PATH: join(tmp, 'empty-path') } });
    expect(r.status).toBe(0);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringContaining('install g++ make python3 libcrypt-dev')]);
    expect(r.stderr).not.toMatch(/pnpm/);
    expect(existsSync(join(copy, 'native/build'))).toBe(false);
  });

  test('an addon that was not built: the CLI names the Debian packages, never a pnpm command', () => {
    const build = join(tmp, 'global/lib/node_modules/@pwguard/hashes/native/build');
    const shadow = join(tmp, 'nobuild-shadow');
    const passwd = join(tmp, 'nobuild-passwd');
    writeFileSync(passwd, 'carol:x:1002:1002:Carol:/home/carol:/bin/sh\n');
    writeFileSync(shadow, `carol:${execFileSync('mkpasswd', ['-m', 'sha512crypt', '-s'], { input: 'password1\n', encoding: 'utf8' }).trim()}:20000:0:99999:7:::\n`, { mode: 0o600 });
    renameSync(build, `${build}.off`);
    try {
      const r = spawnSync(pwguard, ['audit', '--shadow', shadow, '--passwd', passwd, '--format', 'json', '--max-guesses', '10', '-j', '1'], { encoding: 'utf8', env: { ...process.env, PWGUARD_CONFIG: '' } });
      expect(r.stderr.trim().split('\n')).toEqual(['pwguard: warning: 1 account(s) not checked: the crypt(3) addon is not built: install g++ make python3 libcrypt-dev (Debian packages), then reinstall pwguard']);
    } finally {
      renameSync(`${build}.off`, build);
    }
  });
});

describe('(b) a browser app and (c) a Node server, built from the tarballs', () => {
  let app: string;
  let server: Server | undefined;
  let browser: Browser | undefined;
  let node: ChildProcess | undefined;

  beforeAll(() => {
    app = join(tmp, 'app');
    mkdirSync(join(app, 'src'), { recursive: true });
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'site-app', version: '1.0.0', private: true, type: 'module' }, null, 2));
    const deps = ['@pwguard/strength', '@pwguard/files', '@pwguard/breach', '@pwguard/runtime'].map((n) => tarballs[n] as string);
    const start = Date.now();
    sh('npm', ['install', ...NPM_FLAGS, ...deps, `esbuild@${ESBUILD}`], app);
    measured.appInstallSeconds = (Date.now() - start) / 1000;
    // The site's own code: a checker with the defaults (no breach store in a browser).
    writeFileSync(join(app, 'src', 'main.js'), [
      "import { createChecker, DEFAULT_POLICY } from '@pwguard/strength';",
      'const checker = createChecker({ ...DEFAULT_POLICY, breach_check: false });',
      'window.pwgCheck = async (password) => JSON.stringify(await checker.check(password));',
      "document.body.dataset.ready = '1';",
      '',
    ].join('\n'));
    sh(join(app, 'node_modules/.bin/esbuild'), ['src/main.js', '--bundle', '--splitting', '--format=esm', '--minify', '--platform=browser', '--outdir=dist'], app);
    writeFileSync(join(app, 'dist', 'index.html'), '<!doctype html><html><head><meta charset="utf-8"><title>app</title></head><body><script type="module" src="/main.js"></script></body></html>\n');
    writeFileSync(join(app, 'browser.conf'), 'breach_check = 0\n');
    writeFileSync(join(app, 'server.conf'), '# the defaults, with the built-in breach list\n');
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => (server ? server.close(r) : r(undefined)));
    node?.kill('SIGTERM');
  });

  function cliVerdict(config: string, password: string): unknown {
    const r = spawnSync(pwguard, ['check', '--config', config, '--format', 'json'], { input: `${password}\n`, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    return JSON.parse(r.stdout);
  }

  const PASSWORDS = ['correcthorse', 'Tr0ub4dor&3', 'Vq7#mulberry-Kite-oxbow-22', 'qwertyuiop123'];

  test('(b) the first chunk is under 60 KB gzipped, the dictionaries load on first use, the verdict equals pwguard check', async () => {
    const dist = join(app, 'dist');
    server = createServer((req, res) => {
      const file = join(dist, req.url === '/' ? 'index.html' : (req.url ?? '').replace(/^\/+/, '').replace(/\.\./g, ''));
      if (!existsSync(file)) return void res.writeHead(404).end();
      res.writeHead(200, { 'Content-Type': file.endsWith('.js') ? 'text/javascript' : 'text/html' }).end(readFileSync(file));
    });
    await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
    const addr = server.address();
    const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/`;
    browser = await launchChromium();
    const page = await browser.newPage();
    const scripts: string[] = [];
    page.on('request', (req) => {
      if (req.url().endsWith('.js')) scripts.push(new URL(req.url()).pathname.slice(1));
    });
    await page.goto(url);
    await page.waitForFunction(() => document.body.dataset.ready === '1');
    await page.waitForLoadState('networkidle');
    const gz = (files: string[]) => files.reduce((n, f) => n + gzipSync(readFileSync(join(dist, f))).length, 0);
    const atLoad = [...scripts];
    expect(atLoad).toContain('main.js');
    measured.firstLoadGzipBytes = gz(atLoad);
    expect(gz(atLoad)).toBeLessThan(60 * 1024);
    for (const f of atLoad) expect(readFileSync(join(dist, f), 'utf8')).not.toContain('baseball');

    for (const password of PASSWORDS) {
      const verdict = JSON.parse(await page.evaluate((pw) => (window as unknown as { pwgCheck(p: string): Promise<string> }).pwgCheck(pw), password)) as unknown;
      expect(verdict).toEqual(cliVerdict(join(app, 'browser.conf'), password));
    }
    const lazy = scripts.filter((f) => !atLoad.includes(f));
    expect(lazy.length).toBeGreaterThan(0);
    measured.firstCheckGzipBytes = gz(lazy);
    expect(gz(lazy)).toBeGreaterThan(10 * gz(atLoad));
    expect(lazy.some((f) => readFileSync(join(dist, f), 'utf8').includes('baseball'))).toBe(true);
  });

  test('(c) a Node server with the runtime\'s loadChecker answers like pwguard check', async () => {
    writeFileSync(join(app, 'server.mjs'), [
      "import { createServer } from 'node:http';",
      "import { loadChecker } from '@pwguard/runtime';",
      'const { checker } = await loadChecker({ config: process.argv[2] });',
      'const server = createServer(async (req, res) => {',
      "  let body = '';",
      '  for await (const chunk of req) body += chunk;',
      '  const verdict = await checker.check(JSON.parse(body).password);',
      "  res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(verdict));",
      '});',
      "server.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${server.address().port}/`));",
      '',
    ].join('\n'));
    node = spawn(process.execPath, ['server.mjs', join(app, 'server.conf')], { cwd: app, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    node.stdout?.on('data', (b: Buffer) => (out += b.toString()));
    node.stderr?.on('data', (b: Buffer) => (out += b.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      node?.stdout?.on('data', () => {
        const m = /listening on (\S+)/.exec(out);
        if (m) resolve(m[1] as string);
      });
      node?.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${out}`)));
    });
    for (const password of [...PASSWORDS, 'password1234']) {
      const want = cliVerdict(join(app, 'server.conf'), password);
      // A connection per request (agent: false): the CLI above may take longer than the server's keep-alive.
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request(url, { method: 'POST', agent: false }, (res) => {
          let body = '';
          res.on('data', (b: Buffer) => (body += b.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', (err) => reject(new Error(`${err.message}; server output:\n${out}`)));
        req.end(JSON.stringify({ password }));
      });
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body)).toEqual(want);
    }
    // The built-in breach list (a data file of @pwguard/breach) was found: password1234 is refused for it.
    expect(JSON.stringify(cliVerdict(join(app, 'server.conf'), 'password1234'))).toMatch(/breach/);
  });
});
