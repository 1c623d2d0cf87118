// Verifications per second per scheme, pwguard next to John the Ripper 1.9.0 on the same hash and
// the same wordlist in the same run, as ratios (the machine is shared and noisy: compare ratios).
// Run through scripts/bench-hashes, which builds first. Options: --seconds N (target per run).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createVerifierPool, cryptSupport } from '../dist/index.js';

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) || fallback : fallback);
const SECONDS = option('--seconds', 1);
/** Alternating rounds, best of each kept: the shared box's load comes and goes between runs. */
const ROUNDS = option('--rounds', 3);
const CORES = availableParallelism();
const SECRET = 'not-in-the-wordlist-Q7';
const work = mkdtempSync(join(tmpdir(), 'pwguard-bench-'));
const johnHome = join(work, 'home'); // john keeps its pot and sessions under $HOME/.john
mkdirSync(johnHome);

const tool = (cmd, argv, input) => execFileSync(cmd, argv, { input }).toString().trim();
const mk = (method, ...extra) => tool('mkpasswd', ['-m', method, ...extra, '-s'], SECRET);
const slap = (tag, mod) => {
  const f = join(work, 'pw');
  writeFileSync(f, SECRET, { mode: 0o600 });
  const m = mod ? ['-o', 'module-path=/usr/lib/ldap', '-o', `module-load=${mod}`] : [];
  return tool('slappasswd', ['-n', ...m, '-h', tag, '-T', f]);
};

// scheme, how the hash is made, the John formats to run on it (own SIMD code and/or crypt(3)), and
// words per --seconds: about one second of pwguard on one quiet core here. Fixed, so a loaded box
// gets as much work per run as a quiet one (sizing from a probe shrank runs into noise).
const CASES = [
  ['descrypt', () => mk('descrypt'), ['descrypt', 'crypt'], 150_000],
  ['bsdicrypt', () => mk('bsdicrypt'), ['bsdicrypt', 'crypt'], 8_000],
  ['md5crypt', () => mk('md5crypt'), ['md5crypt', 'crypt'], 6_000],
  ['apr1', () => tool('htpasswd', ['-nmi', 'u'], SECRET).split(':')[1], ['md5crypt'], 6_000],
  ['bcrypt cost 5', () => mk('bcrypt', '-R', '5'), ['bcrypt', 'crypt'], 450],
  ['sha256crypt', () => mk('sha256crypt'), ['crypt'], 400],
  ['sha512crypt', () => mk('sha512crypt'), ['crypt'], 400],
  ['yescrypt j9T', () => mk('yescrypt'), ['crypt'], 36],
  ['ldap {SSHA}', () => slap('{SSHA}'), [], 400_000],
  ['ldap {PBKDF2-SHA256} 10k', () => slap('{PBKDF2-SHA256}', 'pw-pbkdf2.la'), [], 200],
  ['ldap {ARGON2} m=4096 t=3', () => slap('{ARGON2}', 'argon2.la'), [], 32],
  ['sambaNTPassword', () => tool('mkpasswd', ['-m', 'nt', '-s'], SECRET).slice(4), [], 150_000, 'sambaNTPassword'],
];

function wordlist(n) {
  const words = Array.from({ length: n }, (_, i) => `w${i.toString(36)}x`);
  const file = join(work, `words-${n}.txt`);
  writeFileSync(file, `${words.join('\n')}\n`);
  return { words, file };
}

// Rates by wall clock and by CPU time: other processes on the shared box steal wall time, not
// CPU time, so the per-CPU-second ratio shows the implementations' own efficiency.
async function pwguardRate(pool, stored, words, source) {
  await pool.findMatch(stored, words.slice(0, 4), source ? { source } : {}); // start the workers first
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await pool.findMatch(stored, words, source ? { source } : {});
  const s = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  if (r !== -1) throw new Error('bench wordlist unexpectedly matched');
  return { rate: words.length / s, cpuRate: words.length / ((c.user + c.system) / 1e6) };
}

// John's own parallel mode for independent workers is --fork (OpenMP stalls on its barriers when
// another process holds a core); each node prints its own c/s, and they add up.
// John's start-up (loading, its self-test of the format) costs CPU whatever the wordlist: measured
// once per format on a one-word list and subtracted, as pwguard's pool is warmed up before timing.
const startupCpu = new Map();
function johnRate(stored, format, file, processes) {
  const key = `${stored}|${format}|${processes}`;
  if (!startupCpu.has(key)) {
    const one = join(work, 'one-word.txt');
    writeFileSync(one, 'x\n');
    startupCpu.set(key, johnRun(stored, format, one, processes)?.cpu ?? 0);
  }
  const run = johnRun(stored, format, file, processes);
  if (!run) return null;
  const cpu = run.cpu - startupCpu.get(key);
  return { rate: run.rate, cpuRate: cpu > 0 ? run.words / cpu : null };
}

function johnRun(stored, format, file, processes) {
  const hashes = join(work, 'hashes.txt');
  writeFileSync(hashes, `u:${stored}\n`);
  const session = join(work, `s-${format}-${processes}-${Math.random().toString(36).slice(2)}`);
  const fork = processes > 1 ? [`--fork=${processes}`] : [];
  // bash's `times` gives the CPU time of john and its forked nodes.
  const argv = [`--wordlist=${file}`, `--format=${format}`, `--session=${session}`, ...fork, hashes];
  const r = spawnSync('bash', ['-c', 'john "$@" 2>&1; times', 'john', ...argv], {
    env: { ...process.env, HOME: johnHome, OMP_NUM_THREADS: '1' }, encoding: 'utf8',
  });
  const out = `${r.stdout}\n${r.stderr}`;
  const times = out.trim().split('\n').pop() ?? '';
  const cpu = [...times.matchAll(/(\d+)m([\d.]+)s/g)].reduce((t, m) => t + Number(m[1]) * 60 + Number(m[2]), 0);
  const words = Number(execFileSync('wc', ['-l', file]).toString().trim().split(' ')[0]);
  if (/No password hashes loaded/.test(out)) return null;
  const unit = { '': 1, K: 1e3, M: 1e6, G: 1e9 };
  const last = new Map(); // node number -> its final c/s
  for (const line of out.split('\n')) {
    const m = /^(?:(\d+) )?\d+g .* ([\d.]+)([KMG]?)c\/s/.exec(line);
    if (m) last.set(m[1] ?? '1', Number(m[2]) * (unit[m[3]] ?? 1));
  }
  if (last.size === 0) return null;
  return { rate: [...last.values()].reduce((a, b) => a + b, 0), cpu, words };
}

const fmt = (x) => (x === null || x === undefined ? 'n/a' : x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(1));
const ratio = (a, b) => (a && b ? `${(a / b).toFixed(2)}x` : 'n/a');

async function main() {
  const support = cryptSupport();
  if (!support.ok) throw new Error(support.reason);
  const one = createVerifierPool({ jobs: 1 });
  const all = createVerifierPool({ jobs: CORES });
  const rows = [];
  for (const [name, make, formats, perSecond, source] of CASES) {
    const stored = make();
    const n = Math.max(8, Math.round(perSecond * SECONDS));
    const { words, file } = wordlist(n);
    let p1 = null;
    let pN = null;
    const johns = formats.map((f) => ({ f, j1: null, jN: null }));
    // Best of the rounds, separately for wall-clock and CPU-time rates.
    const best = (a, b) => (!b ? a : !a ? b : { rate: Math.max(a.rate, b.rate), cpuRate: Math.max(a.cpuRate ?? 0, b.cpuRate ?? 0) || null });
    for (let round = 0; round < ROUNDS; round++) {
      p1 = best(p1, await pwguardRate(one, stored, words, source));
      for (const j of johns) j.j1 = best(j.j1, johnRate(stored, j.f, file, 1));
      pN = best(pN, await pwguardRate(all, stored, words, source));
      for (const j of johns) j.jN = best(j.jN, johnRate(stored, j.f, file, CORES));
    }
    if (johns.length === 0) johns.push({ f: null, j1: null, jN: null });
    for (const { f, j1, jN } of johns) {
      rows.push(`| ${name} | ${n.toLocaleString('en-US')} | ${fmt(p1.rate)} | ${f ? `${fmt(j1?.rate)} (${f})` : 'n/a'} | ${ratio(p1.rate, j1?.rate)} | ${ratio(p1.cpuRate, j1?.cpuRate)} | ${fmt(pN.rate)} | ${f ? fmt(jN?.rate) : 'n/a'} | ${ratio(pN.rate, jN?.rate)} |`);
      process.stderr.write(`${rows[rows.length - 1]}\n`);
    }
  }
  await one.close();
  await all.close();
  const load = (await import('node:os')).loadavg()[0].toFixed(2);
  console.log(`Verifications/s, pwguard (VerifierPool.findMatch: worker threads over libxcrypt and the addon; Argon2 and NT in-process) vs John the Ripper 1.9.0 (--format=X --wordlist, OMP_NUM_THREADS=1, all cores = --fork=${CORES}), same hash and wordlist, ${CORES} cores, ~${SECONDS} s per run, best of ${ROUNDS} alternating rounds, load average ${load} at the end. Ratio = pwguard / John; \"per CPU-second\" divides by the CPU time each used (robust to other load).\n`);
  console.log('| scheme | words | pwguard 1 worker | John 1 process (format) | ratio | ratio per CPU-second | pwguard all cores | John --fork | ratio |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) console.log(r);
  console.log('');
  await primitives();
}

// node:crypto vs hash-wasm for the primitives where both exist: which one the schemes use.
async function primitives() {
  const { createHash, hash, pbkdf2Sync } = await import('node:crypto');
  const hw = await import('hash-wasm');
  const rate = async (fn, ms = 400) => {
    const t0 = performance.now();
    let n = 0;
    while (performance.now() - t0 < ms) { await fn(n); n++; }
    return n / ((performance.now() - t0) / 1000);
  };
  const salt = Buffer.alloc(16, 7);
  const sha1 = await hw.createSHA1();
  const md5 = await hw.createMD5();
  const rows = [
    ['PBKDF2-SHA256, 10,000 iterations', await rate((i) => pbkdf2Sync(`p${i}`, salt, 10000, 32, 'sha256')),
      await rate((i) => hw.pbkdf2({ password: `p${i}`, salt, iterations: 10000, hashLength: 32, hashFunction: hw.createSHA256(), outputType: 'binary' }))],
    ['salted SHA-1 ({SSHA})', await rate((i) => createHash('sha1').update(`p${i}`).update(salt).digest()),
      await rate((i) => { sha1.init(); sha1.update(`p${i}`); sha1.update(salt); return sha1.digest('binary'); })],
    ['MD5, 1000 rounds (apr1 body)', await rate(() => { let b = salt; for (let k = 0; k < 1000; k++) b = hash('md5', b, 'buffer'); }),
      await rate(() => { let b = salt; for (let k = 0; k < 1000; k++) { md5.init(); md5.update(b); b = md5.digest('binary'); } })],
  ];
  console.log('node:crypto vs hash-wasm (one thread, operations/s):\n');
  console.log('| primitive | node:crypto | hash-wasm | node:crypto / hash-wasm |');
  console.log('|---|---:|---:|---:|');
  for (const [name, a, b] of rows) console.log(`| ${name} | ${fmt(a)} | ${fmt(b)} | ${ratio(a, b)} |`);
}

try {
  await main();
} finally {
  rmSync(work, { recursive: true, force: true });
}
