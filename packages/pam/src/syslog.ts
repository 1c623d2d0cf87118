// The hook's log: syslog (auth facility) through logger(1), from the launcher and from the check.
// node: built-ins only (bundled into hook-client.cjs too). Never given the password.
import { appendFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import type { LogPriority } from './hook.js';

/** To syslog through /usr/bin/logger (pam_exec gives no PATH); PWGUARD_HOOK_LOG=FILE appends there instead (tests). */
export function hookLog(priority: LogPriority, message: string): void {
  const file = process.env.PWGUARD_HOOK_LOG;
  try {
    if (file) {
      appendFileSync(file, `${priority}: ${message}\n`);
      return;
    }
    // No stdout: pam_exec reads the hook's stdout to end-of-file, so a child holding it would hang the change.
    const child = spawn('/usr/bin/logger', ['-t', 'pwguard-pam-hook', '-p', `auth.${priority}`, '--', message], { stdio: 'ignore', detached: true });
    child.on('error', () => { /* no logger: nothing more to do */ });
    child.unref();
  } catch {
    // logging must never change the verdict
  }
}
