// Reading the small files a policy names (the config, banned words): regular files only, bounded
// in size, so a FIFO, a device or a directory is refused at once instead of hanging a login.
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { ConfigError } from './errors.js';

/** A policy-related file is a few thousand lines at most; more is not what the key names. */
export const MAX_SMALL_FILE_BYTES = 16 * 1024 * 1024;

/**
 * The text of a regular file of at most `maxBytes`. `what` names the file's role in the message
 * ("config file", "banned_words_file"). Errors are ConfigErrors; ENOENT keeps its code in the
 * message and is also available as `cause` for callers that treat a missing file as "none".
 */
export function readSmallFile(path: string, what: string, maxBytes = MAX_SMALL_FILE_BYTES): string {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO would otherwise wait for a writer; regular files ignore the flag.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw new ConfigError(`cannot read ${what} ${path}: ${errnoText(err)}`, { cause: err });
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new ConfigError(`${what} ${path} is not a regular file (${fileKind(st)})`);
    const buf = Buffer.allocUnsafe(Math.min(maxBytes, st.size) + 1);
    let n = 0;
    for (let r = 1; r > 0 && n < buf.length; n += r) r = readSync(fd, buf, n, buf.length - n, null);
    if (n > maxBytes) throw new ConfigError(`${what} ${path} is larger than ${formatBytes(maxBytes)}`);
    return buf.toString('utf8', 0, n);
  } finally {
    closeSync(fd);
  }
}

/** Was this error a missing file (the default config may be absent)? */
export function isMissingFile(err: unknown): boolean {
  return err instanceof Error && (err.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

/** What an open(2) failure means, in words, with the code for searching ("no such file or folder (ENOENT)"). */
const ERRNO_TEXT: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a folder on the path is not a folder',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'file name too long',
  EIO: 'input/output error',
};

function errnoText(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === undefined) return String(err);
  const text = ERRNO_TEXT[code];
  return text ? `${text} (${code})` : code;
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${n / 1024 / 1024} MiB` : `${n} bytes`;
}

export function fileKind(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  return st.isSocket() ? 'a socket' : 'not a file';
}
