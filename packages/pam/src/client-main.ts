// Entry of hook-client.cjs, the file the installed launcher requires. Kept apart from the checker
// so a password change with the resident checker running loads nothing but node: built-ins.
// Not part of the package API (bundled on its own by scripts/build-hook.mjs).
import { join } from 'node:path';
import { askDaemon } from './client.js';
import { avenueContext, CHECK_FLAG, OLDAUTHTOK_ENV, OLDAUTHTOK_ON_STDIN, REPORT_FD, SAMBA_FLAG, sambaHookEnv } from './protocol.js';
import { superviseHook } from './supervise.js';

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
  main(o: { rankedFile?: string; config?: string; words?: readonly string[]; reportFd?: number }): void;
  serve(o: { socket: string; rankedFile?: string }): Promise<unknown>;
}

const load = (opts: LauncherOptions) => import(join(opts.lib, 'pam-hook.mjs')) as Promise<Bundle>;

/**
 * The launcher's process is the one PAM waits for: it asks the resident checker, or runs the
 * check in a child (this same launcher with CHECK_FLAG), under the hook's hard deadline.
 */
export function run(opts: LauncherOptions): void {
  const words = process.argv.slice(2);
  if (words[0] === '--daemon') {
    void load(opts).then((b) => b.serve({ socket: words[1] ?? opts.socket ?? '', rankedFile: opts.rankedFile }));
    return;
  }
  if (words[0] === CHECK_FLAG) {
    void load(opts).then((b) => b.main({ rankedFile: opts.rankedFile, config: opts.config, words: words.slice(1), reportFd: REPORT_FD }));
    return;
  }
  if (words[0] === SAMBA_FLAG) {
    // Samba's check password script: its variables become the hook's; the check is the same.
    const mapped = sambaHookEnv(process.env);
    if ('error' in mapped) {
      process.stdout.write(`${mapped.error}\n`);
      process.exit(2);
    }
    process.env = mapped.env;
    words.shift();
  }
  const socket = opts.socket;
  // The resident checker's request carries no avenue context: a directory avenue checks in the child.
  const viaDaemon = socket && !opts.config && words.length === 0 && process.env.PAM_TYPE === 'password' && !avenueContext(process.env);
  superviseHook({
    check: [process.argv[1] ?? '', CHECK_FLAG, ...words],
    ask: viaDaemon
      ? (password) => askDaemon(socket, {
        v: 1, type: 'password', user: process.env.PAM_USER ?? '', service: process.env.PAM_SERVICE ?? '',
        byRoot: process.getuid?.() === 0, password: password.toString('base64'),
        ...(process.env[OLDAUTHTOK_ENV] === OLDAUTHTOK_ON_STDIN ? { oldAuthtok: OLDAUTHTOK_ON_STDIN } : {}),
      })
      : undefined,
  });
}
