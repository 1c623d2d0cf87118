// Checkpoints for --resume. They hold no password and no hash: per target only a short hash of
// the stored value, how many guesses of its sequence were tried, and the index of the guess that
// matched (the password is recomputed from the same lists on resume). Written atomically (temp
// file, fsync, rename) with mode 0600, so a crash mid-write leaves the previous checkpoint.
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import type { Target } from './targets.js';

export const CHECKPOINT_VERSION = 1;

export interface Checkpoint {
  readonly version: number;
  /** Fingerprint of the shared guess lists (built-in list + wordlists, in order). */
  readonly lists: string;
  readonly targets: Record<string, { tried: number; found?: number; context: string }>;
}

export class CheckpointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckpointError';
  }
}

export function makeCheckpoint(targets: readonly Target[], listsFingerprint: string): Checkpoint {
  const out: Checkpoint['targets'] = {};
  for (const t of targets) {
    out[t.key] = t.found === undefined ? { tried: t.tried, context: t.contextKey } : { tried: t.tried, found: t.found, context: t.contextKey };
  }
  return { version: CHECKPOINT_VERSION, lists: listsFingerprint, targets: out };
}

export function writeCheckpoint(path: string, cp: Checkpoint): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, JSON.stringify(cp));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

export function readCheckpoint(path: string): Checkpoint {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new CheckpointError(`cannot read checkpoint ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  let cp: unknown;
  try {
    cp = JSON.parse(text);
  } catch {
    throw new CheckpointError(`checkpoint ${path} is not valid JSON (damaged?): start without --resume`);
  }
  const c = cp as Partial<Checkpoint>;
  if (c.version !== CHECKPOINT_VERSION || typeof c.lists !== 'string' || typeof c.targets !== 'object' || c.targets === null) {
    throw new CheckpointError(`checkpoint ${path} is not a pwguard audit checkpoint (version ${CHECKPOINT_VERSION})`);
  }
  return c as Checkpoint;
}

/**
 * Apply a checkpoint: targets with the same stored value and context continue where they were.
 * Returns how many targets were restored. Different guess lists are refused: indices would lie.
 */
export function applyCheckpoint(targets: Target[], cp: Checkpoint, listsFingerprint: string, path: string): number {
  if (cp.lists !== listsFingerprint) {
    throw new CheckpointError(`checkpoint ${path} was made with other guess lists (--wordlist or the built-in list changed): start without --resume`);
  }
  let restored = 0;
  for (const t of targets) {
    const s = cp.targets[t.key];
    if (!s || s.context !== t.contextKey || !Number.isInteger(s.tried) || s.tried < 0) continue;
    t.tried = s.tried;
    if (s.found !== undefined && Number.isInteger(s.found)) t.found = s.found;
    restored++;
  }
  return restored;
}
