// `npm install` of @pwguard/hashes: build the crypt(3) addon with node-gyp against the running
// Node's own headers (<prefix>/include/node, found next to the node binary: no header download),
// when a C++ compiler, make, python3 and libcrypt-dev are there. Otherwise say in one line what to
// install and succeed: pwguard works without the addon, it only cannot verify crypt(3) hashes
// (cryptSupport() in src/native.ts says the same at run time).
//   node native/install.mjs            npm's install script: never fails the install
//   node native/install.mjs --strict   build:native in a checkout: a failed build fails
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const strict = process.argv.includes('--strict');
/** Further node-gyp options (build.sh passes its own arguments on). */
const extra = process.argv.slice(2).filter((a) => a !== '--strict');
const native = dirname(fileURLToPath(import.meta.url));
const addon = join(native, 'build', 'Release', 'pwguard_crypt.node');
const SOURCES = ['binding.gyp', 'crypt_addon.cc', 'hashers.cc', 'hashers.h'];
/** The one line a user sees; the same Debian package names as src/native.ts. */
const INSTALL = 'install g++ make python3 libcrypt-dev (Debian packages), then reinstall pwguard';

function onPath(cmd) {
  return (process.env.PATH ?? '').split(delimiter).some((d) => d && existsSync(join(d, cmd)));
}

function give(reason) {
  const line = `@pwguard/hashes: the crypt(3) addon is not built (${reason}): ${INSTALL}`;
  if (strict) {
    console.error(line);
    process.exit(1);
  }
  console.warn(line);
  process.exit(0);
}

// Up to date (build:native after a checkout's `pnpm install`, which runs this too): nothing to do.
if (existsSync(addon)) {
  const built = statSync(addon).mtimeMs;
  if (SOURCES.every((f) => statSync(join(native, f)).mtimeMs <= built)) process.exit(0);
}

const missing = [];
if (!onPath(process.env.CXX ?? 'g++') && !onPath('c++')) missing.push('g++');
if (!onPath('make')) missing.push('make');
if (!onPath('python3')) missing.push('python3');
if (!['/usr/include/crypt.h', '/usr/local/include/crypt.h'].some((f) => existsSync(f))) missing.push('libcrypt-dev');
if (missing.length > 0) give(`missing: ${missing.join(', ')}`);

// The running Node's headers: <prefix>/include/node (Debian's nodejs/libnode-dev, NodeSource, the
// nodejs.org tarballs, nvm). npm's own nodedir setting wins when set.
const prefix = dirname(dirname(process.execPath));
const nodedir = process.env.npm_config_nodedir || (existsSync(join(prefix, 'include', 'node', 'node_api.h')) ? prefix : undefined);
if (!nodedir) give(`no Node.js headers in ${join(prefix, 'include', 'node')}; Debian: libnode-dev`);

let gyp;
try {
  gyp = createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js');
} catch {
  give('node-gyp is not installed');
}
const res = spawnSync(process.execPath, [gyp, 'rebuild', '--directory', native, `--nodedir=${nodedir}`, '--loglevel=warn', ...extra], {
  cwd: dirname(native),
  stdio: ['ignore', strict ? 'inherit' : 'ignore', 'inherit'],
});
if (res.status !== 0 || !existsSync(addon)) give(`node-gyp failed${res.status === null ? '' : ` with status ${res.status}`}`);
