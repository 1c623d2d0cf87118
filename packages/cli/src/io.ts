// Small I/O helpers the commands share: stdin, secret files, private report files.
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '@pwguard/files';
import { UserError } from './errors.js';

/** Read all of stdin as bytes (the password path: never argv). */
export async function readStdinBytes(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Read stdin as text lines (for commands that take one item per line). */
export async function readStdinLines(): Promise<string[]> {
  const text = (await readStdinBytes()).toString('utf8');
  const lines = text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** A whole text file; a failure is one line naming what the file is for, where, and why. */
export function readTextFile(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new UserError(`cannot read ${what} ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}

/** Read a secret (e.g. a bind password) from a file: first line, without its newline. */
export function readSecretFile(path: string, what: string): string {
  return readTextFile(path, `${what} file`).split(/\r?\n/)[0] ?? '';
}

/**
 * Write a report file readable only by its owner: a new 0600 file renamed over `path`, never through
 * a symlink, never over another user's file or an input of the run. Failures are OutputFileError
 * (program.ts prints them and exits 2); the previous file is kept.
 */
export function writePrivateFile(path: string, content: string, inputs: readonly (string | undefined)[] = [], what = 'report'): void {
  writeFileAtomic(path, content, { mode: 0o600, inputs, what });
}
