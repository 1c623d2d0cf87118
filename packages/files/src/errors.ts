// The one error type of @pwguard/files: a code a front end can branch on and a one-line message
// that names the file and the reason (never the content).

export type OutputFileErrorCode =
  /** The path is unsafe to write: a symlink, not a regular file, another user's file, no such folder. */
  | 'output_unsafe'
  /** The path is one of the run's inputs (`--output /etc/shadow` while auditing /etc/shadow). */
  | 'output_is_input'
  /** Creating, writing, syncing or renaming failed (full disk, quota, I/O error): the old file is kept. */
  | 'write_failed';

export class OutputFileError extends Error {
  constructor(readonly code: OutputFileErrorCode, readonly path: string, message: string) {
    super(message);
    this.name = 'OutputFileError';
  }
}

const REASONS: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EIO: 'input/output error',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EFBIG: 'file too large',
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'it is a folder',
  ELOOP: 'a symbolic link is in the way',
  EEXIST: 'a file of that name appeared meanwhile',
};

/** "no space left on the device (ENOSPC)": the errno said in words, with its code. */
export function reasonOf(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (!code) return err instanceof Error ? err.message : String(err);
  const words = REASONS[code];
  return words ? `${words} (${code})` : code;
}

/** "cannot write report /x/y: ..." */
export function describe(what: string | undefined, path: string, why: string): string {
  return `cannot write ${what ? `${what} ` : ''}${path}: ${why}`;
}

/**
 * A failed create/write/sync/rename as a write_failed error. `after` ends the message: by default
 * that the previous file is untouched (true of everything written through AtomicFile).
 */
export function writeFailed(err: unknown, path: string, what?: string, after = 'any previous file is left unchanged'): OutputFileError {
  if (err instanceof OutputFileError) return err;
  return new OutputFileError('write_failed', path, describe(what, path, `${reasonOf(err)}; ${after}`));
}
