// Real-PAM harness for pam_pwguard.so: builds the module, makes throwaway users, private service
// files and test hooks, and drives pamtester or the real `passwd` through their prompts.
// Everything it creates is named pwguard-module-* / pwgm* and removed by cleanup(); the host's own
// stacks (/etc/pam.d/passwd, common-password) are never written: `passwd` runs in a private mount
// namespace with our stack bind-mounted over /etc/pam.d/passwd. Needs root.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const MODULE = join(ROOT, 'packages/pam/module/build/pam_pwguard.so');
/**
 * In user and service names: two runs of these tests at once (another `jest test/pam...` on the
 * same machine) must not delete each other's users or rewrite each other's stacks.
 */
export const RUN = process.pid.toString(36);

/** Builds the module (-Werror: a warning is a failure here) unless it is already newer than its sources. */
export function buildModule(): string {
  if (process.getuid?.() !== 0) throw new Error('the PAM module tests need root (useradd, /etc/pam.d, unshare)');
  execFileSync('sh', [join(ROOT, 'packages/pam/module/build.sh')], { env: { ...process.env, EXTRA_CFLAGS: '-Werror' }, stdio: 'pipe' });
  if (!existsSync(MODULE)) throw new Error(`${MODULE} was not built (libpam0g-dev missing?)`);
  return MODULE;
}

/** A private scratch dir for hooks and their logs; 0755 so the hooks it holds pass the module's owner/mode check. */
export function scratch(tag: string): string {
  const dir = mkdtempSync(join(tmpdir(), `pwgm-${tag}-`));
  chmodSync(dir, 0o755);
  return dir;
}

/** Writes an executable hook (root-owned, 0755), a /bin/sh script unless `shebang` says otherwise. */
export function writeHook(dir: string, name: string, body: string, mode = 0o755, shebang = '#!/bin/sh'): string {
  const path = join(dir, name);
  writeFileSync(path, `${shebang}\n${body}\n`);
  chmodSync(path, mode);
  return path;
}

export function createUser(name: string, initial: string): void {
  spawnSync('userdel', ['-r', name], { stdio: 'ignore' });
  execFileSync('useradd', ['-M', '-s', '/usr/sbin/nologin', name]);
  execFileSync('chpasswd', [], { input: `${name}:${initial}\n` });
}

export function removeUser(name: string): void {
  spawnSync('userdel', [name], { stdio: 'ignore' });
}

/** The user's /etc/shadow hash field (what a password change rewrites). */
export function shadowHash(user: string, shadow = '/etc/shadow'): string {
  const line = readFileSync(shadow, 'utf8').split('\n').find((l) => l.startsWith(`${user}:`));
  if (line === undefined) throw new Error(`${user} not in ${shadow}`);
  return line.split(':')[1] ?? '';
}

/** The stack every scenario uses: our module, then pam_unix storing what we accepted. */
export function stack(moduleArgs: string, module = MODULE): string {
  return `password requisite ${module} ${moduleArgs}\npassword required pam_unix.so use_authtok yescrypt\n`;
}

/** Writes /etc/pam.d/<service> (under `root` for a chroot); returns a remover. */
export function writeService(service: string, text: string, root = ''): () => void {
  const path = `${root}/etc/pam.d/${service}`;
  writeFileSync(path, text);
  return () => rmSync(path, { force: true });
}

export interface Run {
  code: number | null;
  /** Everything the program printed (prompts, reasons, result), stdout and stderr interleaved. */
  out: string;
}

/** pamtester SERVICE USER chauthtok (or `operation`, e.g. with flags) with the answers on a pipe. */
export function pamtester(service: string, user: string, answers: string[], prefix: string[] = [], operation = 'chauthtok'): Run {
  const cmd = [...prefix, 'pamtester', service, user, operation];
  const r = spawnSync(cmd[0] ?? '', cmd.slice(1), { input: answers.map((a) => `${a}\n`).join(''), encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

const PROMPT = /(password|Password): $/;

/**
 * Runs `shellCmd` on a pseudo-terminal (util-linux `script`) and answers each password prompt
 * only once it appears: Linux-PAM's terminal conversation flushes input typed ahead of a prompt.
 * When the answers run out the next prompt gets end-of-file (the program aborts).
 */
export function converse(shellCmd: string, answers: string[], timeoutMs = 60_000): Promise<Run> {
  return new Promise((done) => {
    const child = spawn('script', ['-qec', shellCmd, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const queue = [...answers];
    let out = '';
    let answeredAt = 0;
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const onData = (d: Buffer): void => {
      out += d.toString('utf8');
      if (!PROMPT.test(out.slice(answeredAt))) return;
      answeredAt = out.length;
      const next = queue.shift();
      // A short pause: the program switches echo off right after printing the prompt.
      setTimeout(() => (next === undefined ? child.stdin.end() : child.stdin.write(`${next}\r`)), 50);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, out: out.replace(/\r/g, '') });
    });
  });
}

/**
 * The real `passwd` with `stackFile` bind-mounted over /etc/pam.d/passwd in a private mount
 * namespace: root changing USER's password, or with `asUser` USER changing their own (setuid passwd).
 */
export function passwdInNamespace(stackFile: string, user: string, answers: string[], asUser = false): Promise<Run> {
  for (const p of [stackFile, user]) if (!/^[\w./-]+$/.test(p)) throw new Error(`unsafe in a shell command: ${p}`);
  // unshare makes the new namespace's mounts private, so the bind mount never reaches the host.
  const run = asUser ? `setpriv --reuid=${user} --regid=${user} --init-groups passwd` : `passwd ${user}`;
  const inner = `mount --bind ${stackFile} /etc/pam.d/passwd && exec ${run}`;
  return converse(`unshare -m sh -c '${inner}'`, answers);
}

export function count(text: string, needle: string): number {
  return text.split(needle).length - 1;
}
