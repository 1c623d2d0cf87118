// The benchmark behind scripts/bench. Prints markdown tables.
import { spawnSync } from 'node:child_process';
import { createChecker, DEFAULT_POLICY } from '../../packages/strength/dist/index.js';
import { embeddedLookup } from '../../packages/breach/dist/index.js';

const rounds = Number(process.argv[2] ?? 15);

// Deterministic pseudo-random text (xorshift), so every run checks the same inputs.
let seed = 0x2545f491;
const rand = () => ((seed ^= seed << 13), (seed ^= seed >>> 17), (seed ^= seed << 5), (seed >>> 0) / 2 ** 32);
const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const LEET = `${ALNUM}!@#$%^&*()_+-=013457@$`;
const random = (n, alphabet) => Array.from({ length: n }, () => alphabet[Math.floor(rand() * alphabet.length)]).join('');
const words = ['glacier', 'ostrich', 'lantern', 'window', 'banana', 'seventy', 'purple', 'quietly', 'horse', 'battery'];
const phrase = (n) => Array.from({ length: n }, () => words[Math.floor(rand() * words.length)]).join('-');

const SETS = {
  typical: () => [
    'Password1!', 'P@ssw0rd2024', 'Summer2024!', 'qwertyuiop123', 'correct horse battery staple',
    phrase(4), phrase(5), random(12, ALNUM), random(16, LEET), 'Football2024', 'alice-secret-99',
  ],
  adversarial: () => [
    random(256, LEET), random(200, LEET), random(128, LEET), random(64, LEET), random(32, LEET),
    'password'.repeat(32), 'ab'.repeat(128), '1234567890'.repeat(25), 'qwertyuiop'.repeat(25),
    `${'abcdefghijklmnopqrstuvwxyz'.repeat(3)}${'0123456789'.repeat(10)}`.slice(0, 256), phrase(30).slice(0, 256),
    'a'.repeat(300), random(10000, LEET), '😀'.repeat(256),
  ],
};

const checker = createChecker(DEFAULT_POLICY, { breach: embeddedLookup() });
await checker.check('warm up the dictionaries');

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
console.log('## One check in a warm process (ms)\n');
console.log('| inputs | checks | p50 | p99 | max |');
console.log('|---|---:|---:|---:|---:|');
for (const [name, make] of Object.entries(SETS)) {
  const times = [];
  for (let r = 0; r < 20; r++) {
    for (const pw of make()) {
      const t = performance.now();
      await checker.check(pw, { user: 'alice', gecos: 'Alice Liddell' });
      times.push(performance.now() - t);
    }
  }
  times.sort((a, b) => a - b);
  console.log(`| ${name} | ${times.length} | ${pct(times, 50).toFixed(2)} | ${pct(times, 99).toFixed(2)} | ${times.at(-1).toFixed(2)} |`);
}

// Fresh processes, interleaved so that machine noise hits both alike.
const wall = (cmd, args, input) => {
  const t = performance.now();
  const res = spawnSync(cmd, args, { input, stdio: ['pipe', 'ignore', 'ignore'] });
  if (res.status === null) throw new Error(`${cmd} died`);
  return performance.now() - t;
};
const cli = new URL('../../packages/cli/dist/main.js', import.meta.url).pathname;
const cases = {
  'node -e 0': () => wall(process.execPath, ['-e', '0']),
  'pwguard check (rejected early: breached)': () => wall(process.execPath, [cli, 'check'], 'password1234\n'),
  'pwguard check (full: zxcvbn scores it)': () => wall(process.execPath, [cli, 'check'], 'glacier-ostrich-lantern-47\n'),
};
const samples = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (let r = 0; r < rounds; r++) for (const [k, run] of Object.entries(cases)) samples[k].push(run());
const base = [...samples['node -e 0']].sort((a, b) => a - b);
console.log(`\n## Fresh process wall time (ms, ${rounds} interleaved rounds)\n`);
console.log('| command | p50 | min | ratio to node -e 0 (p50) |');
console.log('|---|---:|---:|---:|');
for (const [k, xs] of Object.entries(samples)) {
  const s = [...xs].sort((a, b) => a - b);
  console.log(`| ${k} | ${pct(s, 50).toFixed(0)} | ${s[0].toFixed(0)} | ${(pct(s, 50) / pct(base, 50)).toFixed(2)} |`);
}
