// scripts/bench-pam: wall time and peak memory of one whole hook run (a fresh process per password
// change, as pam_exec starts it), next to `node -e 0`, passwdqc's pwqcheck and a naive Node process,
// in one run, commands interleaved round by round so load spikes hit all alike.
//   node packages/pam/bench/run.mjs [--runs N]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hookLauncher } from '../dist/index.js';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1] || 15) || 15;
const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const bundleDir = here('../dist/hook');
const dir = mkdtempSync(join(tmpdir(), 'pwguard-bench-pam-'));
const config = join(dir, 'pwguard.conf');
writeFileSync(config, 'enforce_for_root = 1\n');
const hook = join(dir, 'pwguard-pam-hook');
writeFileSync(hook, hookLauncher(process.execPath, bundleDir, config), { mode: 0o755 });
const bare = join(dir, 'pwguard-pam-hook-no-ranked');
writeFileSync(bare, hookLauncher(process.execPath, bundleDir, config).replace(/rankedFile: "[^"]*"/, `rankedFile: "${dir}/none.bin"`), { mode: 0o755 });

// A breach store as a site would configure it (here from a synthetic 1M-line wordlist), so the
// built-in list (decompressed and indexed at every start) is not what is measured in that row.
const words = join(dir, 'words.txt');
writeFileSync(words, Array.from({ length: 1_000_000 }, (_v, i) => `pw${(i * 2654435761) % 4294967296}x${i}`).join('\n'));
const store = join(dir, 'store.pwg');
const built = spawnSync(process.execPath, [here('../../cli/dist/main.js'), 'breach', 'build', '-k', 'plaintext', '-o', store, words], { encoding: 'utf8' });
if (built.status !== 0) throw new Error(`breach build: ${built.stderr}`);
const storeConfig = join(dir, 'store.conf');
writeFileSync(storeConfig, `enforce_for_root = 1\nbreach_store = ${store}\n`);
const withStore = join(dir, 'pwguard-pam-hook-store');
writeFileSync(withStore, hookLauncher(process.execPath, bundleDir, storeConfig), { mode: 0o755 });

// The resident checker, as `pwguard pam-daemon` runs it, and a launcher that asks it first.
const socket = join(dir, 'checker.sock');
const daemon = spawn(process.execPath, [here('../../cli/dist/main.js'), 'pam-daemon', '--socket', socket], { env: { PWGUARD_CONFIG: config }, stdio: 'ignore' });
for (let i = 0; i < 300 && !existsSync(socket); i++) await new Promise((r) => setTimeout(r, 100));
if (!existsSync(socket)) throw new Error('pam-daemon did not start');
const fast = join(dir, 'pwguard-pam-hook-daemon');
writeFileSync(fast, hookLauncher(process.execPath, bundleDir, undefined, socket), { mode: 0o755 });

const STRONG = 'Mauve-Tractor-Quill-8812';
const pam = { PAM_TYPE: 'password', PAM_USER: 'root', PAM_SERVICE: 'passwd' };
const COMMANDS = [
  { name: 'node -e 0', argv: [process.execPath, '-e', '0'], input: '' },
  { name: "passwdqc pwqcheck -1", argv: ['/usr/bin/pwqcheck', '-1'], input: `${STRONG}\n` },
  { name: 'naive Node (unbundled, builds zxcvbn)', argv: [process.execPath, here('./naive.mjs')], input: STRONG },
  { name: 'pwguard hook, strong (full check)', argv: [hook], input: STRONG, env: pam },
  { name: 'pwguard hook, weak (cheap rules refuse)', argv: [hook], input: 'password123', env: pam },
  { name: 'pwguard hook, strong, 1M-entry breach store', argv: [withStore], input: STRONG, env: pam },
  { name: 'pwguard hook, strong, resident checker', argv: [fast], input: STRONG, env: pam },
  { name: 'pwguard hook without ranked file', argv: [bare], input: STRONG, env: pam },
];

const times = COMMANDS.map(() => []);
const rss = COMMANDS.map(() => 0);
const stat = join(dir, 'time.out');
for (let round = 0; round < runs + 1; round++) {
  COMMANDS.forEach((c, i) => {
    const t0 = process.hrtime.bigint();
    const r = spawnSync('/usr/bin/time', ['-f', '%M', '-o', stat, ...c.argv], { input: c.input, env: c.env ?? {}, encoding: 'utf8' });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.error) throw r.error;
    if (round === 0) return; // warm-up: page cache
    times[i].push(ms);
    rss[i] = Math.max(rss[i], Number(readFileSync(stat, 'utf8').trim().split('\n').pop()) / 1024);
  });
}
daemon.kill();
rmSync(dir, { recursive: true, force: true });

const median = (a) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]; };
const base = median(times[0]);
const naive = median(times[2]);
console.log(`bench-pam: ${runs} runs each, interleaved; wall time per whole process (ms), peak RSS (MB)`);
console.log('command'.padEnd(44), 'median'.padStart(7), 'min'.padStart(7), 'x node-e-0'.padStart(11), 'x naive'.padStart(8), 'peak MB'.padStart(8));
COMMANDS.forEach((c, i) => {
  const m = median(times[i]);
  console.log(c.name.padEnd(44), m.toFixed(0).padStart(7), Math.min(...times[i]).toFixed(0).padStart(7),
    (m / base).toFixed(2).padStart(11), (m / naive).toFixed(2).padStart(8), rss[i].toFixed(0).padStart(8));
});
