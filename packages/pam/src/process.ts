// The pam_exec hook process and the resident checker: the system side of runHook (config, passwd,
// syslog, weak-login records, chage), all through @pwguard/runtime. Also the entry of the bundled
// hook (packages/pam/dist/hook, built from this package's own sources), so it imports nothing heavy.
import { chmodSync, closeSync, mkdirSync, openSync, rmSync, statSync, writeSync, fchmodSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';
import type { Checker, Policy, ZxcvbnLoader } from '@pwguard/strength';
import { checkerFor, loadPolicy, lookupUser, zxcvbnLoader as runtimeZxcvbn } from '@pwguard/runtime';
import { DEFAULT_SOCKET, MAX_INPUT_BYTES, readStdinSync, type DaemonReply } from './client.js';
import { runHook, type HookSystem, type WeakLogin } from './hook.js';
import { EXIT_NO_VERDICT, OLDAUTHTOK_ENV, OLDAUTHTOK_ON_STDIN, safeName } from './protocol.js';
import { hookLog as log } from './syslog.js';

export interface HookProcessOptions {
  /** Config file (default: $PWGUARD_CONFIG, then /etc/security/pwguard.conf). */
  readonly config?: string;
  /** `key=value` policy settings from the stack line; they win over the file. */
  readonly args?: readonly string[];
  /** Prebuilt ranked dictionaries; without one zxcvbn is built the standard way. */
  readonly rankedFile?: string;
  /** Run by superviseHook: tell it the policy's on_error on this fd, for when the deadline passes. */
  readonly reportFd?: number;
}

/**
 * Run the hook as a process: read stdin, judge, print, set the exit code. Never throws. No
 * deadline of its own (synchronous reads would block a timer): superviseHook runs it in a child.
 */
export async function runHookProcess(opts: HookProcessOptions, stdinRead?: Uint8Array): Promise<number> {
  let code: number;
  try {
    const stdin = stdinRead ?? readStdinSync(MAX_INPUT_BYTES + 1);
    const result = await runHook({ stdin, env: process.env }, hookSystem(opts, zxcvbnLoader(opts.rankedFile)));
    if (result.lines.length > 0) writeSync(1, `${result.lines.join('\n')}\n`);
    code = result.exitCode;
  } catch (err) {
    // runHook maps every expected failure itself; this is a bug or an unreadable stdin: fail closed.
    log('err', `internal failure: ${err instanceof Error ? err.message : String(err)}`);
    writeSync(1, 'pwguard: the password check failed (details in the system log). The password was not changed.\n');
    code = process.env.PAM_TYPE === 'auth' ? 0 : EXIT_NO_VERDICT;
  }
  return code;
}

export interface LauncherCall {
  readonly config?: string;
  readonly rankedFile?: string;
  /** Stack-line words (default: argv): `config=FILE` or policy settings. */
  readonly words?: readonly string[];
  readonly reportFd?: number;
}

/** The bundled hook's entry (called by the launcher, in the child it supervises). */
export function main(launcher: LauncherCall = {}): void {
  const { config, args } = splitHookArgs(launcher.words ?? process.argv.slice(2), launcher.config);
  void runHookProcess({ config, args, rankedFile: launcher.rankedFile, reportFd: launcher.reportFd }).then((code) => {
    process.exitCode = code;
  });
}

/** Stack-line words: `config=FILE` picks the config file; the rest are policy settings. */
export function splitHookArgs(words: readonly string[], config?: string): { config?: string; args: string[] } {
  const last = words.filter((w) => w.startsWith('config=')).pop();
  return { config: last === undefined ? config : last.slice('config='.length), args: words.filter((w) => !w.startsWith('config=')) };
}

/** The ranked file the launcher names (none: the standard zxcvbn build); a damaged one is logged. */
function zxcvbnLoader(rankedFile: string | undefined): ZxcvbnLoader {
  return runtimeZxcvbn(rankedFile ?? '', (err) => log('warning', `ranked dictionaries unusable, building zxcvbn instead: ${err.message}`));
}

function hookSystem(opts: HookProcessOptions, zxcvbn: ZxcvbnLoader): HookSystem {
  return {
    loadPolicy: () => {
      const { policy } = loadPolicy({ config: opts.config, args: opts.args });
      if (opts.reportFd !== undefined) report(opts.reportFd, `on_error=${policy.on_error}\n`);
      return policy;
    },
    openChecker: async (policy: Policy): Promise<Checker> => checkerFor(policy, zxcvbn).checker,
    lookupUser: (name) => lookupUser(name),
    byRoot: process.getuid?.() === 0,
    log,
    recordWeakLogin,
    expirePassword,
  };
}

function report(fd: number, text: string): void {
  try {
    writeSync(fd, text);
  } catch {
    // no supervisor listening: the deadline then assumes reject
  }
}

function recordWeakLogin(policy: Policy, event: WeakLogin): void {
  const path = policy.weak_login_log;
  if (path === '') return;
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const fd = openSync(path, 'a', 0o600);
  try {
    fchmodSync(fd, 0o600);
    writeSync(fd, `${new Date().toISOString()} user=${safeName(event.user)} service=${safeName(event.service || '-')} reasons=${event.codes.join(',')}\n`);
  } finally {
    closeSync(fd);
  }
}

function expirePassword(user: string): void {
  const res = spawnSync('/usr/bin/chage', ['-d', '0', '--', user], { stdio: 'ignore', timeout: 5000 });
  if (res.status !== 0) throw new Error(`chage -d 0 ${safeName(user)} failed (status ${res.status ?? res.signal})`);
}

/** Most bytes of one request to the resident checker (a base64 password and a few names). */
const MAX_REQUEST = 256 * 1024;

/**
 * The resident checker: keeps zxcvbn, the breach store and the checker loaded and answers the
 * launcher over a Unix socket (password stack only; the login check, which may expire accounts,
 * always runs in the hook's own process). Socket-activated when systemd passes LISTEN_FDS=1.
 * The config is read again for every request, so edits apply at once.
 */
export async function serve(opts: { socket: string; rankedFile?: string }): Promise<Server> {
  const zxcvbn = zxcvbnLoader(opts.rankedFile);
  await zxcvbn(); // build once now, not on the first user's time
  const checkers = new Map<string, Promise<Checker>>();
  const base = hookSystem({}, zxcvbn);
  const cached: HookSystem = {
    ...base,
    openChecker: (policy) => {
      const key = JSON.stringify(policy);
      let c = checkers.get(key);
      if (!c) {
        c = base.openChecker(policy);
        c.catch(() => checkers.delete(key)); // a store that failed to open is tried again next time
        checkers.set(key, c);
      }
      return c;
    },
  };
  // allowHalfOpen: the launcher ends its side after the request; the reply still has to go back.
  const server = createServer({ allowHalfOpen: true }, (sock) => answer(sock, cached));
  if (process.env.LISTEN_FDS === '1') {
    server.listen({ fd: 3 });
  } else {
    const problem = socketPathProblem(opts.socket);
    if (problem) throw new Error(problem);
    if (opts.socket === DEFAULT_SOCKET) mkdirSync(dirname(opts.socket), { recursive: true, mode: 0o755 });
    rmSync(opts.socket, { force: true });
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(opts.socket, resolve));
    chmodSync(opts.socket, 0o666); // users changing their own password run the hook as themselves
  }
  log('info', `resident checker listening on ${process.env.LISTEN_FDS === '1' ? 'the systemd socket' : opts.socket}`);
  return server;
}

/**
 * Why the resident checker cannot listen at `socket`, or null. Only the default socket's folder
 * (/run/pwguard, gone after a reboot) is created; any other folder must exist: a typo in --socket
 * must not quietly make folders as root.
 */
export function socketPathProblem(socket: string): string | null {
  if (!socket) return 'no socket path given and no socket from systemd (LISTEN_FDS)';
  if (socket === DEFAULT_SOCKET) return null;
  const folder = dirname(socket);
  try {
    if (statSync(folder).isDirectory()) return null;
    return `socket ${socket}: ${folder} is not a folder`;
  } catch {
    return `socket ${socket}: its folder ${folder} does not exist (create it first; only ${dirname(DEFAULT_SOCKET)} is created)`;
  }
}

function answer(sock: Socket, sys: HookSystem): void {
  let data = '';
  sock.setEncoding('utf8');
  sock.setTimeout(10_000, () => sock.destroy());
  sock.on('error', () => sock.destroy());
  sock.on('data', (chunk: string) => {
    data += chunk;
    if (data.length > MAX_REQUEST) sock.destroy();
  });
  sock.on('end', () => {
    void replyTo(data, sys).then((reply) => sock.end(`${JSON.stringify(reply)}\n`));
  });
}

async function replyTo(text: string, sys: HookSystem): Promise<DaemonReply> {
  let req: { v?: unknown; type?: unknown; user?: unknown; service?: unknown; byRoot?: unknown; password?: unknown; oldAuthtok?: unknown };
  try {
    req = JSON.parse(text) as typeof req;
  } catch {
    return { exitCode: 2, lines: ['pwguard: malformed request to the resident checker'] };
  }
  if (req.v !== 1 || req.type !== 'password' || typeof req.user !== 'string' || typeof req.password !== 'string') {
    return { exitCode: 2, lines: ['pwguard: malformed request to the resident checker'] };
  }
  const env = {
    PAM_TYPE: 'password', PAM_USER: req.user || undefined, PAM_SERVICE: typeof req.service === 'string' ? req.service : '',
    [OLDAUTHTOK_ENV]: req.oldAuthtok === OLDAUTHTOK_ON_STDIN ? OLDAUTHTOK_ON_STDIN : undefined,
  };
  const stdin = Buffer.from(req.password, 'base64');
  try {
    return await runHook({ stdin, env }, { ...sys, byRoot: req.byRoot === true });
  } finally {
    stdin.fill(0);
  }
}
