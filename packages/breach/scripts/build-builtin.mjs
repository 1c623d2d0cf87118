// build:native for @pwguard/breach: the built-in common-password list prebuilt as a store,
// dist/builtin-sha1.pwg, so a fresh process (the PAM hook above all) answers the breach rule with
// two small reads instead of decompressing and indexing 49k words. Runs after `tsc -b`.
// The list and its counts come from dist/embedded.js itself, so they cannot drift apart.
import { mkdtempSync, rmSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = join(dirname(dirname(fileURLToPath(import.meta.url))), 'dist');
const { buildStore, verifyStore } = await import(join(dist, 'index.js'));
const { rankedCounts, BUILTIN_STORE_FILE, BUILTIN_COUNT_BITS } = await import(join(dist, 'embedded.js'));
const out = join(dist, BUILTIN_STORE_FILE);

const source = join(dist, 'embedded.js');
if (existsSync(out) && statSync(out).mtimeMs >= statSync(source).mtimeMs) process.exit(0);

const temp = mkdtempSync(join(tmpdir(), 'pwguard-builtin-'));
try {
  const lines = [];
  for (const [password, count] of rankedCounts()) {
    lines.push(`${createHash('sha1').update(password, 'utf8').digest('hex').toUpperCase()}:${count}`);
  }
  const input = join(temp, 'builtin.txt');
  writeFileSync(input, `${lines.sort().join('\n')}\n`);
  await buildStore({ inputs: [input], output: out, kind: 'sha1', countBits: BUILTIN_COUNT_BITS, tempDir: temp });
  verifyStore(out); // throws on any inconsistency

} finally {
  rmSync(temp, { recursive: true, force: true });
}
