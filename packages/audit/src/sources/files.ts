// Reading input files safely: only regular files (a FIFO would hang the run, /dev/zero would fill
// memory, a directory is a mistake), whole files only up to a documented size, and long lists
// line by line in bounded memory, checking for an interrupt between chunks.
import { constants, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { SourceError } from './problems.js';

/** Largest shadow, passwd or htpasswd file read whole (256 MiB: about two million accounts). */
export const MAX_SOURCE_BYTES = 256 * 1024 * 1024;
/** A wordlist line longer than this is not a password anyone types: reported and skipped. */
export const MAX_LINE_BYTES = 4096;
const CHUNK = 1024 * 1024;

/**
 * Open `path` for reading and check with fstat (after open, so the check is about the file read)
 * that it is a regular file. O_NONBLOCK: opening a FIFO without a writer must not hang.
 */
export async function openRegular(path: string, what: string): Promise<{ fh: FileHandle; size: number }> {
  let fh: FileHandle;
  try {
    fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (err) {
    throw readError(path, what, err);
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new SourceError(`cannot read ${what} ${path}: it is ${kindOf(st)}, not a regular file`);
    return { fh, size: st.size };
  } catch (err) {
    await fh.close();
    throw err instanceof SourceError ? err : readError(path, what, err);
  }
}

/** Read a whole regular file of at most `max` bytes. */
export async function readSourceFile(path: string, what: string, max = MAX_SOURCE_BYTES): Promise<Buffer> {
  const { fh, size } = await openRegular(path, what);
  try {
    if (size > max) throw tooLarge(path, what, max);
    const parts: Buffer[] = [];
    let total = 0;
    for (;;) {
      // Read past st_size: a file may grow while it is read (or report size 0, as /proc does).
      const buf = Buffer.allocUnsafe(Math.min(CHUNK, max + 1 - total));
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      parts.push(buf.subarray(0, bytesRead));
      total += bytesRead;
      if (total > max) throw tooLarge(path, what, max);
    }
    return Buffer.concat(parts, total);
  } catch (err) {
    throw err instanceof SourceError ? err : readError(path, what, err);
  } finally {
    await fh.close();
  }
}

export interface FileLine {
  /** 1-based line number. */
  readonly line: number;
  /** The line without its newline (and a CR before it); null when longer than MAX_LINE_BYTES. */
  readonly bytes: Buffer | null;
}

/**
 * The lines of a regular file, read a chunk at a time: memory stays bounded whatever the file's
 * size, and a caller that has enough simply stops iterating (the rest is never read). An abort
 * between chunks ends the read with a SourceError.
 */
export async function* fileLines(path: string, what: string, signal?: AbortSignal): AsyncGenerator<FileLine> {
  const { fh } = await openRegular(path, what);
  try {
    let line = 0;
    let carry: Buffer[] = [];
    let carried = 0;
    let overlong = false;
    const buf = Buffer.allocUnsafe(CHUNK);
    for (;;) {
      if (signal?.aborted) throw new SourceError(`interrupted while reading ${what} ${path}`);
      let bytesRead: number;
      try {
        ({ bytesRead } = await fh.read(buf, 0, CHUNK, null));
      } catch (err) {
        throw readError(path, what, err);
      }
      if (bytesRead === 0) break;
      let start = 0;
      for (let nl = buf.indexOf(0x0a, 0); nl !== -1 && nl < bytesRead; nl = buf.indexOf(0x0a, start)) {
        line++;
        const piece = buf.subarray(start, nl);
        start = nl + 1;
        if (overlong || carried + piece.length > MAX_LINE_BYTES + 1) yield { line, bytes: null };
        else yield { line, bytes: stripCr(carried ? Buffer.concat([...carry, piece]) : Buffer.from(piece)) };
        carry = [];
        carried = 0;
        overlong = false;
      }
      if (start < bytesRead && !overlong) {
        const rest = buf.subarray(start, bytesRead);
        if (carried + rest.length > MAX_LINE_BYTES + 1) {
          overlong = true; // keep nothing more of it: a file of one endless line costs no memory
          carry = [];
          carried = 0;
        } else {
          carry.push(Buffer.from(rest));
          carried += rest.length;
        }
      }
    }
    if (overlong) yield { line: line + 1, bytes: null };
    else if (carried > 0) yield { line: line + 1, bytes: stripCr(Buffer.concat(carry)) };
  } finally {
    await fh.close();
  }
}

function stripCr(b: Buffer): Buffer | null {
  const out = b.length > 0 && b[b.length - 1] === 0x0d ? b.subarray(0, b.length - 1) : b;
  return out.length > MAX_LINE_BYTES ? null : out;
}

function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a plain file';
}

function tooLarge(path: string, what: string, max: number): SourceError {
  return new SourceError(`cannot read ${what} ${path}: larger than the ${Math.round(max / 1024 / 1024)} MiB limit for a ${what}`);
}

/** errno as one line that names the file. */
export function readError(path: string, what: string, err: unknown): SourceError {
  const code = (err as NodeJS.ErrnoException).code ?? String(err);
  const hint = code === 'EACCES' ? ' (permission denied: run as root or grant read access)' : code === 'ENXIO' ? ' (a socket or a device: not a regular file)' : '';
  return new SourceError(`cannot read ${what} ${path}: ${code}${hint}`);
}
