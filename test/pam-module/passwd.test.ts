// The real `passwd` (setuid shadow-utils, misc_conv on a pseudo-terminal) with pam_pwguard.so in
// its stack, on the host's Linux-PAM. The stack is bind-mounted over /etc/pam.d/passwd inside a
// private mount namespace (unshare -m), so the machine's own stack is never touched.
import { afterAll, beforeAll, expect, it, jest } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildModule, count, createUser, passwdInNamespace, removeUser, scratch, shadowHash, stack, writeHook, RUN } from './harness.js';

jest.setTimeout(90_000);

const USER = `pwgmt2-${RUN}`;
const REASON = 'BAD PASSWORD: it contains the word weak';
const JUDGE = `pw=$(cat)\ncase "$pw" in *weak*) echo "${REASON}"; exit 1;; esac\nexit 0`;
let CURRENT = 'Initial-Pass-1234';
let dir: string;
let stackFile: string;
const hostStack = readFileSync('/etc/pam.d/passwd', 'utf8');

beforeAll(() => {
  buildModule();
  dir = scratch('passwd');
  createUser(USER, CURRENT);
  const judge = writeHook(dir, 'judge', JUDGE);
  stackFile = join(dir, 'passwd-stack');
  writeFileSync(stackFile, stack(`hook=${judge} retry=2`));
});

afterAll(() => {
  removeUser(USER);
  rmSync(dir, { recursive: true, force: true });
});

it('refuses two weak passwords with the reason, re-prompting; passwd fails; /etc/shadow unchanged', async () => {
  const before = shadowHash(USER);
  const r = await passwdInNamespace(stackFile, USER, ['weak-1', 'weak-2', 'Never-Asked-99']);
  expect(count(r.out, REASON)).toBe(2);
  expect(count(r.out, 'New password: ')).toBe(2);
  expect(r.out).toContain('passwd: Authentication token manipulation error');
  expect(r.out).toContain('passwd: password unchanged');
  expect(r.code).not.toBe(0);
  expect(shadowHash(USER)).toBe(before);
});

it('accepts a strong password after a weak one; /etc/shadow changes to a yescrypt hash', async () => {
  const before = shadowHash(USER);
  const r = await passwdInNamespace(stackFile, USER, ['weak-1', 'Vivid-Otter-Plaza-71', 'Vivid-Otter-Plaza-71']);
  CURRENT = 'Vivid-Otter-Plaza-71';
  expect(count(r.out, REASON)).toBe(1);
  expect(r.out).toContain('passwd: password updated successfully');
  expect(r.code).toBe(0);
  const after = shadowHash(USER);
  expect(after).not.toBe(before);
  expect(after).toMatch(/^\$y\$/);
});

it('a user changing their own password: current password, then the same checks; the hook runs with ruid = user, euid = root, no terminal', async () => {
  const ids = join(dir, 'ids');
  // `sh -p`: dash would otherwise drop the effective uid it was started with (as pam_exec's hooks see too).
  // And no controlling terminal (its own session, as pam_exec): it cannot read the user's keystrokes.
  const noTty = `if (: < /dev/tty) 2>/dev/null; then echo tty; else echo no-tty; fi >> ${ids}`;
  const judgeIds = writeHook(dir, 'judge-ids', `id -u > ${ids}; id -ru >> ${ids}; ${noTty}\n${JUDGE}`, 0o755, '#!/bin/sh -p');
  const own = join(dir, 'own-stack');
  // pam_unix asks for the current password in its PRELIM_CHECK pass, before ours asks for the new one.
  writeFileSync(own, stack(`hook=${judgeIds} retry=2`));
  const before = shadowHash(USER);
  const r = await passwdInNamespace(own, USER, [CURRENT, 'weak-3', 'Vivid-Otter-Plaza-72', 'Vivid-Otter-Plaza-72'], true);
  expect(r.out).toContain('Current password: ');
  expect(count(r.out, REASON)).toBe(1);
  expect(r.out).toContain('passwd: password updated successfully');
  CURRENT = 'Vivid-Otter-Plaza-72';
  expect(shadowHash(USER)).not.toBe(before);
  const uid = execFileSync('id', ['-u', USER]).toString().trim();
  expect(readFileSync(ids, 'utf8').trim().split('\n')).toEqual(['0', uid, 'no-tty']);
});

it('the old password: on stdin after a NUL with PWGUARD_OLDAUTHTOK=stdin when the user changes their own; root\'s change has neither', async () => {
  const seen = join(dir, 'seen');
  // Records what it was given (test passwords, in this run's scratch dir only) and accepts.
  const recorder = writeHook(dir, 'recorder', `tr '\\0' '\\n' > ${seen}.in; printf '%s' "\${PWGUARD_OLDAUTHTOK-unset}" > ${seen}.env; exit 0`, 0o755, '#!/bin/sh -p');
  const own = join(dir, 'recorder-stack');
  writeFileSync(own, stack(`hook=${recorder}`));
  const next = 'Mauve-Tractor-Quill-8812';
  const r = await passwdInNamespace(own, USER, [CURRENT, next, next], true);
  expect(r.out).toContain('passwd: password updated successfully');
  expect(readFileSync(`${seen}.in`, 'utf8')).toBe(`${next}\n${CURRENT}`);
  expect(readFileSync(`${seen}.env`, 'utf8')).toBe('stdin');
  CURRENT = next;
  const byRoot = 'Amber-Walrus-Ledger-3141';
  const root = await passwdInNamespace(own, USER, [byRoot, byRoot]);
  expect(root.out).toContain('passwd: password updated successfully');
  expect(readFileSync(`${seen}.in`, 'utf8')).toBe(byRoot); // pam_exec's protocol: the new password alone
  expect(readFileSync(`${seen}.env`, 'utf8')).toBe('unset');
  CURRENT = byRoot;
});

it('left the host stack alone', () => {
  expect(readFileSync('/etc/pam.d/passwd', 'utf8')).toBe(hostStack);
});
