// The real `passwd` (setuid shadow-utils, misc_conv on a pseudo-terminal) with pam_pwguard.so in
// its stack, on the host's Linux-PAM. The stack is bind-mounted over /etc/pam.d/passwd inside a
// private mount namespace (unshare -m), so the machine's own stack is never touched.
import { afterAll, beforeAll, expect, it, jest } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildModule, count, createUser, passwdInNamespace, removeUser, scratch, shadowHash, stack, writeHook } from './harness.js';

jest.setTimeout(90_000);

const USER = 'pwgmtest2';
const REASON = 'BAD PASSWORD: it contains the word weak';
let stackFile: string;
const hostStack = readFileSync('/etc/pam.d/passwd', 'utf8');

beforeAll(() => {
  buildModule();
  const dir = scratch('passwd');
  createUser(USER, 'Initial-Pass-1234');
  const judge = writeHook(dir, 'judge', `pw=$(cat)\ncase "$pw" in *weak*) echo "${REASON}"; exit 1;; esac\nexit 0`);
  stackFile = join(dir, 'passwd-stack');
  writeFileSync(stackFile, stack(`hook=${judge} retry=2`));
});

afterAll(() => removeUser(USER));

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
  expect(count(r.out, REASON)).toBe(1);
  expect(r.out).toContain('passwd: password updated successfully');
  expect(r.code).toBe(0);
  const after = shadowHash(USER);
  expect(after).not.toBe(before);
  expect(after).toMatch(/^\$y\$/);
});

it('left the host stack alone', () => {
  expect(readFileSync('/etc/pam.d/passwd', 'utf8')).toBe(hostStack);
});
