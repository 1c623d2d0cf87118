// checkOutputPath: what may be replaced, and the one-line reasons for what may not.
import { afterAll, describe, expect, it } from '@jest/globals';
import { chownSync, linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkOutputPath, OutputFileError } from '../src/index.js';
import { IS_ROOT } from '../../../test/support/tmpfs.js';

const dir = mkdtempSync(join(tmpdir(), 'pwguard-files-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function refusal(fn: () => void): OutputFileError {
  try {
    fn();
  } catch (err) {
    if (err instanceof OutputFileError) return err;
    throw err;
  }
  throw new Error('not refused');
}

describe('checkOutputPath', () => {
  it('accepts a new file in a writable folder and an existing file of ours', () => {
    expect(() => checkOutputPath(join(dir, 'new.json'))).not.toThrow();
    writeFileSync(join(dir, 'mine.json'), 'x');
    expect(() => checkOutputPath(join(dir, 'mine.json'), { inputs: [join(dir, 'other')] })).not.toThrow();
  });

  it('refuses a symlink, even a dangling one, and leaves its target alone', () => {
    const victim = join(dir, 'victim');
    writeFileSync(victim, 'precious');
    symlinkSync(victim, join(dir, 'link.json'));
    const e = refusal(() => checkOutputPath(join(dir, 'link.json'), { what: 'report' }));
    expect(e.code).toBe('output_unsafe');
    expect(e.message).toBe(`cannot write report ${join(dir, 'link.json')}: it is a symbolic link (never followed): remove it or choose another path`);
    symlinkSync(join(dir, 'nowhere'), join(dir, 'dangling.json'));
    expect(refusal(() => checkOutputPath(join(dir, 'dangling.json'))).code).toBe('output_unsafe');
    expect(readFileSync(victim, 'utf8')).toBe('precious');
  });

  it('refuses a folder, a FIFO and a path whose folder does not exist', () => {
    mkdirSync(join(dir, 'sub'));
    expect(refusal(() => checkOutputPath(join(dir, 'sub'))).message).toMatch(/: it exists and is not a regular file$/);
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    expect(refusal(() => checkOutputPath(join(dir, 'fifo'))).message).toMatch(/: it exists and is not a regular file$/);
    expect(refusal(() => checkOutputPath(join(dir, 'missing', 'x.json'))).message).toBe(`cannot write ${join(dir, 'missing', 'x.json')}: its folder ${join(dir, 'missing')}: no such file or folder (ENOENT)`);
  });

  (IS_ROOT ? it : it.skip)('refuses a file another user created beforehand (needs root for chown)', () => {
    const planted = join(dir, 'planted.json');
    writeFileSync(planted, '');
    chownSync(planted, 65534, 65534);
    const e = refusal(() => checkOutputPath(planted));
    expect(e.code).toBe('output_unsafe');
    expect(e.message).toMatch(/: it belongs to another user \(uid 65534\): remove it or choose another path$/);
  });

  it('refuses an input of the run: same path, through a symlinked folder, or a hard link', () => {
    const input = join(dir, 'shadow');
    writeFileSync(input, 'root:*:1::::::\n');
    const e = refusal(() => checkOutputPath(input, { inputs: [input], what: 'report' }));
    expect(e.code).toBe('output_is_input');
    expect(e.message).toBe(`cannot write report ${input}: it is an input of this run (${input}): refusing to overwrite it`);
    symlinkSync(dir, join(dir, 'alias'));
    expect(refusal(() => checkOutputPath(join(dir, 'alias', 'shadow'), { inputs: [input] })).code).toBe('output_is_input');
    linkSync(input, join(dir, 'hard'));
    expect(refusal(() => checkOutputPath(join(dir, 'hard'), { inputs: [input] })).code).toBe('output_is_input');
    expect(readFileSync(input, 'utf8')).toBe('root:*:1::::::\n');
  });
});
