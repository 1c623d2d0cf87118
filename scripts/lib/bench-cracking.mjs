// The cracking benchmark (scripts/bench-cracking; issue 13 item 4): one corpus, per scheme the same
// accounts hashed by an independent tool, then side by side in one run, each with the same wall
// time and the same cores (one after the other, so they never compete with each other):
//   - John the Ripper 1.9.0: `--single`, then `--wordlist=BASE --rules` for the time left
//     (--fork=JOBS; md5crypt and bcrypt in John's own code, sha512crypt and yescrypt through
//     --format=crypt; John core has no {SSHA});
//   - hashcat (Debian's, OpenCL on the CPU through PoCL): `-a 0 -r best64.rule BASE` (no
//     yescrypt mode; -O, its optimised kernels, which skip candidates longer than 15 for md5crypt);
//     its kernels are built once before the timed run (a warm-up on one hash), as
//     on any machine that has run hashcat before;
//   - pwguard: the audit library (scripts/lib/bench-cracking-pwguard.mjs), --jobs JOBS, the
//     built-in lists and weighted rules, no judging.
// BASE is the built-in 49,233-word common list for all three (DIR/base.txt). Each tool's finds are
// timed (John: its log's elapsed times; hashcat: --outfile-format 5 timestamps; pwguard: its
// progress callback), and its CPU seconds measured with /usr/bin/time. Prints one markdown row per
// scheme and tool.
//   node bench-cracking.mjs DIR JOBS SCHEME:EVERY:SECONDS...
// DIR holds corpus.txt and base.txt (bench-guessing.mjs --corpus-only); EVERY=K keeps every K-th
// corpus password for that scheme (fewer accounts: more guesses each in the same time).
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const [dir, jobsArg, ...specs] = process.argv.slice(2);
const jobs = Number(jobsArg);
const corpus = readFileSync(join(dir, 'corpus.txt'), 'utf8').split('\n').filter(Boolean);
const base = join(dir, 'base.txt');
const RULES = '/usr/share/hashcat/rules/best64.rule';
const MAX_GUESSES = Number(process.env.BENCH_MAX_GUESSES ?? 300_000);
/** BENCH_TOOLS=john,pwguard runs only those (a quick check of the script). */
const tools = (process.env.BENCH_TOOLS ?? 'john,hashcat,pwguard').split(',');

/** How each scheme is hashed (an independent tool, one password at a time on stdin or a file). */
function hash(scheme, pw, tmp) {
  const file = join(tmp, 'pw');
  writeFileSync(file, pw, { mode: 0o600 });
  const mk = (m) => execFileSync('mkpasswd', ['-m', m, '-s'], { input: pw }).toString().trim();
  switch (scheme) {
    case 'md5crypt': return execFileSync('openssl', ['passwd', '-1', '-stdin'], { input: pw }).toString().trim();
    case 'sha512crypt': return mk('sha512crypt');
    case 'yescrypt': return mk('yescrypt');
    case 'bcrypt': return mk('bcrypt');
    case 'ssha': return execFileSync('slappasswd', ['-h', '{SSHA}', '-T', file]).toString().trim();
  }
  throw new Error(`unknown scheme ${scheme}`);
}
const JOHN_FORMAT = { md5crypt: 'md5crypt', bcrypt: 'bcrypt', sha512crypt: 'crypt', yescrypt: 'crypt' };
const HASHCAT_MODE = { md5crypt: 500, sha512crypt: 1800, bcrypt: 3200, ssha: 111 };

/** Run a command under /usr/bin/time for at most `secs`; resolves with its CPU seconds. */
function timed(cmd, args, secs, opts = {}) {
  return new Promise((resolve) => {
    const tf = join(opts.cwd ?? dir, `.time-${process.hrtime.bigint()}`);
    const p = spawn('nice', ['-n', '15', '/usr/bin/time', '-o', tf, '-f', '%U %S', 'timeout', '-k', '5', String(Math.max(1, Math.round(secs))), cmd, ...args], { stdio: ['ignore', opts.stdout ?? 'ignore', 'ignore'], cwd: opts.cwd });
    let out = '';
    p.stdout?.on('data', (d) => { out += d; });
    p.on('close', () => {
      let cpu = NaN;
      try {
        const nums = readFileSync(tf, 'utf8').trim().split('\n').pop().split(' ').map(Number);
        cpu = nums[0] + nums[1];
      } catch { /* killed before time wrote */ }
      resolve({ cpu, out });
    });
  });
}

/** John with a private ~/.john (John 1.9.0 core has no --pot): a private mount namespace. */
function johnArgs(work, args) {
  return ['-m', 'sh', '-c', `mount --bind '${work}/dotjohn' "$HOME/.john" && cd '${work}' && exec john ${args.join(' ')}`];
}

/** Seconds from the log's start of each "+ Cracked" line (John writes D:HH:MM:SS). */
function johnTimes(work) {
  const log = join(work, 'dotjohn', 'john.log');
  if (!existsSync(log)) return [];
  const sessions = [];
  let cur = null;
  for (const line of readFileSync(log, 'utf8').split('\n')) {
    const m = /(\d+):(\d\d):(\d\d):(\d\d) (.*)$/.exec(line);
    if (!m) continue;
    const t = ((Number(m[1]) * 24 + Number(m[2])) * 60 + Number(m[3])) * 60 + Number(m[4]);
    if (/Starting a new session/.test(m[5]) || cur === null) { cur = []; sessions.push(cur); }
    if (/\+ Cracked/.test(m[5])) cur.push(t);
  }
  return sessions;
}

const rows = [];
for (const spec of specs) {
  const [scheme, everyS, secsS] = spec.split(':');
  const every = Number(everyS);
  const secs = Number(secsS);
  const work = mkdtempSync(join(dir, `${scheme}-`));
  mkdirSync(join(work, 'dotjohn'));
  const pws = corpus.filter((_, i) => (i + 1) % every === 0);
  const tmp = mkdtempSync(join(work, 'h-'));
  const hashes = pws.map((pw) => hash(scheme, pw, tmp));
  const users = pws.map((_, i) => `u${String(i + 1).padStart(4, '0')}`);
  writeFileSync(join(work, 'shadow'), users.map((u, i) => `${u}:${hashes[i]}:20000:0:99999:7:::`).join('\n') + '\n');
  writeFileSync(join(work, 'hashes'), hashes.join('\n') + '\n');
  console.log(`\n${scheme}: ${pws.length} accounts (every ${every}th corpus password), ${secs} s each, ${jobs} cores; ${hashes[0].slice(0, 12)}...`);
  const result = (tool, times, cpu, note = '') => {
    times.sort((a, b) => a - b);
    rows.push({ scheme, tool, found: times.length, times, cpu, secs, n: pws.length, note });
    console.log(`  ${tool}: ${times.length} found; at s ${times.map((t) => t.toFixed(0)).join(' ')}; cpu ${cpu.toFixed(0)} s ${note}`);
  };

  // John: --single, then --wordlist --rules for the time left.
  if (!tools.includes('john')) { /* skipped */ } else if (JOHN_FORMAT[scheme]) {
    const fmt = `--format=${JOHN_FORMAT[scheme]}`;
    const t0 = Date.now();
    const a = await timed('unshare', johnArgs(work, ['--single', fmt, `--fork=${jobs}`, 'shadow']), secs);
    const used = (Date.now() - t0) / 1000;
    const b = used < secs - 1 ? await timed('unshare', johnArgs(work, [`--wordlist=${base}`, '--rules', fmt, `--fork=${jobs}`, 'shadow']), secs - used) : { cpu: 0 };
    const s = johnTimes(work);
    const single = s[0] ?? [];
    const times = [...single, ...(s.slice(1).flat().map((t) => t + used))];
    result('John 1.9.0', times, a.cpu + b.cpu, `(--single ${used.toFixed(0)} s: ${single.length})`);
  } else console.log('  John 1.9.0: no such format in John core');

  // hashcat: warm the kernel cache on one hash (not timed), then the timed run.
  if (!tools.includes('hashcat')) { /* skipped */ } else if (HASHCAT_MODE[scheme] !== undefined) {
    const m = String(HASHCAT_MODE[scheme]);
    const hc = (extra, file, t, stdout) => timed('hashcat', ['-m', m, '-a', '0', '-r', RULES, '-O', '--force', '-w', '3', '--quiet', '--status', '--status-timer', '30',
      `--potfile-path=${work}/hc.pot`, '--session', `b${process.pid}`, ...extra, file, base], t, { cwd: work, stdout });
    writeFileSync(join(work, 'one'), hashes[0] + '\n');
    await hc(['--potfile-disable', '--runtime', '5'], join(work, 'one'), 900);
    const start = Date.now() / 1000;
    const r = await hc(['--outfile', `${work}/hc.out`, '--outfile-format', '5,2'], join(work, 'hashes'), secs);
    const out = existsSync(join(work, 'hc.out')) ? readFileSync(join(work, 'hc.out'), 'utf8').split('\n').filter(Boolean) : [];
    result('hashcat -r best64', out.map((l) => Number(l.split(':')[0]) - start), r.cpu);
  } else console.log('  hashcat: no mode for this scheme');

  // pwguard.
  const here = new URL('.', import.meta.url).pathname;
  const r = await timed(process.execPath, [join(here, 'bench-cracking-pwguard.mjs'), work, String(secs), String(jobs), String(MAX_GUESSES)], secs + 60, { stdout: 'pipe' });
  const times = [...r.out.matchAll(/^found (\d+) (\d+)$/gm)].map((m) => Number(m[2]) / 1000);
  const done = /^done (\d+)/m.exec(r.out);
  result('pwguard', times, r.cpu, done ? `(${Number(done[1]).toLocaleString('en-US')} guesses)` : '(did not finish)');
}

console.log('\n| scheme, accounts, seconds | tool | found | CPU s | time to John\'s count | pwguard time to this count |\n|---|---|---|---|---|---|');
for (const r of rows) {
  const john = rows.find((o) => o.scheme === r.scheme && o.tool.startsWith('John'));
  const pw = rows.find((o) => o.scheme === r.scheme && o.tool === 'pwguard');
  const at = (row, k) => (k === 0 ? 0 : row && row.times.length >= k ? row.times[k - 1] : Infinity);
  const toJohn = john ? at(r, john.found) : NaN;
  const pwAt = at(pw, r.found);
  const fmt = (x) => (Number.isNaN(x) ? 'n/a' : x === Infinity ? 'not reached' : `${x.toFixed(0)} s`);
  console.log(`| ${r.scheme}, ${r.n}, ${r.secs} | ${r.tool} | ${r.found} | ${r.cpu.toFixed(0)} | ${fmt(toJohn)} | ${fmt(pwAt)} |`);
}
