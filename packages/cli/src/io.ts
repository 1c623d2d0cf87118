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

/** Most bytes read at a terminal prompt: far above any max_length, far below harm. */
const MAX_TYPED_BYTES = 64 * 1024;

/**
 * Ask for a secret at the terminal on stdin, as passwd does: the prompt on stderr, echo off, one
 * line (Enter ends it; Backspace, Ctrl-U edit; Ctrl-C stops with exit 130; Ctrl-D on an empty line
 * ends it). Raw mode keeps the typed bytes off the screen; Node restores the terminal at exit,
 * and so does this function as soon as the line is read.
 */
export async function readSecretFromTerminal(prompt: string): Promise<Buffer> {
  const input = process.stdin;
  input.setRawMode(true);
  process.stderr.write(prompt);
  const typed: number[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        for (const byte of chunk) {
          if (byte === 0x0d || byte === 0x0a || (byte === 0x04 && typed.length === 0)) return done();
          if (byte === 0x03) return done(new UserError('interrupted (Ctrl-C): nothing was checked', 130));
          if (byte === 0x7f || byte === 0x08) dropLastChar(typed);
          else if (byte === 0x15) typed.length = 0;
          else if (typed.length < MAX_TYPED_BYTES) typed.push(byte);
        }
        chunk.fill(0);
      };
      const onEnd = () => done();
      const done = (err?: Error) => {
        input.off('data', onData);
        input.off('end', onEnd);
        input.pause();
        if (err) reject(err);
        else resolve();
      };
      input.on('data', onData);
      input.once('end', onEnd);
      input.resume();
    });
  } finally {
    input.setRawMode(false);
    process.stderr.write('\n');
  }
  const secret = Buffer.from(typed);
  typed.fill(0);
  return secret;
}

/** Backspace removes one character: its UTF-8 continuation bytes (10xxxxxx) and its lead byte. */
function dropLastChar(bytes: number[]): void {
  while (bytes.length > 0 && ((bytes[bytes.length - 1] ?? 0) & 0xc0) === 0x80) bytes.pop();
  bytes.pop();
}
