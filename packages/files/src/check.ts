// Is a path safe to write? Checked before a long run starts (an audit must not lose two hours to a
// bad --output) and again just before the file is created.
import { accessSync, constants, lstatSync, realpathSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { OutputFileError, describe, reasonOf } from './errors.js';

export interface OutputOptions {
  /** Paths this run reads: the output must be none of them (compared by real path and inode). */
  readonly inputs?: readonly (string | undefined)[];
  /** What the file is, for messages: "report", "checkpoint", "breach store". */
  readonly what?: string;
}

/**
 * Throws OutputFileError unless `target` can be replaced safely: its folder exists and is
 * writable; if it exists it is a regular file (not a symlink) owned by the caller; it is not one of
 * `inputs`.
 */
export function checkOutputPath(target: string, options: OutputOptions = {}): void {
  const abs = resolve(target);
  const dir = dirname(abs);
  const unsafe = (why: string): OutputFileError => new OutputFileError('output_unsafe', target, describe(options.what, target, why));
  let dirStat: Stats;
  try {
    dirStat = statSync(dir);
  } catch (err) {
    throw unsafe(`its folder ${dir}: ${reasonOf(err)}`);
  }
  if (!dirStat.isDirectory()) throw unsafe(`${dir} is not a folder`);
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (err) {
    throw unsafe(`cannot create files in ${dir}: ${reasonOf(err)}`);
  }
  let st: Stats | undefined;
  try {
    st = lstatSync(abs);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw unsafe(reasonOf(err));
  }
  if (st) {
    if (st.isSymbolicLink()) throw unsafe('it is a symbolic link (never followed): remove it or choose another path');
    if (!st.isFile()) throw unsafe('it exists and is not a regular file');
    const me = process.geteuid?.();
    if (me !== undefined && st.uid !== me) throw unsafe(`it belongs to another user (uid ${st.uid}): remove it or choose another path`);
  }
  const real = join(realpathSync(dir), basename(abs));
  for (const input of options.inputs ?? []) {
    if (input !== undefined && sameFile(real, st, input)) {
      throw new OutputFileError('output_is_input', target, describe(options.what, target, `it is an input of this run (${input}): refusing to overwrite it`));
    }
  }
}

function sameFile(realTarget: string, st: Stats | undefined, input: string): boolean {
  try {
    if (realpathSync(input) === realTarget) return true;
    if (!st) return false;
    const other = statSync(input);
    return other.dev === st.dev && other.ino === st.ino;
  } catch {
    return false; // an input that cannot be found is not this file; reading it reports the problem
  }
}
