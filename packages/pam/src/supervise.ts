// The hook's hard deadline. The check reads files synchronously (config, breach store, passwd,
// stdin): a FIFO, a hung mount or a stdin never closed blocks its JavaScript, timers included. So
// the process PAM waits for never does any of that itself: it runs the check in a child process
// and, at the deadline, kills it and answers on_error on its own. node: built-ins only (bundled
// into hook-client.cjs, which the installed launcher requires).
import { spawn, type ChildProcess } from 'node:child_process';
import { writeSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { MAX_INPUT_BYTES, type DaemonReply } from './client.js';
import type { LogPriority } from './hook.js';
import { deadlineMs, REPORT_FD, unfinishedCheck, type OnError } from './protocol.js';
import { hookLog } from './syslog.js';

export interface Supervision {
  /** Arguments of the check, started as `process.execPath ...check` (absolute: pam_exec gives no PATH). */
  readonly check: readonly string[];
  /** The resident checker, asked first (password stack); null: no answer, check in the child. */
  readonly ask?: (password: Buffer) => Promise<DaemonReply | null>;
  readonly log?: (priority: LogPriority, message: string) => void;
}

/** Most bytes of the check's stdout passed on (it prints a few lines). */
const MAX_OUTPUT = 64 * 1024;
/** After SIGKILL, how long to wait for the check to be reaped before answering anyway (a read stuck in the kernel). */
const REAP_GRACE_MS = 1000;

/** Runs the hook under its deadline; ends the process with the check's answer or on_error's. */
export function superviseHook(s: Supervision): void {
  const type = process.env.PAM_TYPE ?? '';
  const user = process.env.PAM_USER ?? '';
  const log = s.log ?? hookLog;
  const limit = deadlineMs(type);
  let child: ChildProcess | null = null;
  let onError: OnError | null = null;
  let over = false;

  const answer = (code: number, text: string, after?: ChildProcess) => {
    if (over) return;
    over = true;
    clearTimeout(timer);
    if (text !== '') writeSync(1, text);
    if (!after || after.exitCode !== null || after.signalCode !== null) process.exit(code);
    after.once('exit', () => process.exit(code));
    setTimeout(() => process.exit(code), REAP_GRACE_MS);
  };
  const giveUp = (why: 'timeout' | 'internal_error', detail: string) => {
    if (over) return;
    const r = unfinishedCheck(type, user, onError, why, detail);
    log('err', r.log);
    child?.kill('SIGKILL');
    answer(r.exitCode, r.lines.map((l) => `${l}\n`).join(''), child ?? undefined);
  };
  const timer = setTimeout(() => giveUp('timeout', `no verdict within ${limit / 1000} s, check stopped`), limit);

  const startCheck = (password?: Buffer) => {
    const c = spawn(process.execPath, [...s.check], { stdio: [password ? 'pipe' : 'inherit', 'pipe', 'inherit', 'pipe'] });
    child = c;
    const out: Buffer[] = [];
    let outLen = 0;
    let outEnded = false;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
    const settle = () => {
      if (!exit || !outEnded) return;
      if (exit.signal) giveUp('internal_error', `the check was killed by signal ${exit.signal}`);
      else answer(exit.code ?? 1, Buffer.concat(out).toString('utf8'));
    };
    c.on('error', (err) => giveUp('internal_error', `cannot start the check: ${err.message}`));
    c.on('exit', (code, signal) => {
      exit = { code, signal };
      settle();
    });
    c.stdout?.on('data', (b: Buffer) => {
      if (outLen < MAX_OUTPUT) out.push(b);
      outLen += b.length;
    });
    c.stdout?.on('end', () => {
      outEnded = true;
      settle();
    });
    (c.stdio[REPORT_FD] as Readable | null)?.on('data', (b: Buffer) => {
      const m = /on_error=(accept|reject)/.exec(b.toString('latin1'));
      if (m) onError = m[1] as OnError;
    });
    if (password && c.stdin) {
      c.stdin.on('error', () => { /* the check exited without reading: its status decides */ });
      c.stdin.end(password, () => password.fill(0));
    }
  };

  if (!s.ask) return startCheck();
  const ask = s.ask;
  readInput(MAX_INPUT_BYTES + 1).then(async (password) => {
    const reply = await ask(password);
    if (over) return;
    if (!reply) return startCheck(password);
    password.fill(0);
    answer(reply.exitCode, reply.lines.length > 0 ? `${reply.lines.join('\n')}\n` : '');
  }, (err: Error) => giveUp('internal_error', `cannot read stdin: ${err.message}`));
}

/** stdin up to `limit` bytes, without blocking the event loop (a stdin never closed meets the deadline). */
function readInput(limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const input = process.stdin;
    const chunks: Buffer[] = [];
    let total = 0;
    const done = () => {
      input.removeAllListeners('data');
      input.destroy();
      const all = Buffer.concat(chunks);
      for (const c of chunks) c.fill(0);
      resolve(all);
    };
    input.on('data', (b: Buffer) => {
      chunks.push(b);
      total += b.length;
      if (total >= limit) done();
    });
    input.once('end', done);
    input.once('error', reject);
  });
}
