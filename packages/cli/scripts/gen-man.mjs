// Writes the man pages (packages/cli/src/man.ts) into a directory: node gen-man.mjs OUTDIR [DATE].
// Run by scripts/build-deb after `tsc -b`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { manPages } from '../dist/man.js';

const [out, date = new Date().toISOString().slice(0, 10)] = process.argv.slice(2);
if (!out) {
  process.stderr.write('usage: gen-man.mjs OUTDIR [YYYY-MM-DD]\n');
  process.exit(2);
}
mkdirSync(out, { recursive: true });
for (const [name, text] of Object.entries(manPages(date))) writeFileSync(join(out, name), text, { mode: 0o644 });
