// Bundles the pwguard CLI for the Debian package (run by scripts/build-deb after `tsc -b` and
// build:native): node bundle-cli.mjs OUTDIR. One ESM bundle (main.js, its lazily loaded chunks and
// the breach-build worker) that needs no node_modules at run time, with the files it reads beside
// itself: the runtime's bundleAssets() (prebuilt zxcvbn dictionaries, built-in breach store) and
// the crypt(3) addon. Two lookups that only work in the workspace layout are rewritten here, and
// the build fails if the code they rewrite has changed.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
const out = process.argv[2];
if (!out) {
  process.stderr.write('usage: bundle-cli.mjs OUTDIR\n');
  process.exit(2);
}
mkdirSync(out, { recursive: true });
// The runtime's public surface (the root package does not depend on it by name).
const { bundleAssets } = await import(pathToFileURL(join(root, 'packages/runtime/dist/index.js')).href);

/** file (relative to the root) -> [what the compiled code says, what the bundle needs]. */
const REWRITES = {
  // The addon beside the bundle, not in the package's native/build.
  'packages/hashes/dist/native.js': [["'../native/build/Release/pwguard_crypt.node'", "'./pwguard_crypt.node'"]],
  // Required lazily through createRequire (the package decompresses its lists when loaded): a plain
  // require() is bundled by esbuild and still runs only on first use.
  'packages/audit/dist/guesses/lists.js': [["createRequire(import.meta.url)('@zxcvbn-ts/language-common')", "require('@zxcvbn-ts/language-common')"]],
  'packages/breach/dist/embedded.js': [["createRequire(import.meta.url)('@zxcvbn-ts/language-common')", "require('@zxcvbn-ts/language-common')"]],
};

const rewrite = {
  name: 'pwguard-deb-rewrite',
  setup(build) {
    const files = Object.keys(REWRITES).map((f) => join(root, f));
    const filter = new RegExp(`^(${files.map((f) => f.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')})$`);
    build.onLoad({ filter }, (args) => {
      let text = readFileSync(args.path, 'utf8');
      for (const [from, to] of REWRITES[args.path.slice(root.length + 1)]) {
        if (!text.includes(from)) throw new Error(`${args.path}: expected ${from} (update packaging/debian/bundle-cli.mjs)`);
        text = text.split(from).join(to);
      }
      return { contents: text, loader: 'js' };
    });
  },
};

const esbuild = await import('esbuild');
await esbuild.build({
  entryPoints: {
    main: join(root, 'packages/cli/dist/main.js'),
    'breach-build-worker': join(root, 'packages/cli/dist/commands/breach-build-worker.js'),
  },
  outdir: out,
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  mainFields: ['module', 'main'],
  logLevel: 'error',
  legalComments: 'inline',
  plugins: [rewrite],
  banner: {
    js: [
      "import { createRequire as __pwgRequire } from 'node:module'; const require = __pwgRequire(import.meta.url);",
    ].join('\n'),
  },
});
// The entry runs as /usr/bin/pwguard (a symlink; node resolves it, so import.meta.url is here).
const main = join(out, 'main.js');
// Debian's nodejs (and NodeSource's) is /usr/bin/node; pam_exec and cron give no PATH to search.
const text = readFileSync(main, 'utf8').replace(/^#![^\n]*\n/, '');
writeFileSync(main, `#!/usr/bin/node\n// pwguard, bundled by packaging/debian/bundle-cli.mjs: do not edit.\n${text}`, { mode: 0o755 });
writeFileSync(join(out, 'package.json'), '{ "type": "module" }\n');
for (const file of bundleAssets()) copyFileSync(file, join(out, basename(file)));
copyFileSync(join(root, 'packages/hashes/native/build/Release/pwguard_crypt.node'), join(out, 'pwguard_crypt.node'));
