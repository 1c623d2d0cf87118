// pwguard pam doctor: what stands between this system and a working hook, with the fix for each.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  checkPasswordStack, findCheckLine, findSecurityDirs, MODULE_FILE, passwordAuthtokSupported, resolveStack, type CheckLine, type StackLine,
} from '@pwguard/pam';
import { configPath, isMissingFile, loadPolicy, openPolicyBreach } from '@pwguard/runtime';
import { PolicyError } from '@pwguard/strength';
import { EXIT } from '../errors.js';
import { systemFs } from './pam-install-module.js';

export interface DoctorOptions {
  service: string;
  pamDir: string;
  hook: string;
  securityDir?: string;
  config?: string;
  latency: boolean;
  format: 'text' | 'json';
}

interface Check {
  readonly name: string;
  readonly status: 'ok' | 'warning' | 'error';
  readonly message: string;
  readonly fix?: string;
}

const LATENCY_RUNS = 3;
const SAMPLE = 'pwguard doctor: Vq7#unlikely-Rivet-Oboe-42';

/** Installed Linux-PAM version (dpkg, else rpm) and whether pam_exec gets the new password. */
export function pamVersion(): { version: string | null; supported: boolean | null } {
  const tries: [string, string[]][] = [
    ['/usr/bin/dpkg-query', ['-W', '-f', '${Version}', 'libpam-modules']],
    ['/usr/bin/rpm', ['-q', '--qf', '%{VERSION}', 'pam']],
  ];
  for (const [cmd, args] of tries) {
    const res = spawnSync(cmd, args, { encoding: 'utf8' });
    if (res.status === 0 && res.stdout.trim() !== '') {
      const version = res.stdout.trim();
      return { version, supported: passwordAuthtokSupported(version) };
    }
  }
  return { version: null, supported: null };
}

export async function runDoctor(opts: DoctorOptions): Promise<number> {
  const stack = readStack(opts);
  const found = stack ? findCheckLine(stack, opts.hook) : null;
  // The hook the stack really runs: the module's hook= (or its default), pam_exec's program.
  const hook = found?.hook ?? opts.hook;
  const checks: Check[] = [versionCheck(found, opts.securityDir), ...stackChecks(opts, stack)];
  if (found?.kind === 'module') checks.push(moduleCheck(found, opts.securityDir));
  checks.push(hookCheck(hook), ...configChecks(opts));
  if (opts.latency) checks.push(latencyCheck(hook));
  const ok = !checks.some((c) => c.status === 'error');
  if (opts.format === 'json') {
    process.stdout.write(`${JSON.stringify({ ok, method: found?.kind ?? null, checks })}\n`);
  } else {
    for (const c of checks) {
      process.stdout.write(`${c.status.padEnd(7)} ${c.name}: ${c.message}\n`);
      if (c.fix && c.status !== 'ok') process.stdout.write(`        fix: ${c.fix}\n`);
    }
  }
  return ok ? EXIT.ok : EXIT.findings;
}

/**
 * Does this Linux-PAM suit the method the stack uses? An old Linux-PAM is an error only for a
 * pam_exec line: with the module, or with no pwguard line yet (the stack check reports that), the
 * version stops nothing, since pam_pwguard.so works on every version.
 */
function versionCheck(found: CheckLine | null, givenDir: string | undefined): Check {
  const { version, supported } = pamVersion();
  if (found?.kind === 'module') {
    return { name: 'linux-pam', status: 'ok', message: `Linux-PAM ${version ?? '(version unknown)'}: ${MODULE_FILE} asks for the password itself (any version)` };
  }
  if (found === null && supported !== true) {
    const dir = givenDir ?? findSecurityDirs(systemFs)[0];
    const installed = dir !== undefined && existsSync(join(dir, MODULE_FILE));
    const what = `Linux-PAM ${version ?? '(version unknown)'}${supported === false ? ' is older than 1.6.0 (pam_exec would get no password)' : ''}`;
    return installed
      ? { name: 'linux-pam', status: 'ok', message: `${what}; ${join(dir, MODULE_FILE)} is installed and works on any version` }
      : { name: 'linux-pam', status: 'warning', message: `${what}; ${MODULE_FILE} is not installed`, fix: 'pwguard pam install --method module (auto picks it here)' };
  }
  if (version === null) return { name: 'linux-pam', status: 'warning', message: 'version unknown (no dpkg or rpm answer)', fix: 'Linux-PAM 1.6.0 or later is needed for pam_exec in the password stack; the module works on any' };
  if (supported === false) {
    return {
      name: 'linux-pam', status: 'error',
      message: `Linux-PAM ${version} is older than 1.6.0: pam_exec gives the hook no password in the password stack, so every change is refused (on_error = reject) or unchecked (accept)`,
      fix: 'use the module: pwguard pam install --method module --apply (or upgrade Linux-PAM to 1.6+, Debian 13); to find weak passwords at login: pwguard pam install --login-check',
    };
  }
  return { name: 'linux-pam', status: 'ok', message: `Linux-PAM ${version}: pam_exec passes the new password (expose_authtok); a refusal ends the change with "System error" (${MODULE_FILE} asks again: \`pwguard pam install --apply\` picks it where it is built)` };
}

/** The service's password stack with includes followed; null when the service file is missing. */
function readStack(opts: DoctorOptions): StackLine[] | null {
  const read = (name: string) => {
    try {
      return readFileSync(join(opts.pamDir, name), 'utf8');
    } catch {
      return null;
    }
  };
  return read(opts.service) === null ? null : resolveStack(opts.service, 'password', read);
}

function stackChecks(opts: DoctorOptions, stack: StackLine[] | null): Check[] {
  if (stack === null) return [{ name: 'stack', status: 'error', message: `no PAM service file ${join(opts.pamDir, opts.service)}` }];
  const problems = checkPasswordStack(stack, opts.hook);
  if (problems.length === 0) return [{ name: 'stack', status: 'ok', message: `password stack of ${opts.service}: order and options are right` }];
  return problems.map((p) => ({ name: 'stack', status: p.severity, message: p.message, fix: p.fix }));
}

/**
 * pam_pwguard.so where libpam loads it: an absolute path on the line, else the directory holding
 * pam_unix.so. Root-owned and not group/world-writable: whoever can replace it sees every new password.
 */
function moduleCheck(found: CheckLine, givenDir: string | undefined): Check {
  const named = found.line.module;
  let path = named;
  if (!named.startsWith('/')) {
    const dir = givenDir ?? findSecurityDirs(systemFs)[0];
    if (!dir) return { name: 'module', status: 'error', message: 'no PAM security directory with pam_unix.so found', fix: 'pass --security-dir' };
    path = join(dir, named);
  }
  let st;
  try {
    st = statSync(path);
  } catch {
    return { name: 'module', status: 'error', message: `${path} does not exist: every password change fails ("Module is unknown")`, fix: 'pwguard pam install --method module' };
  }
  if ((st.mode & 0o022) !== 0 || st.uid !== 0) {
    return { name: 'module', status: 'error', message: `${path} is writable by others or not owned by root: anyone who can change it sees every new password`, fix: `chown root: ${path}; chmod 644 ${path}` };
  }
  return { name: 'module', status: 'ok', message: `${path} (root, 0${(st.mode & 0o777).toString(8)}), runs ${found.hook}` };
}

function hookCheck(hook: string): Check {
  let st;
  try {
    st = statSync(hook);
  } catch {
    return { name: 'hook', status: 'error', message: `${hook} does not exist`, fix: 'pwguard pam install' };
  }
  if ((st.mode & 0o022) !== 0 || st.uid !== 0) {
    return { name: 'hook', status: 'error', message: `${hook} is writable by others or not owned by root: anyone who can change it controls password changes`, fix: `chown root: ${hook}; chmod 755 ${hook}` };
  }
  try {
    accessSync(hook, constants.X_OK);
  } catch {
    return { name: 'hook', status: 'error', message: `${hook} is not executable`, fix: `chmod 755 ${hook}` };
  }
  const first = readFileSync(hook, 'utf8').split('\n')[0] ?? '';
  const interp = first.startsWith('#!') ? first.slice(2).trim().split(/\s+/)[0] ?? '' : '';
  if (interp.endsWith('/env') || !interp.startsWith('/')) {
    return { name: 'hook', status: 'error', message: `${hook} starts with "${first}": pam_exec gives no PATH`, fix: 'pwguard pam install (writes an absolute node path)' };
  }
  try {
    accessSync(interp, constants.X_OK);
  } catch {
    return { name: 'hook', status: 'error', message: `${hook} runs ${interp}, which is missing`, fix: 'pwguard pam install (after installing or moving Node.js)' };
  }
  return { name: 'hook', status: 'ok', message: `${hook} (root, 0${(st.mode & 0o777).toString(8)}, ${interp})` };
}

function configChecks(opts: DoctorOptions): Check[] {
  let policy;
  try {
    const loaded = loadPolicy({ config: opts.config });
    policy = loaded.policy;
  } catch (err) {
    return [{ name: 'config', status: 'error', message: err instanceof Error ? err.message : String(err), fix: configFix(err, configPath({ config: opts.config }).path) }];
  }
  const checks: Check[] = [{ name: 'config', status: 'ok', message: `policy loads (on_error = ${policy.on_error}, enforcing = ${policy.enforcing ? 1 : 0})` }];
  const path = configPath({ config: opts.config }).path;
  for (const [what, file] of [['config', path], ['breach_store', policy.breach_store], ['banned_words_file', policy.banned_words_file]] as const) {
    if (file && !otherReadable(file)) {
      checks.push({ name: 'permissions', status: 'error', message: `${what} ${file} is not readable by users: a hook that runs without root cannot read it (a #!/bin/sh wrapper under setuid passwd drops to the user; pam_exec in a program users run themselves), and refuses (on_error)`, fix: `chmod o+r ${file}` });
    }
  }
  if (!policy.breach_check) {
    checks.push({ name: 'store', status: 'warning', message: 'breach_check = 0: breached passwords are not refused' });
    return checks;
  }
  try {
    const store = openPolicyBreach(policy.breach_store);
    checks.push({ name: 'store', status: 'ok', message: store.description });
  } catch (err) {
    checks.push({ name: 'store', status: 'error', message: `breach_store ${policy.breach_store}: ${err instanceof Error ? err.message : String(err)}`, fix: 'pwguard breach build, or empty breach_store for the built-in list' });
  }
  return checks;
}

/** The fix for a policy that does not load: what to do about that file, or that line. */
function configFix(err: unknown, path: string): string {
  const cause = err instanceof Error ? err.cause : undefined;
  if (cause instanceof PolicyError) {
    const where = `${cause.source}${cause.line !== null ? ` line ${cause.line}` : ''}${cause.key !== null ? ` (${cause.key})` : ''}`;
    return `correct ${where} as the message says; \`pwguard policy show --config ${path}\` then prints the effective policy`;
  }
  if (isMissingFile(err)) return `create ${path} (\`pwguard pam install\` writes one with every default, commented) or name the right file with --config`;
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EACCES' || code === 'EPERM') return `chmod 644 ${path} (root writes it; every user reads it, since the hook runs as the user)`;
  return 'name a regular config file with --config (or $PWGUARD_CONFIG)';
}

function otherReadable(file: string): boolean {
  try {
    return (statSync(file).mode & 0o004) !== 0;
  } catch {
    return true; // missing files are reported by the config and store checks
  }
}

/** Time whole hook runs as pam_exec starts them. The median is what a user waits. */
function latencyCheck(hook: string): Check {
  const times: number[] = [];
  for (let i = 0; i < LATENCY_RUNS; i++) {
    const t0 = process.hrtime.bigint();
    const res = spawnSync(hook, [], { input: SAMPLE, encoding: 'utf8', timeout: 30_000, env: { PAM_TYPE: 'password', PAM_USER: 'root' } });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (res.error || res.status === null) return { name: 'latency', status: 'error', message: `the hook did not run: ${res.error?.message ?? res.signal}` };
    times.push(ms);
  }
  times.sort((a, b) => a - b);
  const median = Math.round(times[Math.floor(times.length / 2)] ?? 0);
  const slow = median > 1000;
  return { name: 'latency', status: slow ? 'warning' : 'ok', message: `median ${median} ms over ${LATENCY_RUNS} runs`, ...(slow ? { fix: 'a busy machine, or no ranked dictionaries (reinstall)' } : {}) };
}
