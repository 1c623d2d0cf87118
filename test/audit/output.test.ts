// Output files of `pwguard audit` and `pwguard report merge` in a hostile or full place: the built
// CLI in a real process. A planted symlink, another user's file or an input path is refused before
// any work; a full disk (a real tmpfs) is exit 2 with one line, and the old report is kept.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { chownSync, copyFileSync, existsSync, lstatSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IS_ROOT, fillUp, mountTmpfs, type Tmpfs } from '../support/tmpfs.js';
import { pwguard as run } from '../support/cli.js';

jest.setTimeout(120_000);

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const S = join(root, 'packages', 'audit', 'samples');
const tmp = mkdtempSync(join(tmpdir(), 'pwguard-audit-output-'));
const keys = join(tmp, 'state', 'pwguard', 'checkpoint-keys');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function pwguard(args: string[]): { status: number | null; stdout: string; stderr: string } {
  return run(args, { env: { XDG_STATE_HOME: join(tmp, 'state') }, timeout: 100_000 });
}

const audit = (...more: string[]): string[] => ['audit', '--htpasswd', join(S, 'htpasswd'), '--max-guesses', '300', '--no-judge', '--format', 'json', ...more];

/** No work started: a checkpointed run makes its key first thing, so no key means no guess. */
const noRunStarted = (): void => expect(existsSync(keys) ? readdirSync(keys) : []).toEqual([]);

describe('audit --output in a shared folder', () => {
  it('refuses a planted symlink and leaves what it points to untouched', () => {
    const victim = join(tmp, 'victim');
    writeFileSync(victim, 'root:precious\n');
    const out = join(tmp, 'report.json');
    symlinkSync(victim, out);
    const r = pwguard(audit('--output', out, '--checkpoint', join(tmp, 'cp1')));
    expect(r).toMatchObject({ status: 2, stdout: '', stderr: `pwguard: cannot write report ${out}: it is a symbolic link (never followed): remove it or choose another path\n` });
    expect(readFileSync(victim, 'utf8')).toBe('root:precious\n');
    expect(lstatSync(out).isSymbolicLink()).toBe(true);
    noRunStarted();
  });

  (IS_ROOT ? it : it.skip)('refuses a file another user created beforehand, keeping it as it was (needs root for chown)', () => {
    const out = join(tmp, 'theirs.json');
    writeFileSync(out, '', { mode: 0o644 });
    chownSync(out, 65534, 65534);
    const r = pwguard(audit('--output', out));
    expect(r).toMatchObject({ status: 2, stderr: `pwguard: cannot write report ${out}: it belongs to another user (uid 65534): remove it or choose another path\n` });
    expect(statSync(out)).toMatchObject({ uid: 65534, size: 0 });
  });

  it('refuses --output or --checkpoint equal to the --shadow input before any work', () => {
    const shadow = join(tmp, 'shadow');
    copyFileSync(join(S, 'shadow'), shadow);
    const before = readFileSync(shadow);
    const base = ['audit', '--shadow', shadow, '--passwd', join(S, 'passwd'), '--no-judge', '--max-guesses', '300'];
    const r = pwguard([...base, '--output', shadow, '--checkpoint', join(tmp, 'cp2')]);
    expect(r).toMatchObject({ status: 2, stdout: '', stderr: `pwguard: cannot write report ${shadow}: it is an input of this run (${shadow}): refusing to overwrite it\n` });
    const c = pwguard([...base, '--checkpoint', shadow]);
    expect(c).toMatchObject({ status: 2, stderr: `pwguard: cannot write checkpoint ${shadow}: it is an input of this run (${shadow}): refusing to overwrite it\n` });
    expect(readFileSync(shadow).equals(before)).toBe(true);
    noRunStarted();
  });

  it('writes a new 0600 file of the caller when the path is fine', () => {
    const out = join(tmp, 'fine.json');
    writeFileSync(out, 'old', { mode: 0o644 });
    const r = pwguard(audit('--output', out));
    expect(r.status).toBe(1);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ schema: 'pwguard-audit/1' });
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(readdirSync(tmp).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});

describe('report merge --output', () => {
  it('refuses a symlink and an input report', () => {
    const part = join(tmp, 'part.json');
    expect(pwguard(audit('--shard', '1/1', '--output', part)).status).toBe(1);
    const victim = join(tmp, 'victim2');
    writeFileSync(victim, 'keep');
    symlinkSync(victim, join(tmp, 'merged.json'));
    const r = pwguard(['report', 'merge', part, '--output', join(tmp, 'merged.json')]);
    expect(r).toMatchObject({ status: 2, stderr: `pwguard: cannot write report ${join(tmp, 'merged.json')}: it is a symbolic link (never followed): remove it or choose another path\n` });
    expect(readFileSync(victim, 'utf8')).toBe('keep');
    const before = readFileSync(part);
    expect(pwguard(['report', 'merge', part, '--output', part])).toMatchObject({ status: 2, stderr: `pwguard: cannot write report ${part}: it is an input of this run (${part}): refusing to overwrite it\n` });
    expect(readFileSync(part).equals(before)).toBe(true);
  });
});

describe('audit --output on a full disk (real tmpfs)', () => {
  let fs: Tmpfs | undefined;
  beforeAll(() => {
    if (IS_ROOT) fs = mountTmpfs(256);
  });
  afterAll(() => fs?.unmount());

  (IS_ROOT ? it : it.skip)('exits 2 with one line and keeps the old report (needs root to mount)', () => {
    const d = (fs as Tmpfs).dir;
    const out = join(d, 'report.json');
    expect(pwguard(audit('--output', out)).status).toBe(1);
    const before = readFileSync(out);
    fillUp(d, 1); // 1 KiB free: the report starts to fit, then the disk is full
    const r = pwguard(audit('--output', out, '--show-passwords'));
    expect(r).toMatchObject({ status: 2, stdout: '', stderr: `pwguard: cannot write report ${out}: no space left on the device (ENOSPC); any previous file is left unchanged\n` });
    expect(readFileSync(out).equals(before)).toBe(true);
    expect(readdirSync(d).sort()).toEqual(['filler', 'report.json']);
  });
});
