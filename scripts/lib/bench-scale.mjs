// scripts/bench-scale: a 100k-account audit, from a shadow file and from a throwaway slapd
// (test/support/slapd.ts, slapadd): load and plan time, peak memory, heap bytes per account,
// report and checkpoint sizes, LDAP paged search time. Outside CI; results in docs/performance.md.
//   node scripts/lib/bench-scale.mjs [accounts=100000] [jobs=2] [max_guesses=3] [parts=shadow,ldap]
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import swc from '@swc/core';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const CLI = join(root, 'packages', 'cli', 'dist', 'main.js');
const [accountsText = '100000', jobs = '2', guesses = '3', partsText = 'shadow,ldap'] = process.argv.slice(2);
const parts = new Set(partsText.split(','));
const N = Number(accountsText);
const dir = mkdtempSync(join(tmpdir(), 'pwguard-bench-scale-'));
const env = { PATH: process.env.PATH, PWGUARD_CONFIG: '', XDG_STATE_HOME: join(dir, 'state') };
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const mib = (bytes) => `${(bytes / 1048576).toFixed(1)} MiB`;
const rows = [];
const row = (what, value) => {
  rows.push([what, value]);
  console.log(`${what}: ${value}`);
};

/** A pwguard CLI run under GNU time: wall seconds and peak RSS. */
function timed(label, args) {
  const tf = join(dir, 'time.txt');
  const r = spawnSync('/usr/bin/time', ['-o', tf, '-f', '%e %M', process.execPath, CLI, ...args], { env, encoding: 'utf8', maxBuffer: 1 << 30 });
  const [secs, kb] = readFileSync(tf, 'utf8').trim().split('\n').at(-1).split(' ');
  if (r.status !== 0 && r.status !== 1) throw new Error(`${label}: exit ${r.status}\n${r.stderr}`);
  row(`${label}: wall time, peak RSS`, `${secs} s, ${mib(Number(kb) * 1024)}`);
  return r;
}

function heapOf(args) {
  const r = spawnSync(process.execPath, ['--expose-gc', join(here, 'bench-scale-heap.mjs'), ...args], { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`heap: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

function audits(label, source) {
  const plan = timed(`${label}: pwguard audit --plan (load, merge, targets, 1.5 s speed sample per scheme)`, ['audit', ...source, '--plan', '--no-judge', '--jobs', jobs]);
  console.log(plan.stdout.split('\n').slice(0, 2).join('\n'));
  const report = join(dir, `${label}-report.json`);
  const cp = join(dir, `${label}-checkpoint.json`);
  timed(`${label}: pwguard audit --max-guesses ${guesses} --checkpoint (every account guessed)`, [
    'audit', ...source, '--no-judge', '--jobs', jobs, '--max-guesses', guesses, '--format', 'json', '--output', report,
    '--checkpoint', cp, '--checkpoint-key-dir', join(dir, 'keys'),
  ]);
  const r = JSON.parse(readFileSync(report, 'utf8'));
  row(`${label}: report (JSON)`, `${mib(statSync(report).size)}, ${Math.round(statSync(report).size / r.summary.accounts)} bytes/account; ${r.summary.accounts} accounts, ${r.summary.weak} weak, ${r.summary.findings.shared_password ?? 0} shared`);
  row(`${label}: checkpoint`, `${mib(statSync(cp).size)}, ${Math.round(statSync(cp).size / r.summary.accounts)} bytes/account`);
  for (const f of ['table', 'csv', 'html']) {
    const out = join(dir, `${label}.${f}`);
    const t0 = performance.now();
    const m = spawnSync(process.execPath, [CLI, 'report', 'merge', report, '--format', f, '--output', out], { env, encoding: 'utf8' });
    if (m.status !== 0 && m.status !== 1) throw new Error(`report merge: exit ${m.status}\n${m.stderr}`);
    row(`${label}: report merge --format ${f}`, `${((performance.now() - t0) / 1000).toFixed(1)} s, ${mib(statSync(out).size)}`);
  }
}

function heapRows(label, h) {
  row(`${label}: read ${h.rawAccounts} accounts (in process)`, `${h.loadSeconds.toFixed(2)} s`);
  row(`${label}: heap per account after merge (RawAccount + Account)`, `${h.accountBytesEach} bytes (${h.rawBytesEach} for the raw records)`);
  row(`${label}: heap per target (distinct stored value)`, `${h.targetBytesEach} bytes; ${h.targets} targets; prepare ${h.prepareSeconds.toFixed(2)} s`);
  row(`${label}: heap after prepare`, `${h.heapMiB} MiB`);
}

console.log(`bench-scale: ${N} accounts, ${jobs} jobs, --max-guesses ${guesses}; node ${process.version}; load ${load()}`);
try {
  let t0 = performance.now();
  if (parts.has('shadow')) {
  // 1. shadow
  execFileSync('python3', [join(here, 'bench-scale-corpus.py'), dir, String(N)]);
  console.log(`shadow corpus (md5crypt by libcrypt): ${((performance.now() - t0) / 1000).toFixed(1)} s, ${mib(statSync(join(dir, 'shadow')).size)}`);
  heapRows('shadow', heapOf(['shadow', dir, jobs]));
  audits('shadow', ['--shadow', join(dir, 'shadow'), '--passwd', join(dir, 'passwd')]);
  }
  if (parts.has('ldap')) {

  // 2. LDAP: the test slapd (compiled from test/support/slapd.ts), slapadd of N users
  const js = swc.transformFileSync(join(root, 'test', 'support', 'slapd.ts'), { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'es6' } }).code;
  writeFileSync(join(dir, 'slapd.mjs'), js);
  const { startSlapd, slappasswd } = await import(pathToFileURL(join(dir, 'slapd.mjs')).href);
  const weak = ['123456', 'password', 'qwerty', 'dragon'].map((p) => slappasswd('{SSHA}', p));
  const ssha = (pw) => {
    const salt = randomBytes(8);
    return `{SSHA}${Buffer.concat([createHash('sha1').update(pw).update(salt).digest(), salt]).toString('base64')}`;
  };
  const users = Array.from({ length: N }, (_v, i) => ({
    uid: `u${String(i).padStart(6, '0')}`, cn: `User ${i}`, sn: `Number${i}`, mail: `u${i}@example.org`,
    userPassword: [i % 100 === 7 ? weak[i % weak.length] : ssha(`S${randomBytes(8).toString('hex')}#${i}`)],
  }));
  t0 = performance.now();
  const ldap = await startSlapd({ users, ppolicy: false, auditLimits: 'size.prtotal=unlimited', dbMaxSize: 4 * 1024 ** 3, bulk: true });
  row(`ldap: slapadd of ${N} users + slapd start`, `${((performance.now() - t0) / 1000).toFixed(1)} s`);
  try {
    const source = ['--ldap', ldap.url, '--base', ldap.peopleBase, '--bind-dn', ldap.auditDn, '--bind-password-file', ldap.auditPasswordFile, '--ca-file', ldap.caFile, '--ldap-timeout', '120'];
    heapRows('ldap', heapOf(['ldap', ldap.url, ldap.peopleBase, ldap.auditDn, ldap.auditPasswordFile, ldap.caFile, jobs]));
    audits('ldap', source);
  } finally {
    await ldap.stop();
  }
  }
  console.log(`\n| measure (${N} accounts, ${jobs} jobs, --max-guesses ${guesses}) | result |\n|---|---|`);
  for (const [a, b] of rows) console.log(`| ${a} | ${b} |`);
  console.log(`load at the end: ${load()}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
