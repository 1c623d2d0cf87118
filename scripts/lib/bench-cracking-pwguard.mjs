// pwguard's side of scripts/bench-cracking: audit DIR/shadow with the library (as `pwguard audit
// --no-judge` does; {SSHA} values as LDAP userPassword values) for at most SECONDS, JOBS worker threads, MAX guesses per account, and print
// "found N MS" each time the found count grows (MS from this process's start), then "done GUESSES MS".
//   node bench-cracking-pwguard.mjs DIR SECONDS JOBS MAX
import { performance } from 'node:perf_hooks';
const [dir, seconds, jobs, max] = process.argv.slice(2);
const { auditAccounts, loadSources, mergeAccounts } = await import('../../packages/audit/dist/index.js');
const loaded = await loadSources({ shadow: `${dir}/shadow` });
const problems = loaded.problems;
// {SSHA} values are LDAP userPassword values: read as such (the audit takes them from LDAP only),
// so the same code runs as in an LDAP audit, without the directory.
const raw = loaded.raw.map((a) => ({ ...a, credentials: a.credentials.map((c) => (c.stored.startsWith('{') ? { ...c, attribute: 'userPassword' } : c)) }));
let last = 0;
const report = await auditAccounts(mergeAccounts(raw), problems, {
  jobs: Number(jobs),
  maxGuesses: Number(max),
  budgetMs: Number(seconds) * 1000 - performance.now(),
  onProgress: (s) => {
    if (s.found === last) return;
    last = s.found;
    console.log(`found ${s.found} ${Math.round(performance.now())}`);
  },
});
console.log(`done ${report.summary.guessesTried} ${Math.round(performance.now())} ${report.accounts.filter((a) => a.found).length}`);
