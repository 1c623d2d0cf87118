// The hook's fast path: ask a resident checker (`pwguard pam-daemon`) over a Unix socket, so a
// password change costs a bare Node start plus one round trip instead of loading the checker.
// Bundled alone as hook-client.cjs (CommonJS, node: built-ins only: nothing to resolve or parse at
// start). When no checker answers, the caller runs the check in-process: same verdict, slower.
import { readSync } from 'node:fs';
import { connect } from 'node:net';

/** One line of JSON each way. The password travels base64-encoded so any bytes survive. */
export interface DaemonRequest {
  readonly v: 1;
  readonly type: 'password';
  readonly user: string;
  readonly service: string;
  readonly byRoot: boolean;
  /** base64 of stdin as the hook got it: the new password, and the old one after a NUL when `oldAuthtok`. */
  readonly password: string;
  /** 'stdin' when stdin carries the old password too (PWGUARD_OLDAUTHTOK from pam_pwguard.so). */
  readonly oldAuthtok?: 'stdin';
}

export interface DaemonReply {
  readonly exitCode: number;
  readonly lines: readonly string[];
}

export const DEFAULT_SOCKET = '/run/pwguard/checker.sock';
/** Most bytes read from stdin; pam_exec hands over at most PAM_MAX_RESP_SIZE (512). */
export const MAX_INPUT_BYTES = 64 * 1024;
/** Longest wait for the resident checker before checking in-process instead. */
export const DAEMON_TIMEOUT_MS = 3000;
const MAX_REPLY = 64 * 1024;

/** Ask the resident checker; null when it is not there or does not answer well (then check in-process). */
export function askDaemon(socket: string, req: DaemonRequest, timeoutMs = DAEMON_TIMEOUT_MS): Promise<DaemonReply | null> {
  return new Promise((resolve) => {
    let data = '';
    let done = false;
    const finish = (reply: DaemonReply | null) => {
      if (done) return;
      done = true;
      sock.destroy();
      resolve(reply);
    };
    const sock = connect(socket);
    sock.setTimeout(timeoutMs, () => finish(null));
    sock.on('error', () => finish(null));
    sock.on('connect', () => sock.end(`${JSON.stringify(req)}\n`));
    sock.setEncoding('utf8');
    sock.on('data', (chunk: string) => {
      data += chunk;
      if (data.length > MAX_REPLY) finish(null);
    });
    sock.on('end', () => finish(parseReply(data)));
  });
}

export function parseReply(text: string): DaemonReply | null {
  try {
    const r = JSON.parse(text) as Partial<DaemonReply>;
    if (typeof r.exitCode !== 'number' || !Array.isArray(r.lines) || !r.lines.every((l) => typeof l === 'string')) return null;
    return { exitCode: r.exitCode, lines: r.lines };
  } catch {
    return null;
  }
}

/** All of stdin, up to `limit` bytes, synchronously (no stream machinery at start-up). */
export function readStdinSync(limit: number): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  const buf = Buffer.alloc(4096);
  for (;;) {
    let n: number;
    try {
      n = readSync(0, buf, 0, buf.length, null);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') continue;
      if (code === 'EOF' || code === 'EBADF') break;
      throw err;
    }
    if (n === 0) break;
    chunks.push(Buffer.from(buf.subarray(0, n)));
    total += n;
    if (total >= limit) break;
  }
  buf.fill(0);
  return Buffer.concat(chunks);
}
