// Replacing a file atomically: a fresh temp file in the target's folder (random name, created with
// O_CREAT|O_EXCL|O_NOFOLLOW, mode 0600 by default), every write checked, fsync, rename over the
// target, fsync the folder. On any failure the temp file is removed and the target is untouched.
import { randomBytes } from 'node:crypto';
import { closeSync, constants, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { checkOutputPath, type OutputOptions } from './check.js';
import { OutputFileError, describe, writeFailed } from './errors.js';

export interface AtomicOptions extends OutputOptions {
  /** Mode of the new file (default 0600); the umask can only make it stricter. */
  readonly mode?: number;
  /**
   * Folder for the temp file instead of the target's own (a private folder the caller made on the
   * same file system, so an interrupted run can remove it whole).
   */
  readonly stageIn?: string;
}

const CREATE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/** Create a new file; never opens one that exists and never follows a symlink planted at `path`. */
export function createExclusive(path: string, mode: number): number {
  return openSync(path, CREATE, mode);
}

/** ".NAME.<32 random hex>.tmp": nothing another user could guess and plant beforehand. */
export function tempNameFor(target: string): string {
  return `.${basename(resolve(target))}.${randomBytes(16).toString('hex')}.tmp`;
}

/**
 * Write all of `data` to `fd` (at `position` when given): a short write is continued, a write that
 * makes no progress is a full disk, any error becomes a write_failed OutputFileError naming `path`.
 */
export function writeAll(fd: number, data: string | Uint8Array, path: string, options: { position?: number; what?: string; after?: string } = {}): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let done = 0;
  let position = options.position;
  while (done < bytes.length) {
    let n: number;
    try {
      n = writeSync(fd, bytes, done, bytes.length - done, position ?? null);
    } catch (err) {
      throw writeFailed(err, path, options.what, options.after);
    }
    if (n <= 0) throw writeFailed(Object.assign(new Error('no progress'), { code: 'ENOSPC' }), path, options.what, options.after);
    done += n;
    if (position !== undefined) position += n;
  }
}

/** A file being written that replaces `target` only on commit(). */
export class AtomicFile {
  private fd: number | undefined;
  private finished = false;

  private constructor(readonly target: string, readonly tempPath: string, fd: number, private readonly what: string | undefined) {
    this.fd = fd;
  }

  /** Check the target (checkOutputPath) and create the temp file. */
  static create(target: string, options: AtomicOptions = {}): AtomicFile {
    checkOutputPath(target, options);
    const temp = join(options.stageIn ?? dirname(resolve(target)), tempNameFor(target));
    let fd: number;
    try {
      fd = createExclusive(temp, options.mode ?? 0o600);
    } catch (err) {
      throw writeFailed(err, target, options.what);
    }
    return new AtomicFile(target, temp, fd, options.what);
  }

  /** Append `data`, or write it at `position` (e.g. a header filled in last). */
  write(data: string | Uint8Array, position?: number): void {
    writeAll(this.open(), data, this.target, { ...(position !== undefined ? { position } : {}), ...(this.what ? { what: this.what } : {}) });
  }

  /** fsync, close and rename over the target, then fsync its folder. Aborts on failure. */
  commit(): void {
    const fd = this.open();
    try {
      fsyncSync(fd);
      this.fd = undefined;
      closeSync(fd);
      renameSync(this.tempPath, resolve(this.target));
    } catch (err) {
      this.abort();
      throw writeFailed(err, this.target, this.what);
    }
    this.finished = true;
    syncFolder(dirname(resolve(this.target)));
  }

  /** Close and remove the temp file; the target is left as it was. Safe to call twice. */
  abort(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.fd !== undefined) {
      try {
        closeSync(this.fd);
      } catch {
        // closing is best effort here: the file is removed next
      }
      this.fd = undefined;
    }
    try {
      unlinkSync(this.tempPath);
    } catch {
      // already gone
    }
  }

  private open(): number {
    if (this.fd === undefined || this.finished) throw new OutputFileError('write_failed', this.target, describe(this.what, this.target, 'internal: the file was already committed or aborted'));
    return this.fd;
  }
}

/** Make the rename durable. Some file systems refuse fsync on a folder: the rename stands anyway. */
function syncFolder(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, constants.O_RDONLY | constants.O_DIRECTORY);
    fsyncSync(fd);
  } catch {
    // not fatal: the data itself was synced before the rename
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Replace `target` with `data` (a string, bytes, or chunks of either) atomically. */
export function writeFileAtomic(target: string, data: string | Uint8Array | Iterable<string | Uint8Array>, options: AtomicOptions = {}): void {
  const file = AtomicFile.create(target, options);
  try {
    if (typeof data === 'string' || data instanceof Uint8Array) file.write(data);
    else for (const chunk of data) file.write(chunk);
    file.commit();
  } catch (err) {
    file.abort();
    throw err;
  }
}
