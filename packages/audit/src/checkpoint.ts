// Checkpoints for --resume. They hold no password and no hash: per target only an HMAC of the
// stored value, how many guesses of its sequence were tried, and the index of the guess that
// matched (the password is recomputed from the same lists on resume).
//
// The HMAC key is a random secret made for each run and kept in the run's key file in a private
// key folder (0700, by default ~/.local/state/pwguard/checkpoint-keys), never beside the checkpoint:
// a copied or leaked checkpoint alone cannot be used to test guesses against a cleartext or
// unsalted value (a plain SHA-256 of a cleartext password could). The checkpoint names its run, so
// --resume finds the key; without the key file, resume is refused. Written through
// @pwguard/files: a fresh 0600 temp file, fsync, rename, so a crash or a full disk keeps the
// previous checkpoint.
import { createHmac, randomBytes } from 'node:crypto';
import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readFileSync, readSync, realpathSync, type Stats } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { writeFileAtomic } from '@pwguard/files';
import type { Target } from './targets.js';

export const CHECKPOINT_VERSION = 2;
const SECRET_BYTES = 32;
/** A checkpoint holds about 100 bytes per stored value: this is millions of them. */
const MAX_CHECKPOINT_BYTES = 1 << 30;

export interface CheckpointTarget {
  readonly tried: number;
  readonly found?: number;
  /** HMAC of the target's context fingerprint: other context words restart the target. */
  readonly context: string;
}

export interface Checkpoint {
  readonly version: number;
  /** Names the run's key file in the key folder (not secret: the key file is). */
  readonly run: string;
  /** Fingerprint of the shared guess lists (built-in list + wordlists, in order). */
  readonly lists: string;
  /** By HMAC of the stored value. */
  readonly targets: Record<string, CheckpointTarget>;
}

export interface CheckpointOptions {
  readonly path: string;
  readonly resume: boolean;
  readonly everyMs?: number;
  /** Private folder for the runs' HMAC keys (default: defaultCheckpointKeyDir()). */
  readonly keyDir?: string;
  /** The run's inputs: the checkpoint is never written over one of them. */
  readonly inputs?: readonly (string | undefined)[];
}

export class CheckpointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckpointError';
  }
}

/** $XDG_STATE_HOME/pwguard/checkpoint-keys, or ~/.local/state/pwguard/checkpoint-keys. */
export function defaultCheckpointKeyDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'pwguard', 'checkpoint-keys');
}

/** One run's secret; HMACs are cached per target (a checkpoint is saved every few seconds). */
export class CheckpointKey {
  private readonly cache = new WeakMap<Target, { key: string; context: string; contextKey: string }>();

  constructor(readonly run: string, private readonly secret: Buffer) {}

  private hmac(text: string, hexDigits: number): string {
    return createHmac('sha256', this.secret).update(text).digest('hex').slice(0, hexDigits);
  }

  /** The target's key and context field in the checkpoint. */
  of(t: Target): { key: string; context: string } {
    let c = this.cache.get(t);
    if (!c || c.contextKey !== t.contextKey) {
      c = { key: this.hmac(`target\0${t.scheme.id}\0${t.stored}`, 32), context: this.hmac(`context\0${t.contextKey}`, 16), contextKey: t.contextKey };
      this.cache.set(t, c);
    }
    return c;
  }
}

/** A new run: a fresh secret in a new 0600 key file in the private key folder. */
export function newCheckpointKey(o: CheckpointOptions): CheckpointKey {
  const dir = keyFolder(o);
  const run = randomBytes(16).toString('hex');
  const secret = randomBytes(SECRET_BYTES);
  writeFileAtomic(join(dir, `${run}.key`), secret, { mode: 0o600, what: 'checkpoint key' });
  return new CheckpointKey(run, secret);
}

/** The key of the run that wrote `cp`; refused when missing or not private. */
export function loadCheckpointKey(o: CheckpointOptions, cp: Checkpoint): CheckpointKey {
  const dir = keyFolder(o);
  const file = join(dir, `${cp.run}.key`);
  let st: Stats;
  try {
    st = lstatSync(file);
  } catch (err) {
    throw new CheckpointError(`checkpoint ${o.path}: its key ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)}); keys are kept apart from checkpoints: give --checkpoint-key-dir, or start without --resume`);
  }
  if (!st.isFile() || st.uid !== process.geteuid?.() || (st.mode & 0o077) !== 0 || st.size !== SECRET_BYTES) {
    throw new CheckpointError(`checkpoint key ${file} is not a private ${SECRET_BYTES}-byte file of yours (mode 0600): start without --resume`);
  }
  return new CheckpointKey(cp.run, readFileSync(file));
}

/** The key folder, created 0700; it must be ours, private, and not the checkpoint's own folder. */
function keyFolder(o: CheckpointOptions): string {
  const dir = resolve(o.keyDir ?? defaultCheckpointKeyDir());
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw new CheckpointError(`cannot create the checkpoint key folder ${dir}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  const st = lstatSync(dir);
  if (!st.isDirectory() || st.uid !== process.geteuid?.() || (st.mode & 0o077) !== 0) {
    throw new CheckpointError(`checkpoint key folder ${dir} must be a folder of yours that only you can use (mode 0700)`);
  }
  if (realpathSync(dir) === realpathSync(dirname(resolve(o.path)))) {
    throw new CheckpointError(`checkpoint ${o.path} is in the key folder ${dir}: keep checkpoints and their keys apart`);
  }
  return dir;
}

export function makeCheckpoint(targets: readonly Target[], listsFingerprint: string, key: CheckpointKey): Checkpoint {
  const out: Record<string, CheckpointTarget> = {};
  for (const t of targets) {
    const k = key.of(t);
    out[k.key] = t.found === undefined ? { tried: t.tried, context: k.context } : { tried: t.tried, found: t.found, context: k.context };
  }
  return { version: CHECKPOINT_VERSION, run: key.run, lists: listsFingerprint, targets: out };
}

export function writeCheckpoint(path: string, cp: Checkpoint, inputs: readonly (string | undefined)[] = []): void {
  writeFileAtomic(path, JSON.stringify(cp), { mode: 0o600, inputs, what: 'checkpoint' });
}

/** Read and validate a checkpoint: anything malformed is refused with a message naming the file. */
export function readCheckpoint(path: string): Checkpoint {
  const bad = (why: string): CheckpointError => new CheckpointError(`checkpoint ${path}: ${why}: start without --resume`);
  const text = readRegular(path, bad);
  let cp: unknown;
  try {
    cp = JSON.parse(text);
  } catch {
    throw bad('not valid JSON (damaged?)');
  }
  if (!isRecord(cp)) throw bad('not a pwguard audit checkpoint');
  if (cp.version === 1) throw bad('made by an older pwguard (version 1)');
  if (cp.version !== CHECKPOINT_VERSION) throw bad(`not a pwguard audit checkpoint (version ${CHECKPOINT_VERSION})`);
  const extra = Object.keys(cp).find((k) => !['version', 'run', 'lists', 'targets'].includes(k));
  if (extra !== undefined) throw bad(`unknown field "${printable(extra)}"`);
  if (typeof cp.run !== 'string' || !/^[0-9a-f]{32}$/.test(cp.run)) throw bad('"run" is not 32 hex digits');
  if (typeof cp.lists !== 'string' || !/^[0-9a-f]{1,64}$/.test(cp.lists)) throw bad('"lists" is not a hex fingerprint');
  if (!isRecord(cp.targets)) throw bad('"targets" is not an object');
  for (const [key, value] of Object.entries(cp.targets)) {
    if (!/^[0-9a-f]{32}$/.test(key)) throw bad('a target key is not 32 hex digits');
    const why = targetProblem(value);
    if (why) throw bad(`target ${key}: ${why}`);
  }
  return cp as unknown as Checkpoint;
}

function targetProblem(v: unknown): string | undefined {
  if (!isRecord(v)) return 'not an object';
  const extra = Object.keys(v).find((k) => !['tried', 'found', 'context'].includes(k));
  if (extra !== undefined) return `unknown field "${printable(extra)}"`;
  if (!isCount(v.tried)) return '"tried" is not a whole number >= 0';
  // found may lie beyond tried: batches finish out of order, tried is the contiguous prefix.
  if (v.found !== undefined && !isCount(v.found)) return '"found" is not a whole number >= 0';
  if (typeof v.context !== 'string' || !/^[0-9a-f]{16}$/.test(v.context)) return '"context" is not 16 hex digits';
  return undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

/** A field name from the file, shortened and without control characters, for a message. */
function printable(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, '?').slice(0, 40);
}

/** The whole file, if it is a regular file of sane size (a FIFO or /dev/zero would hang or grow). */
function readRegular(path: string, bad: (why: string) => CheckpointError): string {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK); // a FIFO opens at once, then is refused
  } catch (err) {
    throw new CheckpointError(`cannot read checkpoint ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw bad('not a regular file');
    if (st.size > MAX_CHECKPOINT_BYTES) throw bad(`${st.size} bytes is far larger than any checkpoint`);
    const buf = Buffer.alloc(st.size);
    let got = 0;
    while (got < buf.length) {
      const n = readSync(fd, buf, got, buf.length - got, got);
      if (n === 0) break;
      got += n;
    }
    return buf.toString('utf8', 0, got);
  } finally {
    closeSync(fd);
  }
}

/**
 * Apply a checkpoint: targets with the same stored value and context continue where they were.
 * Returns how many targets were restored. Different guess lists are refused: indices would lie.
 */
export function applyCheckpoint(targets: Target[], cp: Checkpoint, listsFingerprint: string, path: string, key: CheckpointKey): number {
  if (cp.lists !== listsFingerprint) {
    throw new CheckpointError(`checkpoint ${path} was made with other guess lists (--wordlist or the built-in list changed): start without --resume`);
  }
  let restored = 0;
  for (const t of targets) {
    const k = key.of(t);
    const s = cp.targets[k.key];
    if (!s || s.context !== k.context) continue;
    t.tried = s.tried;
    if (s.found !== undefined) t.found = s.found;
    restored++;
  }
  return restored;
}
