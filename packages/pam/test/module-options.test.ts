// pam_pwguard.so's options have one table, module/options.def: the C module reads it through
// X-macros and src/module-options.ts is generated from it. This test fails when the generated file
// is stale, and compiles the module's real option parser to check that C and TypeScript accept
// exactly the same words (stack checks in `pam doctor` must not call a working line broken).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MODULE_OPTIONS } from '../src/module-options.js';
import { moduleWordOk } from '../src/stack.js';
import { MODULE_DEFAULT_HOOK, INSTALL_PATHS } from '../src/install.js';

const MODULE = fileURLToPath(new URL('../module', import.meta.url));
const GEN = fileURLToPath(new URL('../scripts/gen-module-options.mjs', import.meta.url));

test('src/module-options.ts is what options.def generates', async () => {
  const { parseDef, render, DEF, OUT } = (await import(GEN)) as {
    parseDef: (t: string) => unknown[]; render: (e: unknown[]) => string; DEF: string; OUT: string;
  };
  expect(readFileSync(OUT, 'utf8')).toBe(render(parseDef(readFileSync(DEF, 'utf8'))));
});

test('the hook path is said once: the module default is where pam install puts the hook', () => {
  expect(MODULE_OPTIONS.find((o) => o.name === 'hook')).toMatchObject({ kind: 'path', default: MODULE_DEFAULT_HOOK });
  expect(INSTALL_PATHS.hook).toBe(MODULE_DEFAULT_HOOK);
});

const WORDS = [
  'retry=1', 'retry=20', 'retry=0', 'retry=21', 'retry=', 'retry=3x', 'retry=-1', 'retry',
  'timeout=300', 'timeout=301', 'timeout=10',
  'on_error=reject', 'on_error=accept', 'on_error=maybe', 'on_error',
  'hook=/opt/x', 'hook=relative', 'hook=', 'config=/etc/pwguard/krb.conf', 'config=relative', 'config=',
  'debug', 'debug=1', 'use_authtok', 'use_first_pass', 'try_first_pass', 'authtok_type=NEW', 'authtok_type=',
  'nosuch', 'min_length=12',
];

test('C and TypeScript accept exactly the same words', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pwguard-opts-'));
  try {
    const driver = join(dir, 'driver.c');
    writeFileSync(driver, `#include <stdio.h>
#include "pwguard.h"
int main(int argc, const char **argv) {
  for (int i = 1; i < argc; i++) {
    struct pwg_opts o;
    pwg_parse_opts(&o, 1, &argv[i]);
    printf("%s\\n", o.bad ? "bad" : "ok");
  }
  return 0;
}
`);
    const exe = join(dir, 'driver');
    const cc = spawnSync('cc', ['-std=gnu11', '-Wall', '-Werror', `-I${MODULE}`, '-o', exe, driver, join(MODULE, 'options.c')], { encoding: 'utf8' });
    expect(cc.stderr).toBe('');
    const run = spawnSync(exe, WORDS, { encoding: 'utf8' });
    const inC = run.stdout.trim().split('\n').map((s, i) => `${WORDS[i]}: ${s}`);
    const inTs = WORDS.map((w) => `${w}: ${moduleWordOk(w) ? 'ok' : 'bad'}`);
    expect(inTs).toEqual(inC);
    expect(inC).toContain('retry=21: bad');
    expect(inC).toContain('on_error=accept: ok');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
