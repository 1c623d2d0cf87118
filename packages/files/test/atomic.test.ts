// Atomic replacement: fresh unpredictable temp file, every write checked, the old file kept on
// any failure (a real full tmpfs), nothing left behind.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AtomicFile, OutputFileError, tempNameFor, writeFileAtomic } from '../src/index.js';
import { createExclusive } from '../src/atomic.js';
import { IS_ROOT, fillUp, mountTmpfs, type Tmpfs } from '../../../test/support/tmpfs.js';

const dir = mkdtempSync(join(tmpdir(), 'pwguard-files-atomic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeFileAtomic', () => {
  it('writes a 0600 file, replaces an old one by a new inode, leaves no temp file', () => {
    const target = join(dir, 'report.json');
    writeFileSync(target, 'old', { mode: 0o644 });
    const oldIno = statSync(target).ino;
    writeFileAtomic(target, ['{"a":', Buffer.from('1}')]);
    expect(readFileSync(target, 'utf8')).toBe('{"a":1}');
    expect(statSync(target).mode & 0o777).toBe(0o600);
    expect(statSync(target).ino).not.toBe(oldIno);
    expect(readdirSync(dir)).toEqual(['report.json']);
  });

  it('temp names are random (no PID), in the target folder', () => {
    const a = tempNameFor('/x/store.pwg');
    expect(a).toMatch(/^\.store\.pwg\.[0-9a-f]{32}\.tmp$/);
    expect(a).not.toContain(String(process.pid));
    expect(tempNameFor('/x/store.pwg')).not.toBe(a);
  });

  it('the temp file is created with O_EXCL|O_NOFOLLOW: a planted symlink or file is never opened', () => {
    const victim = join(dir, 'victim');
    writeFileSync(victim, 'precious');
    symlinkSync(victim, join(dir, 'planted-link'));
    expect(() => createExclusive(join(dir, 'planted-link'), 0o600)).toThrow(expect.objectContaining({ code: 'EEXIST' }));
    expect(() => createExclusive(victim, 0o600)).toThrow(expect.objectContaining({ code: 'EEXIST' }));
    expect(readFileSync(victim, 'utf8')).toBe('precious');
  });

  it('a streamed file replaces the target only on commit; abort keeps the old one', () => {
    const target = join(dir, 'store.bin');
    writeFileSync(target, 'old store');
    const f = AtomicFile.create(target, { mode: 0o644 });
    expect(f.tempPath).toMatch(/\/\.store\.bin\.[0-9a-f]{32}\.tmp$/);
    f.write(Buffer.alloc(4));
    f.write('body');
    f.write('HEAD', 0);
    expect(readFileSync(target, 'utf8')).toBe('old store');
    f.abort();
    expect(readFileSync(target, 'utf8')).toBe('old store');
    expect(readdirSync(dir)).not.toContain(f.tempPath.split('/').pop());
    const g = AtomicFile.create(target, { mode: 0o644 });
    g.write(Buffer.alloc(4));
    g.write('body');
    g.write('HEAD', 0);
    g.commit();
    expect(readFileSync(target, 'utf8')).toBe('HEADbody');
  });
});

describe('a full disk (real tmpfs)', () => {
  let fs: Tmpfs | undefined;
  beforeAll(() => {
    if (IS_ROOT) fs = mountTmpfs(256);
  });
  afterAll(() => fs?.unmount());

  (IS_ROOT ? it : it.skip)('is a write_failed error naming the file; the old file is kept, no temp file left (needs root to mount)', () => {
    const d = (fs as Tmpfs).dir;
    const target = join(d, 'report.json');
    writeFileSync(target, 'the good old report');
    fillUp(d, 64); // room for a short write first: the rest must still be written or refused
    let caught: unknown;
    try {
      writeFileAtomic(target, Buffer.alloc(300 * 1024, 0x41), { what: 'report' });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(OutputFileError);
    expect((caught as OutputFileError).code).toBe('write_failed');
    expect((caught as OutputFileError).message).toBe(`cannot write report ${target}: no space left on the device (ENOSPC); any previous file is left unchanged`);
    expect(readFileSync(target, 'utf8')).toBe('the good old report');
    expect(readdirSync(d).sort()).toEqual(['filler', 'report.json']);
  });
});
