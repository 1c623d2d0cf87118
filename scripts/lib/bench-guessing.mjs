// The guess-order benchmark (scripts/bench-guessing). The corpus, deterministic from the seed:
//  - bases: every 10th word of the built-in list's top 3,200 (ranks 10, 20, ..., 3,200) that is
//    letters only and at least 4 long. The bases ARE in the base list (rules need them there);
//    what is held out is every mangled form: a corpus password that is itself a line of the base
//    list is dropped, so no generator finds it by trying the list as written.
//  - each base gets one mangling, drawn with this distribution (our estimate of how people turn a
//    word into a password under a complexity policy; not measured):
//      25% Capitalised + year 1970-2026 + symbol (!, @, #, ., $; "!" half the time)  Sunflower2018!
//      20% lowercase + 1-3 digits ("1", "123", two digits, one digit)                 dragon77
//      15% Capitalised + 1-3 digits                                                     Dragon123
//      10% lowercase + year 1970-2026                                                  dragon1987
//      10% leet (a->@ or 4, o->0, e->3, i->1, s->$), half with one digit appended     dr4g0n5
//      10% Capitalised + "!" or "1!"                                                     Dragon1!
//      10% all caps + 1-2 digits                                                        DRAGON7
//  - plus 10% as many strong random passwords (16 letters/digits), which nobody should reach.
// Then every generator's first 10^6 candidates are read from its stdout and each corpus password's
// position noted.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const seed = Number(process.argv[2] ?? 13);
const require = createRequire(join(process.cwd(), 'packages/audit/package.json'));
const common = require('@zxcvbn-ts/language-common').dictionary['passwords-common'];
const dir = process.argv[3] ?? mkdtempSync(join(tmpdir(), 'pwguard-bench-guessing-'));
const W = join(dir, 'base.txt');
writeFileSync(W, common.join('\n') + '\n');

let s = seed >>> 0;
const rnd = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
const pick = (a) => a[Math.floor(rnd() * a.length)];
const cap = (w) => w[0].toUpperCase() + w.slice(1);
const year = () => String(1970 + Math.floor(rnd() * 57));
const digits = () => pick(['1', '123', String(10 + Math.floor(rnd() * 90)), String(Math.floor(rnd() * 10))]);
const symbol = () => (rnd() < 0.5 ? '!' : pick(['!', '@', '#', '.', '$']));
const leet = (w) => w.replace(/a/g, pick(['@', '4'])).replace(/o/g, '0').replace(/e/g, '3').replace(/i/g, '1').replace(/s/g, '$');
const MANGLES = [
  [0.25, 'Cap+year+symbol', (w) => cap(w) + year() + symbol()],
  [0.2, 'word+digits', (w) => w + digits()],
  [0.15, 'Cap+digits', (w) => cap(w) + digits()],
  [0.1, 'word+year', (w) => w + year()],
  [0.1, 'leet', (w) => leet(w) + (rnd() < 0.5 ? String(Math.floor(rnd() * 10)) : '')],
  [0.1, 'Cap+!', (w) => cap(w) + pick(['!', '1!'])],
  [0.1, 'UPPER+digits', (w) => w.toUpperCase() + String(Math.floor(rnd() * (rnd() < 0.5 ? 10 : 100)))],
];
const inList = new Set(common);
const corpus = [];
for (let r = 10; r <= 3200; r += 10) {
  const w = common[r - 1];
  if (!/^[a-z]{4,}$/.test(w)) continue;
  let x = rnd();
  const m = MANGLES.find(([p]) => (x -= p) < 0) ?? MANGLES[0];
  const pw = m[2](w);
  if (!inList.has(pw)) corpus.push({ pw, kind: m[1] });
}
const weak = corpus.length;
for (let i = 0; i < Math.round(weak / 10); i++) corpus.push({ pw: Array.from({ length: 16 }, () => pick('abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789')).join(''), kind: 'strong' });
writeFileSync(join(dir, 'corpus.txt'), corpus.map((c) => c.pw).join('\n') + '\n');
writeFileSync(join(dir, 'kinds.txt'), corpus.map((c) => c.kind).join('\n') + '\n');
// `--corpus-only`: just the corpus (scripts/bench-cracking hashes it), no generators.
if (process.argv.includes('--corpus-only')) {
  console.log(`corpus: ${weak} mangled, ${corpus.length - weak} strong (seed ${seed}) in ${dir}`);
  process.exit(0);
}

const MAX = 1_000_000;
const CUTS = [1e4, 1e5, 1e6];
const HC = '/usr/share/hashcat/rules';
const generators = [
  ['pwguard guesses (built-in rules)', process.execPath, ['packages/cli/dist/main.js', 'guesses', '--user', 'x', '--max', String(MAX)]],
  ['john --wordlist --rules (1.9.0 default)', 'john', ['--stdout', `--wordlist=${W}`, '--rules']],
  ['hashcat -r best64.rule', 'hashcat', ['--stdout', '-r', `${HC}/best64.rule`, W]],
  ...(existsSync(`${HC}/rockyou-30000.rule`) ? [['hashcat -r rockyou-30000.rule', 'hashcat', ['--stdout', '-r', `${HC}/rockyou-30000.rule`, W]]] : []),
  ['pwguard guesses --rules best64.rule', process.execPath, ['packages/cli/dist/main.js', 'guesses', '--user', 'x', '--max', String(MAX), '--rules', `${HC}/best64.rule`]],
];

async function positions(cmd, args) {
  const want = new Map(corpus.map((c, i) => [c.pw, i]));
  const at = new Array(corpus.length).fill(Infinity);
  const started = process.hrtime.bigint();
  const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, HOME: dir } });
  const rl = createInterface({ input: p.stdout, crlfDelay: Infinity });
  let n = 0;
  for await (const line of rl) {
    n++;
    const i = want.get(line);
    if (i !== undefined && at[i] === Infinity) at[i] = n;
    if (n >= MAX) break;
  }
  p.kill();
  return { at, n, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

console.log(`corpus: ${weak} mangled passwords from ${corpus.filter((c) => c.kind !== 'strong').length} bases (seed ${seed}), ${corpus.length - weak} strong; files in ${dir}`);
const kinds = [...new Set(corpus.map((c) => c.kind))];
console.log(`by kind: ${kinds.map((k) => `${k} ${corpus.filter((c) => c.kind === k).length}`).join(', ')}`);
console.log('\n| generator | within 10^4 | within 10^5 | within 10^6 | candidates read | seconds |\n|---|---|---|---|---|---|');
const results = [];
for (const [name, cmd, args] of generators) {
  const r = await positions(cmd, args);
  results.push([name, r]);
  const counts = CUTS.map((c) => r.at.filter((x) => x <= c).length);
  console.log(`| ${name} | ${counts.join(' | ')} | ${r.n.toLocaleString('en-US')} | ${r.seconds.toFixed(1)} |`);
}
console.log('\nfound within 10^6, by kind:');
for (const [name, r] of results) {
  console.log(`  ${name}: ${kinds.map((k) => `${k} ${corpus.filter((c, i) => c.kind === k && r.at[i] <= MAX).length}`).join(', ')}`);
}
