// `pwguard breach build` writing its store in a hostile or full place, and being interrupted: the
// built CLI in a real process. The old store is kept byte for byte and no temporary file is left.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IS_ROOT, fillUp, mountTmpfs, type Tmpfs } from '../support/tmpfs.js';
import { CLI, pwguard as run } from '../support/cli.js';

jest.setTimeout(180_000);

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dir = mkdtempSync(join(tmpdir(), 'pwguard-breach-output-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function pwguard(args: string[]): { code: number | null; out: string; err: string } {
  const r = run(args);
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function gen(entries: number, name: string): string {
  const out = join(dir, name);
  const r = spawnSync(join(root, 'scripts/gen-hibp'), ['--entries', String(entries), '--out', out], { encoding: 'utf8' });
  expect(r.status).toBe(0);
  return out;
}

/** Every file and folder below `d`, relative. */
function tree(d: string): string[] {
  return readdirSync(d, { recursive: true }).map(String).sort();
}

let small: string;
let big: string;
beforeAll(() => {
  small = gen(2000, 'small.txt');
  big = gen(20000, 'big.txt');
});

describe('breach build -o in a shared folder', () => {
  it('refuses a planted symlink and an input path; what they point to is untouched', () => {
    const victim = join(dir, 'victim');
    writeFileSync(victim, 'precious');
    const link = join(dir, 'link.pwg');
    symlinkSync(victim, link);
    expect(pwguard(['breach', 'build', '-o', link, small])).toEqual({
      code: 2, out: '', err: `pwguard: cannot write breach store ${link}: it is a symbolic link (never followed): remove it or choose another path\n`,
    });
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    const before = readFileSync(small);
    expect(pwguard(['breach', 'build', '-o', small, small])).toMatchObject({ code: 2, err: `pwguard: cannot write breach store ${small}: it is an input of this run (${small}): refusing to overwrite it\n` });
    expect(readFileSync(small).equals(before)).toBe(true);
  });
});

describe('breach build onto a full disk (real tmpfs)', () => {
  let fs: Tmpfs | undefined;
  beforeAll(() => {
    if (IS_ROOT) fs = mountTmpfs(256);
  });
  afterAll(() => fs?.unmount());

  (IS_ROOT ? it : it.skip)('exits 2 with one line; the old store stays byte-identical and usable (needs root to mount)', () => {
    const d = (fs as Tmpfs).dir;
    const store = join(d, 'hibp.pwg');
    expect(pwguard(['breach', 'build', '-o', store, small]).code).toBe(0);
    const before = readFileSync(store);
    fillUp(d, 48); // room for part of the new store: its writes start, then the disk is full
    const r = pwguard(['breach', 'build', '-o', store, big]);
    expect(r).toEqual({ code: 2, out: '', err: `pwguard: cannot write breach store ${store}: no space left on the device (ENOSPC); any previous file is left unchanged\n` });
    expect(readFileSync(store).equals(before)).toBe(true);
    expect(tree(d)).toEqual(['filler', 'hibp.pwg']);
    expect(pwguard(['breach', 'verify', store]).code).toBe(0);
  });
});

describe('an interrupted breach build', () => {
  let words: string;
  beforeAll(() => {
    // Plaintext goes the long way (partition files, sort, write): plenty of time to interrupt it.
    words = join(dir, 'words.txt');
    const lines: string[] = [];
    for (let i = 0; i < 2_000_000; i++) lines.push(`word-${(i * 7919) % 2_000_003}-x`);
    writeFileSync(words, `${lines.join('\n')}\n`);
  });

  /** Start a build, wait until its partition files exist, send `signal`; the finished run. */
  async function interrupt(signal: NodeJS.Signals, temp: string, out: string): Promise<{ code: number | null; err: string }> {
    const child = spawn(process.execPath, [CLI, 'breach', 'build', '-o', out, '--temp-dir', temp, words]);
    let err = '';
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    const closed = new Promise<number | null>((r) => child.on('close', r));
    while (!tree(temp).some((p) => p.endsWith('/p0'))) await new Promise((r) => setTimeout(r, 10));
    child.kill(signal);
    return { code: await closed, err };
  }

  it.each(['SIGINT', 'SIGTERM'] as const)('%s: exit 2, one line, no temporary file anywhere, old store kept', async (signal) => {
    const temp = join(dir, `temp-${signal}`);
    const outDir = join(dir, `out-${signal}`);
    mkdirSync(temp);
    mkdirSync(outDir);
    const store = join(outDir, 'store.pwg');
    expect(pwguard(['breach', 'build', '-o', store, small]).code).toBe(0);
    const before = readFileSync(store);
    const r = await interrupt(signal, temp, store);
    expect(r).toEqual({ code: 2, err: `pwguard: breach build interrupted (${signal}); temporary files removed, ${store} not replaced\n` });
    expect(tree(temp)).toEqual([]);
    expect(tree(outDir)).toEqual(['store.pwg']);
    expect(readFileSync(store).equals(before)).toBe(true);
    expect(existsSync(store)).toBe(true);
  });
});
