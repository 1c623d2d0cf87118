// pwguard's side of scripts/bench-audit: audit the corpus with the library (as `pwguard audit`
// does), print "found N T_MS" each time the count of found hashes grows, and stop once EXPECTED
// are found (the strong ones never are). Time is counted from this process's start.
//   node bench-audit-run.mjs DIR EXPECTED JOBS
import { performance } from 'node:perf_hooks';
const [dir, expected, jobs] = process.argv.slice(2);
const { auditAccounts, loadSources, mergeAccounts } = await import('../../packages/audit/dist/index.js');
const { raw, problems } = await loadSources({ shadow: `${dir}/shadow`, passwd: `${dir}/passwd` });
const stop = new AbortController();
let last = 0;
const report = await auditAccounts(mergeAccounts(raw), problems, {
  jobs: Number(jobs),
  maxGuesses: 1600,
  signal: stop.signal,
  onProgress: (s) => {
    if (s.found === last) return;
    last = s.found;
    console.log(`found ${s.found} ${Math.round(performance.now())}`);
    if (s.found >= Number(expected)) stop.abort();
  },
});
console.log(`done ${report.summary.guessesTried} ${Math.round(performance.now())}`);
