// build:native for @pwguard/runtime: zxcvbn's ranked dictionaries prebuilt (see src/ranked.ts) as
// dist/zxcvbn-ranked.bin, where defaultRankedFile() finds it; @pwguard/pam's hook bundle copies it.
// Runs after `tsc -b`; rebuilt only when an input is newer.
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = dirname(dirname(fileURLToPath(import.meta.url)));
const out = join(pkg, 'dist', 'zxcvbn-ranked.bin');
const { loadZxcvbn } = await import('@pwguard/strength');
const { buildRankedFile } = await import(join(pkg, 'dist', 'index.js'));

const mtime = (p) => (existsSync(p) ? statSync(p).mtimeMs : Infinity);
const inputs = [join(pkg, 'dist', 'ranked.js'), fileURLToPath(import.meta.resolve('@pwguard/strength'))];
if (!existsSync(out) || inputs.some((p) => mtime(p) > mtime(out))) {
  writeFileSync(out, buildRankedFile(await loadZxcvbn()));
}
