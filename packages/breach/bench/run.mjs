// scripts/bench-breach: pwguard's breach store next to passwdqc's pwqfilter on the same generated
// HIBP data in one run: bytes/entry, build time, batch lookups/s, false-positive rate, as ratios.
//   --entries N    random HIBP entries (default 1,000,000; docs/performance.md records 10,000,000)
//   --lookups M    hashes per lookup batch (default 1,000,000)
//   --rounds R     alternating build rounds, best kept (default 2)
//   --keep DIR     keep data and stores in DIR; an earlier run's DIR/hibp.txt and DIR/gen.json
//                  (scripts/gen-hibp's output and its JSON) are reused, not generated again
//   --inproc 0|1   also build with the library in this process (default: 1 up to 50M entries)
//   --pwqfilter 0  pwguard alone (pwqfilter's columns n/a): a size pwqfilter's build does not fit
//   --verify 0     skip `breach verify` (it reads the whole store)
// Large runs (docs/performance.md, "Breach store at HIBP size"): the input is generated once and
// read by both programs (pwqfilter from stdin); builds report peak RSS (/usr/bin/time) and the
// temporary disk they used (their --temp-dir polled with du; pwguard's staging folder beside the store).
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, fstatSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const { openStore, buildStore } = await import(join(root, 'packages/breach/dist/index.js'));
const { random32 } = await import(join(root, 'packages/breach/dist/gen.js'));

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
const N = Number(args.entries ?? 1_000_000);
const M = Number(args.lookups ?? 1_000_000);
const ROUNDS = Number(args.rounds ?? 2);
const INPROC = args.inproc === undefined ? N <= 50_000_000 : args.inproc === '1';
// --pwqfilter 0: pwguard alone (a size where pwqfilter's build would not fit the time; its columns say n/a).
const PWQ = args.pwqfilter !== '0';
const dir = args.keep ? (mkdirSync(args.keep, { recursive: true }), args.keep) : mkdtempSync(join(tmpdir(), 'bench-breach-'));
const cli = join(root, 'packages/cli/dist/main.js');
const log = (m) => process.stderr.write(`${m}\n`);

function timed(cmd, argv, stdinPath) {
  const fd = stdinPath ? openSync(stdinPath, 'r') : 'ignore';
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, { stdio: [fd, 'pipe', 'pipe'], maxBuffer: 1 << 30, encoding: 'latin1' });
  const seconds = Number(process.hrtime.bigint() - t) / 1e9;
  if (typeof fd === 'number') closeSync(fd);
  if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd} ${argv.join(' ')}: exit ${r.status}: ${r.stderr}`);
  return { seconds, out: r.stdout, err: r.stderr, status: r.status };
}

function randomHex(next) {
  let s = '';
  for (let k = 0; k < 5; k++) s += next().toString(16).padStart(8, '0').toUpperCase();
  return s;
}

/** Hashes of the input file at evenly spaced offsets (the line after each), for lookups that hit. */
function sampleHashes(path, want) {
  const out = [];
  const fd = openSync(path, 'r');
  const size = fstatSync(fd).size;
  const buf = Buffer.alloc(256);
  for (let i = 0; i < want; i++) {
    const at = Math.floor((i * size) / want);
    const got = readSync(fd, buf, 0, buf.length, at);
    const start = at === 0 ? 0 : buf.indexOf(10) + 1;
    if (start <= 0 || start + 40 > got) continue;
    out.push(buf.toString('latin1', start, start + 40));
  }
  closeSync(fd);
  return out;
}

/** Size in bytes of everything under `path` (du), 0 when it is gone. */
function du(path) {
  const r = spawnSync('du', ['-sb', path], { encoding: 'utf8' });
  return r.status === 0 ? Number(r.stdout.split('\t')[0]) : 0;
}

/** A command under /usr/bin/time: seconds, peak RSS, and the peak size of the folders it writes temporaries in. */
function measured(cmd, argv, stdinPath, watch = []) {
  return new Promise((resolveRun, reject) => {
    const timeFile = join(dir, 'time.out');
    const fd = stdinPath ? openSync(stdinPath, 'r') : 'ignore';
    const t = process.hrtime.bigint();
    const child = spawn('/usr/bin/time', ['-f', '%M', '-o', timeFile, cmd, ...argv], { stdio: [fd, 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (b) => { err += b; if (err.length > 1e6) err = err.slice(-1e5); });
    let peakTemp = 0;
    const poll = setInterval(() => { peakTemp = Math.max(peakTemp, watch.reduce((s, w) => s + du(w), 0)); }, 2000);
    child.once('exit', (code) => {
      clearInterval(poll);
      if (typeof fd === 'number') closeSync(fd);
      const seconds = Number(process.hrtime.bigint() - t) / 1e9;
      if (code !== 0) return reject(new Error(`${cmd} ${argv.join(' ')}: exit ${code}: ${err.slice(-2000)}`));
      resolveRun({ seconds, peakKB: Number(readFileSync(timeFile, 'utf8').trim().split('\n').pop()), peakTemp });
    });
  });
}

const startLoad = loadavg()[0].toFixed(1);
log(`generating ${N.toLocaleString('en-US')} entries in ${dir}`);
const input = join(dir, 'hibp.txt');
const genJson = join(dir, 'gen.json');
let genSeconds;
if (args.keep && existsSync(input) && existsSync(genJson)) {
  log(`reusing ${input}`);
} else {
  const gen = timed('node', [join(root, 'packages/breach/dist/gen-cli.js'), '--entries', String(N), '--out', input, '--plant', '10']);
  writeFileSync(genJson, gen.out);
  genSeconds = gen.seconds;
}
const planted = JSON.parse(readFileSync(genJson, 'utf8')).planted;
const inputBytes = statSync(input).size;
const next = random32(12345);
const absent = Array.from({ length: M }, () => randomHex(next));
writeFileSync(join(dir, 'absent.txt'), `${absent.join('\n')}\n`);
const present = sampleHashes(input, Math.min(M, N));
writeFileSync(join(dir, 'present.txt'), `${present.join('\n')}\n`);
writeFileSync(join(dir, 'one.txt'), `${absent[0]}\n`);

const ours = join(dir, 'store.pwg');
const pwq = join(dir, 'filter.pwq');
const build = { ours: Infinity, pwq: Infinity };
const mem = { ours: 0, pwq: 0 };
let oursTemp = 0;
const tempDir = join(dir, 'tmp');
mkdirSync(tempDir, { recursive: true });
for (let r = 0; r < ROUNDS; r++) {
  log(`build round ${r + 1}/${ROUNDS}`);
  // The staging folder (.store.pwg.build-*) sits beside the store: watch the store's folder less the input.
  const o = await measured('node', [cli, 'breach', 'build', '--temp-dir', tempDir, '-o', ours, input], undefined, [tempDir]);
  build.ours = Math.min(build.ours, o.seconds);
  mem.ours = Math.max(mem.ours, o.peakKB);
  oursTemp = Math.max(oursTemp, o.peakTemp);
  log(`  pwguard ${o.seconds.toFixed(1)} s, ${(o.peakKB / 1024).toFixed(0)} MiB peak, temp ${o.peakTemp} bytes`);
  if (!PWQ) continue;
  const q = await measured('pwqfilter', [`--create=${Math.ceil(N * 1.03) + 100}`, '--pre-hashed', '-o', pwq], input);
  build.pwq = Math.min(build.pwq, q.seconds);
  mem.pwq = Math.max(mem.pwq, q.peakKB);
  log(`  pwqfilter ${q.seconds.toFixed(1)} s, ${(q.peakKB / 1024).toFixed(0)} MiB peak`);
}
// The library alone (no CLI start-up), after the CLI rounds: what a long-running service pays.
let buildInProcess = NaN;
if (INPROC) {
  const t1 = process.hrtime.bigint();
  await buildStore({ inputs: [input], output: join(dir, 'inproc.pwg') });
  buildInProcess = Number(process.hrtime.bigint() - t1) / 1e9;
  rmSync(join(dir, 'inproc.pwg'), { force: true });
}
log('verify');
const verifyRun = args.verify === '0' ? { seconds: NaN } : timed('node', [cli, 'breach', 'verify', ours]);
const pwqSize = PWQ ? statSync(pwq).size : NaN;
if (!PWQ) { build.pwq = NaN; mem.pwq = NaN; }
const bytes = { ours: statSync(ours).size / (N + planted.length), pwq: pwqSize / (N + planted.length) };

// Batch lookups through each program's command line (startup and loading subtracted).
function batch(run) {
  const one = Math.min(...[0, 1, 2].map(() => run('one.txt').seconds));
  const fulls = [0, 1, 2].map(() => run('absent.txt'));
  const full = fulls.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  return { rate: M / Math.max(1e-6, full.seconds - one), full };
}
log('batch lookups');
const oursRun = (f) => timed('node', [cli, 'breach', 'lookup', '--hash', '--store', ours], join(dir, f));
const pwqRun = (f) => timed('pwqfilter', ['-f', pwq, '-c'], join(dir, f));
const oursBatch = batch(oursRun);
const pwqBatch = PWQ ? batch(pwqRun) : { rate: NaN, full: { out: 'NaN' } };
const fpOurs = oursBatch.full.out.split('\n').filter((l) => l !== '' && l !== '0').length;
const fpPwq = Number(pwqBatch.full.out.trim());
const foundOurs = oursRun('present.txt').out.split('\n').filter((l) => l !== '' && l !== '0').length;
const foundPwq = PWQ ? Number(pwqRun('present.txt').out.trim()) : NaN;
const status = PWQ ? (({ out, err }) => out + err)(timed('pwqfilter', ['-f', pwq, '--status'])) : '';
// pwqfilter's own FP test makes 2^30 probes (8 minutes here); its --status gives the bound instead:
// a probe compares with two buckets of 4 fingerprints of at least F bits, filled to `load`.
const fpBits = Number(/at least (\d+)-bit fingerprints/.exec(status)?.[1] ?? NaN);
const load = Number(/load ([\d.]+)%/.exec(status)?.[1] ?? NaN) / 100;
const pwqDesigned = (8 * load) / 2 ** fpBits;

// In-process (ours only): precomputed digests, warm (preloaded) and cold (two preads each).
log('in-process lookups');
const leads = new Uint32Array(M * 3);
for (let i = 0; i < leads.length; i++) leads[i] = next();
const lead = { w0: 0, w1: 0, w2: 0 };
const warm = openStore(ours, { preload: true });
let best = 0;
for (let r = 0; r < 3; r++) {
  const t = process.hrtime.bigint();
  let hits = 0;
  for (let i = 0; i < leads.length; i += 3) {
    lead.w0 = leads[i];
    lead.w1 = leads[i + 1];
    lead.w2 = leads[i + 2];
    if (warm.countLead(lead) > 0) hits++;
  }
  best = Math.max(best, M / (Number(process.hrtime.bigint() - t) / 1e9));
}
let bestHex = 0;
for (let r = 0; r < 3; r++) {
  const t = process.hrtime.bigint();
  for (const h of present) warm.countDigest(h);
  bestHex = Math.max(bestHex, present.length / (Number(process.hrtime.bigint() - t) / 1e9));
}
const pws = Array.from({ length: 100_000 }, (_, i) => `candidate-${i}`);
let t0 = process.hrtime.bigint();
for (const pw of pws) await warm.count(pw);
const hashed = pws.length / (Number(process.hrtime.bigint() - t0) / 1e9);
warm.close();
// Cold: the store's pages dropped from the page cache first (dd iflag=nocache: posix_fadvise DONTNEED).
spawnSync('dd', [`if=${ours}`, 'iflag=nocache', 'count=0', 'status=none']);
const cold = openStore(ours);
t0 = process.hrtime.bigint();
const coldFirst = [];
for (let i = 0; i < 1000; i++) {
  const t = process.hrtime.bigint();
  lead.w0 = leads[3 * i]; lead.w1 = leads[3 * i + 1]; lead.w2 = leads[3 * i + 2];
  cold.countLead(lead);
  coldFirst.push(Number(process.hrtime.bigint() - t) / 1e3);
}
coldFirst.sort((a, b) => a - b);
const coldDiskRate = 1000 / (Number(process.hrtime.bigint() - t0) / 1e9);
// /range answers as the web example sends them: real entries padded to one size for the store's entry count.
const { rangeBody, storeRangeSource } = await import(join(root, 'packages/web-example/dist/range.js'));
const rangeSource = storeRangeSource(cold);
const rangeSizes = new Set();
let rangeMax = 0;
let rangeReal = 0;
const RANGES = 2000;
t0 = process.hrtime.bigint();
for (let i = 0; i < RANGES; i++) {
  const prefix = (next() >>> 12).toString(16).padStart(5, '0');
  rangeMax = Math.max(rangeMax, rangeSource.entries(prefix.toUpperCase()).length);
  rangeReal += rangeSource.entries(prefix.toUpperCase()).length;
  rangeSizes.add(Buffer.byteLength(rangeBody(rangeSource, prefix)));
}
const rangeMs = Number(process.hrtime.bigint() - t0) / 1e6 / RANGES;
spawnSync('dd', [`if=${ours}`, 'of=/dev/null', 'bs=4M', 'status=none']); // back into the page cache
t0 = process.hrtime.bigint();
const coldN = Math.min(50_000, M);
for (let i = 0; i < coldN * 3; i += 3) {
  lead.w0 = leads[i];
  lead.w1 = leads[i + 1];
  lead.w2 = leads[i + 2];
  cold.countLead(lead);
}
const coldRate = coldN / (Number(process.hrtime.bigint() - t0) / 1e9);
const designed = cold.falsePositiveRate;
cold.close();

const fmt = (x, d = 2) => (Number.isFinite(x) ? x.toLocaleString('en-US', { maximumFractionDigits: d }) : 'n/a');
const fpText = (n) => (Number.isNaN(n) ? 'n/a' : `${n} of ${fmt(M, 0)}`);
const rows = [
  ['bytes/entry', `${fmt(bytes.ours, 3)} (7-bit counts)`, `${fmt(bytes.pwq, 3)} (no counts)`, fmt(bytes.ours / bytes.pwq, 2)],
  ['build time, s (sorted HASH:COUNT file, best of rounds)', fmt(build.ours, 2), fmt(build.pwq, 2), fmt(build.ours / build.pwq, 2)],
  ['peak memory of the build, MiB (max RSS)', fmt(mem.ours / 1024, 0), fmt(mem.pwq / 1024, 0), fmt(mem.ours / mem.pwq, 2)],
  ['store size, bytes', fmt(statSync(ours).size, 0), fmt(pwqSize, 0), fmt(statSync(ours).size / pwqSize, 2)],
  ['build time, s, pwguard library in-process (one round)', fmt(buildInProcess, 2), fmt(build.pwq, 2), fmt(buildInProcess / build.pwq, 2)],
  [`batch lookups/s (CLI, ${fmt(M, 0)} hex hashes, startup subtracted)`, fmt(oursBatch.rate, 0), fmt(pwqBatch.rate, 0), fmt(oursBatch.rate / pwqBatch.rate, 2)],
  ['false-positive rate, designed (pwqfilter: upper bound from --status)', designed.toExponential(2), Number.isFinite(pwqDesigned) ? `<= ${pwqDesigned.toExponential(2)}` : 'n/a', ''],
  ['false positives measured (absent random hashes)', fpText(fpOurs), fpText(fpPwq), ''],
  ['found (present hashes)', `${foundOurs} of ${present.length}`, Number.isNaN(foundPwq) ? 'n/a' : `${foundPwq} of ${present.length}`, ''],
];
const out = [
  `Load average at start ${startLoad}, at end ${loadavg()[0].toFixed(1)} (2 cores).`,
  `Breach store vs pwqfilter: ${fmt(N + planted.length, 0)} SHA-1 entries (scripts/gen-hibp), ${fmt(M, 0)} lookups, ${ROUNDS} build round(s)`,
  '',
  '| | pwguard | pwqfilter | pwguard / pwqfilter |',
  '|---|---|---|---|',
  ...rows.map((r) => `| ${r.join(' | ')} |`),
  '',
  'pwguard in-process (one Node process, no hashing unless said):',
  `- warm (preloaded) lookups of precomputed digests: ${fmt(best, 0)}/s`,
  `- warm lookups of hex digests (parse + lookup): ${fmt(bestHex, 0)}/s`,
  `- warm lookups of passwords (SHA-1 + lookup): ${fmt(hashed, 0)}/s`,
  `- cold lookups, store dropped from the page cache first: first 1,000 at ${fmt(coldDiskRate, 0)}/s (median ${fmt(coldFirst[500], 0)} µs, p99 ${fmt(coldFirst[990], 0)} µs)`,
  `- cold lookups (two preads + bucket CRC each, page cache warm): ${fmt(coldRate, 0)}/s`,
  '',
  `Input: ${fmt(inputBytes, 0)} bytes of text${genSeconds === undefined ? ' (reused)' : `, generated in ${fmt(genSeconds, 1)} s`}; pwguard build temporary disk (--temp-dir, peak, du every 2 s): ${fmt(oursTemp, 0)} bytes.`,
  `breach verify: ${fmt(verifyRun.seconds, 2)} s (${fmt(statSync(ours).size / 1048576 / verifyRun.seconds, 0)} MiB/s).`,
  `/range (web example, cold store, ${fmt(RANGES, 0)} random prefixes): ${fmt(rangeMs, 3)} ms an answer, entries per range mean ${fmt(rangeReal / RANGES, 1)}, max ${rangeMax}, padded to ${rangeSource.lines} lines; answer sizes seen: ${[...rangeSizes].join(', ')} bytes.`,
  '',
];
process.stdout.write(out.join('\n'));
rmSync(tempDir, { recursive: true, force: true });
if (!args.keep) rmSync(dir, { recursive: true, force: true });
