// Entry of hook-client.cjs, the file the installed launcher requires. Kept apart from the checker
// so a password change with the resident checker running loads nothing but node: built-ins.
// Not part of the package API (bundled on its own by scripts/build-hook.mjs).
import { writeSync } from 'node:fs';
import { join } from 'node:path';
import { askDaemon, MAX_INPUT_BYTES, readStdinSync } from './client.js';

export interface LauncherOptions {
  /** Folder with pam-hook.mjs and the ranked file. */
  readonly lib: string;
  readonly rankedFile?: string;
  /** A config other than the default: the resident checker does not serve it, so check in-process. */
  readonly config?: string;
  /** Resident checker socket; without one, always in-process. */
  readonly socket?: string;
}

interface Bundle {
  main(o: { rankedFile?: string; config?: string }, stdin?: Uint8Array): void;
  serve(o: { socket: string; rankedFile?: string }): Promise<unknown>;
}

const load = (opts: LauncherOptions) => import(join(opts.lib, 'pam-hook.mjs')) as Promise<Bundle>;

export function run(opts: LauncherOptions): void {
  const words = process.argv.slice(2);
  if (words[0] === '--daemon') {
    void load(opts).then((b) => b.serve({ socket: words[1] ?? opts.socket ?? '', rankedFile: opts.rankedFile }));
    return;
  }
  const inProcess = (stdin?: Uint8Array) => void load(opts).then((b) => b.main({ rankedFile: opts.rankedFile, config: opts.config }, stdin));
  if (!opts.socket || opts.config || words.length > 0 || process.env.PAM_TYPE !== 'password') return inProcess();
  const stdin = readStdinSync(MAX_INPUT_BYTES + 1);
  const req = {
    v: 1 as const, type: 'password' as const, user: process.env.PAM_USER ?? '', service: process.env.PAM_SERVICE ?? '',
    byRoot: process.getuid?.() === 0, password: stdin.toString('base64'),
  };
  void askDaemon(opts.socket, req).then((reply) => {
    if (!reply) return inProcess(stdin);
    if (reply.lines.length > 0) writeSync(1, `${reply.lines.join('\n')}\n`);
    process.exitCode = reply.exitCode;
  });
}
