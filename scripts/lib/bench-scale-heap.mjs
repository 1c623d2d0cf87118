// scripts/bench-scale, in-process part: heap bytes of each O(accounts) structure, measured with
// --expose-gc around each step on the built @pwguard/audit, and the LDAP paged search's time.
//   node --expose-gc bench-scale-heap.mjs shadow DIR JOBS
//   node --expose-gc bench-scale-heap.mjs ldap URL BASE BINDDN PWFILE CAFILE JOBS
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSources, mergeAccounts, prepareAudit, readLdap } from '../../packages/audit/dist/index.js';

const heap = () => {
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage().heapUsed;
};
const [kind, ...rest] = process.argv.slice(2);
const out = {};
const h0 = heap();
let t = performance.now();
let raw;
let problems;
if (kind === 'shadow') {
  ({ raw, problems } = await loadSources({ shadow: join(rest[0], 'shadow'), passwd: join(rest[0], 'passwd'), htpasswd: [] }));
} else {
  const [url, base, bindDn, pwFile, caFile] = rest;
  const r = await readLdap({ url, base, bindDn, bindPassword: readFileSync(pwFile, 'utf8').split('\n')[0], caFile, timeoutSeconds: 120 });
  ({ accounts: raw, problems } = r);
}
out.loadSeconds = (performance.now() - t) / 1000;
const h1 = heap();
out.rawAccounts = raw.length;
out.rawBytesEach = Math.round((h1 - h0) / raw.length);
t = performance.now();
const accounts = mergeAccounts(raw);
out.mergeSeconds = (performance.now() - t) / 1000;
raw = undefined;
const h2 = heap();
out.accounts = accounts.length;
out.accountBytesEach = Math.round((h2 - h0) / accounts.length);
t = performance.now();
const prep = await prepareAudit(accounts, problems, { jobs: Number(rest.at(-1)), maxGuesses: 2000, common: true });
out.prepareSeconds = (performance.now() - t) / 1000;
const h3 = heap();
out.targets = prep.targets.length;
out.targetBytesEach = Math.round((h3 - h2) / prep.targets.length);
out.heapMiB = Math.round(h3 / 1048576);
out.problems = problems.length;
await prep.backend.close();
process.stdout.write(`${JSON.stringify(out)}\n`);
