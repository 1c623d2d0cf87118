// pam_pwguard.so under valgrind memcheck, loaded by pamtester into the host's real Linux-PAM:
// no leak, invalid read/write or uninitialised use with a pam_pwguard frame in its stack, through
// the reject-retry-accept path and the timeout-kill path. --keep-debuginfo keeps our frames named
// after pam_end() unloads the module (otherwise they show as ???).
import { afterAll, beforeAll, expect, it, jest } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildModule, count, createUser, pamtester, removeUser, scratch, shadowHash, stack, writeHook, writeService, RUN } from './harness.js';

jest.setTimeout(120_000);

const USER = `pwgmt3-${RUN}`;
const SERVICE = `pwguard-module-test-vg-${RUN}`;
let dir: string;
let judge: string;
let removeService = (): void => {};
/** Where valgrind, run as the user, may write its log. */
let userDir: string;

beforeAll(() => {
  buildModule();
  dir = scratch('vg');
  createUser(USER, 'Initial-Pass-1234');
  userDir = join(dir, 'user');
  mkdirSync(userDir);
  execFileSync('chown', [USER, userDir]);
  judge = writeHook(dir, 'judge', 'pw=$(cat)\ncase "$pw" in *weak*) echo "BAD PASSWORD: weak"; exit 1;; esac\necho "accepted"; exit 0');
});

afterAll(() => {
  removeService();
  removeUser(USER);
  rmSync(dir, { recursive: true, force: true });
});

// Our frames: the module file itself, or one of its source files once debug info names them.
const OURS = /pam_pwguard|\((?:pam_pwguard|run|options|lines)\.c:\d+\)/;

function memcheck(args: string, answers: string[], tag: string, asUser = false) {
  removeService = writeService(SERVICE, stack(args));
  const log = join(asUser ? userDir : dir, `${tag}.valgrind.log`);
  const vg = ['valgrind', '--leak-check=full', '--show-leak-kinds=all', '--error-exitcode=99', '--keep-debuginfo=yes', `--log-file=${log}`];
  const as = asUser ? ['setpriv', `--reuid=${USER}`, `--regid=${USER}`, '--init-groups'] : [];
  const r = pamtester(SERVICE, USER, answers, [...as, ...vg]);
  const text = readFileSync(log, 'utf8');
  // valgrind separates reports with an empty "==PID== " line; a report naming our frames is ours.
  const reports = text.split(/^==\d+== $/m).filter((block) => OURS.test(block));
  return { ...r, text, reports };
}

it('reject, re-prompt, accept: no error or leak in pam_pwguard.so', () => {
  const before = shadowHash(USER);
  const r = memcheck(`hook=${judge} retry=2`, ['weak-1', 'Vivid-Otter-Plaza-71', 'Vivid-Otter-Plaza-71'], 'accept');
  // The module really ran under valgrind: the reason, then the change.
  expect(count(r.out, 'BAD PASSWORD: weak')).toBe(1);
  expect(r.code).toBe(0);
  expect(shadowHash(USER)).not.toBe(before);
  expect(r.text).toMatch(/ERROR SUMMARY: 0 errors/);
  expect(r.text).toMatch(/definitely lost: 0 bytes|All heap blocks were freed/);
  expect(r.reports).toEqual([]);
});

it('a hook killed at the timeout: no error or leak in pam_pwguard.so', () => {
  const slow = writeHook(dir, 'slow', 'sleep 30');
  const r = memcheck(`hook=${slow} timeout=1`, ['Vivid-Otter-Plaza-72'], 'timeout');
  expect(r.out).toContain('hook timed out after 1 s');
  expect(r.code).not.toBe(0);
  expect(r.text).toMatch(/ERROR SUMMARY: 0 errors/);
  expect(r.reports).toEqual([]);
});

it('a user changing their own password (PAM_OLDAUTHTOK: NEW NUL OLD to the hook): no error or leak in pam_pwguard.so', () => {
  // pamtester as the user (current password: the one the first test set): pam_unix asks for it in the preliminary pass; it
  // cannot write /etc/shadow without setuid, so the change itself fails after our module ran.
  const oldSeen = writeHook(dir, 'old-seen', 'if [ "$PWGUARD_OLDAUTHTOK" = stdin ] && [ "$(tr -d -c \'\\000\' | wc -c)" = 1 ]; then echo "old password received"; fi\nexit 0');
  const r = memcheck(`hook=${oldSeen}`, ['Vivid-Otter-Plaza-71', 'Vivid-Otter-Plaza-73', 'Vivid-Otter-Plaza-73'], 'old', true);
  expect(r.out).toContain('Current password: ');
  expect(r.out).toContain('old password received');
  expect(r.text).toMatch(/ERROR SUMMARY: 0 errors/);
  expect(r.reports).toEqual([]);
});
