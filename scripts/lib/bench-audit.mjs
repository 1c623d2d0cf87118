// scripts/bench-audit: time until every planted weak password is found, pwguard vs John the
// Ripper (--single, then --wordlist with the same list), on one generated corpus, in one run.
//   node scripts/lib/bench-audit.mjs [accounts=200] [cap_seconds=240] [jobs=2]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';

const here = dirname(fileURLToPath(import.meta.url));
const [accounts = '200', capText = '240', jobs = '2'] = process.argv.slice(2);
const cap = Number(capText) * 1000;
const dir = mkdtempSync(join(tmpdir(), 'pwguard-bench-audit-'));
const corpus = JSON.parse(execFileSync(process.execPath, [join(here, 'bench-audit-corpus.mjs'), dir, accounts]).toString());
const planted = readFileSync(join(dir, 'planted.tsv'), 'utf8').trim().split('\n').map((l) => l.split('\t'));
console.log(`corpus: ${corpus.accounts} accounts (${corpus.md5crypt} md5crypt, ${corpus.sha512crypt} sha512crypt rounds=1000, ${corpus.yescrypt} yescrypt), ${corpus.planted} planted weak; ${jobs} jobs; cap ${capText} s; load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);

/** Run a child in its own process group; resolve when it exits or when kill() is called. */
function start(cmd, args, onLine) {
  const child = spawn(cmd, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let buf = '';
  child.stdout.on('data', (b) => {
    buf += b.toString();
    const lines = buf.split('\n');
    buf = lines.pop();
    for (const l of lines) onLine?.(l);
  });
  child.stderr.resume();
  const done = new Promise((r) => child.on('exit', r));
  const kill = () => {
    try {
      process.kill(-child.pid, 'SIGTERM'); // the group we created: john --fork children too
    } catch {}
  };
  return { done, kill };
}

async function pwguard() {
  const t0 = performance.now();
  const times = [];
  const p = start(process.execPath, [join(here, 'bench-audit-run.mjs'), dir, String(planted.length), jobs], (l) => {
    const m = /^found (\d+)/.exec(l);
    if (m) times[Number(m[1]) - 1] = performance.now() - t0;
  });
  const timer = setTimeout(p.kill, cap);
  await p.done;
  clearTimeout(timer);
  return times;
}

/**
 * John prints each crack as `PASSWORD (LOGIN)` at once (its pot file is written later, and
 * Debian's build has no --pot), so the time of each planted find is read from its output.
 */
const plantedUsers = new Set(planted.map(([u]) => u));

async function john() {
  execFileSync('sh', ['-c', `unshadow "${dir}/passwd" "${dir}/shadow" > "${dir}/john.in"`]);
  const t0 = performance.now();
  const times = [];
  const seen = new Set();
  const onLine = (l) => {
    const m = /\((\S+)\)\s*$/.exec(l);
    if (m && plantedUsers.has(m[1]) && !seen.has(m[1])) {
      seen.add(m[1]);
      times.push(performance.now() - t0);
    }
  };
  // --single gets at most half the cap, so the --wordlist phase always runs too.
  for (const [phase, until] of [[['--single'], cap / 2], [[`--wordlist=${dir}/wordlist.txt`], cap]]) {
    if (seen.size >= planted.length || performance.now() - t0 >= cap) break;
    const p = start('john', [...phase, '--format=crypt', `--fork=${jobs}`, `--session=${dir}/john-${phase[0].slice(2, 8)}`, `${dir}/john.in`], onLine);
    let over = false;
    p.done.then(() => (over = true));
    while (!over) {
      await new Promise((r) => setTimeout(r, 100));
      if (seen.size >= planted.length || performance.now() - t0 >= until) {
        p.kill();
        await p.done;
      }
    }
    console.log(`  john ${phase[0].split('=')[0]} ended at ${((performance.now() - t0) / 1000).toFixed(1)} s with ${seen.size} planted found`);
  }
  return times;
}

const fmt = (times) => {
  const n = times.filter((t) => t !== undefined).length;
  const at = (k) => (times[k - 1] === undefined ? '-' : `${(times[k - 1] / 1000).toFixed(1)} s`);
  return { found: n, first: at(1), half: at(Math.ceil(planted.length / 2)), all: n >= planted.length ? at(planted.length) : `not all within ${capText} s` };
};
const pw = fmt(await pwguard());
console.log(`pwguard: ${pw.found}/${planted.length} found; first ${pw.first}, half ${pw.half}, all ${pw.all}`);
const jn = fmt(await john());
console.log(`john:    ${jn.found}/${planted.length} found; first ${jn.first}, half ${jn.half}, all ${jn.all}`);
writeFileSync(join(dir, 'result.json'), JSON.stringify({ corpus, pwguard: pw, john: jn }, null, 2));
console.log(`details: ${dir}`);
