// Checkpoints: keyed by an HMAC under a per-run secret kept apart from them, validated on load,
// written so that a full disk (a real tmpfs) keeps the previous checkpoint.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditAccounts, createBackend, mergeAccounts, parseHtpasswd, type Backend } from '@pwguard/audit';
import { OutputFileError } from '@pwguard/files';
import {
  CheckpointError, makeCheckpoint, newCheckpointKey, readCheckpoint, writeCheckpoint, type Checkpoint,
} from '../src/checkpoint.js';
import type { Target } from '../src/targets.js';
import { IS_ROOT, fillUp, mountTmpfs, type Tmpfs } from '../../../test/support/tmpfs.js';

const dir = mkdtempSync(join(tmpdir(), 'pwguard-checkpoint-'));
const keyDir = join(dir, 'keys');
let backend: Backend;
beforeAll(async () => {
  backend = await createBackend({ jobs: 1 });
});
afterAll(async () => {
  await backend.close();
  rmSync(dir, { recursive: true, force: true });
});

const cleartext = (): ReturnType<typeof mergeAccounts> => mergeAccounts(parseHtpasswd('bob:letmein\ncarl:Zx-unguessable-42-Qv\n', 'htpasswd').accounts);

describe('checkpoint keys', () => {
  it('are an HMAC under a per-run secret kept in the key folder, not a SHA-256 of the value', async () => {
    const path = join(dir, 'cp.json');
    await auditAccounts(cleartext(), [], { backend, maxGuesses: 50, checkpoint: { path, resume: false, keyDir } });
    const cp = JSON.parse(readFileSync(path, 'utf8')) as Checkpoint;
    const keys = Object.keys(cp.targets);
    expect(keys).toHaveLength(2);
    // What anyone could compute from a guess alone (the old key): it must not be there.
    for (const guess of ['letmein', 'Zx-unguessable-42-Qv']) {
      const plain = createHash('sha256').update(`cleartext\0${guess}`).digest('hex');
      for (const k of keys) expect(plain).not.toContain(k);
      expect(createHash('sha256').update(guess).digest('hex')).not.toContain(keys[0]);
    }
    // The secret is in the key folder (0700, file 0600), named by the run, not beside the checkpoint.
    expect(readdirSync(dir).sort()).toEqual(['cp.json', 'keys']);
    expect(readdirSync(keyDir)).toEqual([`${cp.run}.key`]);
    expect(statSync(keyDir).mode & 0o777).toBe(0o700);
    expect(statSync(join(keyDir, `${cp.run}.key`)).mode & 0o777).toBe(0o600);
    // Another run keys the same values differently.
    const again = join(dir, 'cp2.json');
    await auditAccounts(cleartext(), [], { backend, maxGuesses: 50, checkpoint: { path: again, resume: false, keyDir } });
    const other = JSON.parse(readFileSync(again, 'utf8')) as Checkpoint;
    expect(Object.keys(other.targets).filter((k) => keys.includes(k))).toEqual([]);
    rmSync(again);
  });

  it('resume finds the run\'s key; without it, resume is refused with a message naming both files', async () => {
    const path = join(dir, 'resume.json');
    const first = await auditAccounts(cleartext(), [], { backend, maxGuesses: 30, checkpoint: { path, resume: false, keyDir } });
    const second = await auditAccounts(cleartext(), [], { backend, maxGuesses: 30, checkpoint: { path, resume: true, keyDir } });
    expect(second.summary.guessesTried).toBe(0);
    expect(second.accounts.map((a) => a.found?.how ?? null)).toEqual(first.accounts.map((a) => a.found?.how ?? null));
    const { run } = JSON.parse(readFileSync(path, 'utf8')) as Checkpoint;
    const elsewhere = join(dir, 'other-keys');
    await expect(auditAccounts(cleartext(), [], { backend, checkpoint: { path, resume: true, keyDir: elsewhere } }))
      .rejects.toThrow(`checkpoint ${path}: its key ${join(elsewhere, `${run}.key`)} cannot be read (ENOENT); keys are kept apart from checkpoints: give --checkpoint-key-dir, or start without --resume`);
  });

  it('refuses a checkpoint inside its own key folder, and a key folder others can read', () => {
    expect(() => newCheckpointKey({ path: join(keyDir, 'cp.json'), resume: false, keyDir })).toThrow(CheckpointError);
    const open = join(dir, 'open-keys');
    mkdirSync(open, { mode: 0o755 });
    execFileSync('chmod', ['0755', open]);
    expect(() => newCheckpointKey({ path: join(dir, 'x.json'), resume: false, keyDir: open })).toThrow(`checkpoint key folder ${open} must be a folder of yours that only you can use (mode 0700)`);
  });
});

describe('readCheckpoint validates what it loads', () => {
  const good = { version: 2, run: 'a'.repeat(32), lists: 'b'.repeat(32), targets: { ['c'.repeat(32)]: { tried: 5, found: 3, context: 'd'.repeat(16) } } };
  const cases: Array<[string, unknown, string]> = [
    ['not JSON', '{"version":', 'not valid JSON (damaged?)'],
    ['the old unsalted format', { ...good, version: 1 }, 'made by an older pwguard (version 1)'],
    ['tried as text', { ...good, targets: { ['c'.repeat(32)]: { tried: '5', context: 'd'.repeat(16) } } }, `target ${'c'.repeat(32)}: "tried" is not a whole number >= 0`],
    ['a negative tried', { ...good, targets: { ['c'.repeat(32)]: { tried: -1, context: 'd'.repeat(16) } } }, `target ${'c'.repeat(32)}: "tried" is not a whole number >= 0`],
    ['a fractional found', { ...good, targets: { ['c'.repeat(32)]: { tried: 5, found: 1.5, context: 'd'.repeat(16) } } }, `target ${'c'.repeat(32)}: "found" is not a whole number >= 0`],
    ['a bad context', { ...good, targets: { ['c'.repeat(32)]: { tried: 5, context: 7 } } }, `target ${'c'.repeat(32)}: "context" is not 16 hex digits`],
    ['a key that is no HMAC', { ...good, targets: { __proto__x: { tried: 5, context: 'd'.repeat(16) } } }, 'a target key is not 32 hex digits'],
    ['a run id that is a path', { ...good, run: '../../etc/passwd' }, '"run" is not 32 hex digits'],
    ['targets as a list', { ...good, targets: [] }, '"targets" is not an object'],
    ['an unknown field', { ...good, extra: 1 }, 'unknown field "extra"'],
  ];
  it.each(cases)('refuses %s, naming the file', (_what, content, why) => {
    const path = join(dir, 'bad.json');
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    expect(() => readCheckpoint(path)).toThrow(new CheckpointError(`checkpoint ${path}: ${why}: start without --resume`));
  });

  it('accepts a well-formed one, and refuses a FIFO instead of hanging', () => {
    const path = join(dir, 'good.json');
    writeFileSync(path, JSON.stringify(good));
    expect(readCheckpoint(path)).toEqual(good);
    const fifo = join(dir, 'fifo.json');
    execFileSync('mkfifo', [fifo]);
    // No writer ever opens it: a blocking open would hang here.
    expect(() => readCheckpoint(fifo)).toThrow(`checkpoint ${fifo}: not a regular file: start without --resume`);
  });
});

describe('a checkpoint on a full disk (real tmpfs)', () => {
  let fs: Tmpfs | undefined;
  beforeAll(() => {
    if (IS_ROOT) fs = mountTmpfs(256);
  });
  afterAll(() => fs?.unmount());

  (IS_ROOT ? it : it.skip)('fails with write_failed and keeps the previous checkpoint byte for byte (needs root to mount)', () => {
    const d = (fs as Tmpfs).dir;
    const path = join(d, 'cp.json');
    const key = newCheckpointKey({ path, resume: false, keyDir });
    const targets = Array.from({ length: 1500 }, (_, i) => ({
      stored: `value-${i}`, scheme: { id: 'cleartext' }, contextKey: 'ctx', tried: i, found: undefined,
    })) as unknown as Target[];
    writeCheckpoint(path, makeCheckpoint(targets, 'f'.repeat(32), key));
    const before = readFileSync(path);
    expect(before.length).toBeGreaterThan(100 * 1024);
    fillUp(d, 32); // 32 KiB free: the new checkpoint is first written short, then the disk is full
    for (const t of targets) t.tried += 1;
    let caught: unknown;
    try {
      writeCheckpoint(path, makeCheckpoint(targets, 'f'.repeat(32), key));
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(OutputFileError);
    expect((caught as Error).message).toBe(`cannot write checkpoint ${path}: no space left on the device (ENOSPC); any previous file is left unchanged`);
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(readdirSync(d).sort()).toEqual(['cp.json', 'filler']);
  });

  (IS_ROOT ? it : it.skip)('a periodic save that fails stops the audit with that error; --resume still has the old checkpoint (needs root)', async () => {
    const d = (fs as Tmpfs).dir;
    for (const name of readdirSync(d)) rmSync(join(d, name));
    const path = join(d, 'run.json');
    await auditAccounts(cleartext(), [], { backend, maxGuesses: 20, checkpoint: { path, resume: false, keyDir } });
    const before = readFileSync(path);
    fillUp(d);
    await expect(auditAccounts(cleartext(), [], { backend, maxGuesses: 400, checkpoint: { path, resume: true, keyDir, everyMs: 0 } }))
      .rejects.toThrow(`cannot write checkpoint ${path}: no space left on the device (ENOSPC); any previous file is left unchanged`);
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(readdirSync(d).sort()).toEqual(['filler', 'run.json']);
  });
});
