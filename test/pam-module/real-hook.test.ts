// pam_pwguard.so with the real pwguard hook (packages/pam/dist/hook, built by build:native) on the
// host's Linux-PAM 1.5.2, where pam_exec cannot pass the new password at all. The launcher is the
// one `pwguard pam install` writes to /usr/local/sbin/pwguard-pam-hook (hookLauncher), here with a
// test config (the module gives the hook no argv words and no PWGUARD_CONFIG).
import { afterAll, beforeAll, expect, it, jest } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHECK_FLAG, hookLauncher } from '@pwguard/pam';
import { ROOT, buildModule, count, createUser, pamtester, passwdInNamespace, removeUser, scratch, shadowHash, stack, writeService, RUN } from './harness.js';

jest.setTimeout(120_000);

const USER = `pwgmt5-${RUN}`;
const SERVICE = `pwguard-module-test-real-${RUN}`;
const HOOK_DIR = join(ROOT, 'packages/pam/dist/hook');
const TOO_SHORT = /Too short: use at least 12 characters \(this one has 9\)\./g;
const BREACHED = /Seen [\d,]+ times in data breaches/;
const STRONG = 'Vivid-Otter-Plaza-71';
let dir: string;
let removeService = (): void => {};

/** The launcher `pwguard pam install` writes (hookLauncher), over the checkout's bundle, with its own config. */
function realHook(name: string, configText: string): string {
  const config = join(dir, `${name}.conf`);
  writeFileSync(config, configText);
  const path = join(dir, name);
  writeFileSync(path, hookLauncher(process.execPath, HOOK_DIR, config), { mode: 0o755 });
  return path;
}

function change(args: string, answers: string[]) {
  removeService = writeService(SERVICE, stack(args));
  const before = shadowHash(USER);
  const r = pamtester(SERVICE, USER, answers);
  return { ...r, changed: shadowHash(USER) !== before };
}

beforeAll(() => {
  buildModule();
  if (!existsSync(join(HOOK_DIR, 'hook-client.cjs'))) throw new Error(`${HOOK_DIR}/hook-client.cjs missing: run the build (scripts/test does)`);
  dir = scratch('real');
  createUser(USER, 'Initial-Pass-1234');
});

afterAll(() => {
  removeService();
  removeUser(USER);
  rmSync(dir, { recursive: true, force: true });
});

it('pamtester: a short breached password refused with the policy reasons, asked again; strong accepted; shadow changes only then', () => {
  const hook = realHook('enforcing', 'enforce_for_root = 1\n');
  const refused = change(`hook=${hook} retry=2`, ['password1', 'password1']);
  expect(refused.out.match(TOO_SHORT)).toHaveLength(2);
  expect(refused.out).toMatch(BREACHED);
  expect(count(refused.out, 'New password: ')).toBe(2);
  expect(refused.code).not.toBe(0);
  expect(refused.changed).toBe(false);

  const accepted = change(`hook=${hook} retry=2`, ['password1', STRONG, STRONG]);
  expect(accepted.out.match(TOO_SHORT)).toHaveLength(1);
  expect(accepted.code).toBe(0);
  expect(accepted.changed).toBe(true);
});

it('passwd: the same through the real passwd on a pty', async () => {
  const hook = realHook('enforcing-passwd', 'enforce_for_root = 1\n');
  const stackFile = join(dir, 'passwd-stack');
  writeFileSync(stackFile, stack(`hook=${hook} retry=2`));
  const before = shadowHash(USER);
  const r = await passwdInNamespace(stackFile, USER, ['password1', 'Vivid-Otter-Plaza-72', 'Vivid-Otter-Plaza-72']);
  expect(r.out.match(TOO_SHORT)).toHaveLength(1);
  expect(r.out).toContain('passwd: password updated successfully');
  expect(shadowHash(USER)).not.toBe(before);
});

it('root without enforce_for_root: the reasons shown as warnings, the password accepted (as pam_pwquality)', () => {
  const hook = realHook('root-warns', '');
  const r = change(`hook=${hook} retry=2`, ['password1', 'password1']);
  expect(r.out).toMatch(/Warning: Too short/);
  expect(count(r.out, 'New password: ')).toBe(1);
  expect(r.code).toBe(0);
  expect(r.changed).toBe(true);
});

it('a broken config: the hook\'s own message once (it exits 2: no verdict, not asked again), password not changed', () => {
  const hook = realHook('broken', 'min_length = twelve\n');
  const r = change(`hook=${hook} retry=2`, [STRONG, STRONG, STRONG, STRONG]);
  expect(count(r.out, 'pwguard: the password policy could not be loaded')).toBe(1);
  expect(count(r.out, 'New password: ')).toBe(1);
  expect(r.code).not.toBe(0);
  expect(r.changed).toBe(false);
});

/** Live processes running the check under `hook` (the launcher's child): none may outlive a change. */
function checksLeft(hook: string): string[] {
  return readdirSync('/proc').filter((pid) => {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      return argv.includes(hook) && argv.includes(CHECK_FLAG) && !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
    } catch {
      return false;
    }
  });
}

it('a breach store that blocks (a FIFO, as a hung mount): the hook\'s own deadline answers on_error once; a shorter module timeout kills the check too (issue 11)', () => {
  const store = join(dir, 'hung.pwg');
  expect(spawnSync('mkfifo', [store]).status).toBe(0);
  const hook = realHook('hung-store', `enforce_for_root = 1\nbreach_store = ${store}\n`);
  // The module's default timeout (10 s) is above the hook's (8 s): the user gets the hook's line.
  const r = change(`hook=${hook} retry=2`, [STRONG, STRONG, STRONG]);
  expect(count(r.out, 'pwguard: the password check did not finish in time (details in the system log). The password was not changed.')).toBe(1);
  expect(count(r.out, 'New password: ')).toBe(1);
  expect(r.changed).toBe(false);
  expect(checksLeft(hook)).toEqual([]);
  // timeout=1: the module kills the hook's process group first; the check is in it, so it goes too.
  const killed = change(`hook=${hook} retry=2 timeout=1`, [STRONG, STRONG, STRONG]);
  expect(killed.out).toContain('pwguard: the password check failed (hook timed out after 1 s); password not changed.');
  expect(killed.changed).toBe(false);
  // SIGKILL is sent to the group at once but a process leaves the table when the kernel gets to it.
  for (let i = 0; i < 50 && checksLeft(hook).length > 0; i++) spawnSync('sleep', ['0.1']);
  expect(checksLeft(hook)).toEqual([]);
});
