// pam_pwguard.so on the host's real Linux-PAM (Debian 12: 1.5.2) through pamtester, with small
// /bin/sh hooks that follow the module's protocol (docs/pam-module.md). These test the module's own
// mechanics: re-prompting, the retype check, the hook's process (argv, env, stdin), timeouts,
// crashes, a missing hook, on_error, bounded output and bad stack options. The real pwguard hook
// is exercised in real-hook.test.ts.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MODULE, buildModule, count, createUser, pamtester, removeUser, scratch, shadowHash, stack, writeHook, writeService, RUN } from './harness.js';

jest.setTimeout(60_000);

const USER = `pwgmt1-${RUN}`;
const SERVICE = `pwguard-module-test-${RUN}`;
const WEAK = 'weak-one';
const STRONG = 'Vivid-Otter-Plaza-71';
const REASON = 'BAD PASSWORD: it contains the word weak';

let dir: string;
let removeService = (): void => {};
// A hook in the style of the real one: reasons on stdout, exit 1 to reject, exit 0 (maybe with a warning) to accept.
let judge: string;

function processState(pid: string): string {
  if (!existsSync(`/proc/${pid}/stat`)) return 'gone';
  return readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').charAt(0);
}

function useStack(args: string): void {
  removeService = writeService(SERVICE, stack(args));
}

function change(answers: string[]) {
  const before = shadowHash(USER);
  const r = pamtester(SERVICE, USER, answers);
  return { ...r, changed: shadowHash(USER) !== before };
}

beforeAll(() => {
  buildModule();
  dir = scratch('mech');
  createUser(USER, 'Initial-Pass-1234');
  judge = writeHook(dir, 'judge', `pw=$(cat)\ncase "$pw" in *weak*) echo "${REASON}"; exit 1;; esac\necho "note: accepted"; exit 0`);
});

afterAll(() => {
  removeService();
  removeUser(USER);
  rmSync(dir, { recursive: true, force: true });
});

describe('the retry loop', () => {
  it('refuses weak passwords with the reason, asks again up to retry=2, then fails; shadow unchanged', () => {
    useStack(`hook=${judge} retry=2`);
    const r = change([WEAK, `${WEAK}-2`, STRONG, STRONG]);
    expect(r.code).not.toBe(0);
    expect(count(r.out, REASON)).toBe(2);
    expect(r.out).not.toContain('BAD PASSWORD: BAD PASSWORD');
    expect(count(r.out, 'New password: ')).toBe(2);
    // Rejected before the retype prompt, as pam_pwquality does.
    expect(r.out).not.toContain('Retype new password: ');
    expect(r.out).toContain('Authentication token manipulation error');
    expect(r.changed).toBe(false);
  });

  it('accepts a strong password after a weak one; retype asked once; the warning line shown; shadow changed', () => {
    useStack(`hook=${judge} retry=2`);
    const r = change([WEAK, STRONG, STRONG]);
    expect(r.code).toBe(0);
    expect(count(r.out, REASON)).toBe(1);
    expect(count(r.out, 'Retype new password: ')).toBe(1);
    expect(r.out).toContain('note: accepted');
    expect(r.changed).toBe(true);
  });

  it('PAM_SILENT hides the accepted password\'s warning lines, never the reasons for a refusal', () => {
    useStack(`hook=${judge} retry=2`);
    const before = shadowHash(USER);
    const r = pamtester(SERVICE, USER, [WEAK, STRONG, STRONG], [], 'chauthtok(PAM_SILENT)');
    expect(count(r.out, REASON)).toBe(1);
    expect(r.out).not.toContain('note: accepted');
    expect(r.code).toBe(0);
    expect(shadowHash(USER)).not.toBe(before);
  });

  it('defaults to 3 tries (retry omitted)', () => {
    useStack(`hook=${judge}`);
    const r = change([WEAK, WEAK, WEAK, STRONG, STRONG]);
    expect(count(r.out, REASON)).toBe(3);
    expect(r.changed).toBe(false);
  });

  it('a mistyped retype says so and counts as a try', () => {
    useStack(`hook=${judge} retry=2`);
    const r = change([STRONG, `${STRONG}x`, `${STRONG}-b`, `${STRONG}-b`]);
    expect(r.out).toContain('Sorry, passwords do not match.');
    expect(r.code).toBe(0);
    expect(r.changed).toBe(true);
  });

  it('an empty password is refused by the module itself (the hook would take it for old pam_exec)', () => {
    useStack(`hook=${judge} retry=1`);
    const r = change(['']);
    expect(r.out).toContain('BAD PASSWORD: no password supplied');
    expect(r.changed).toBe(false);
  });
});

describe('the hook process', () => {
  it('gets the password only on stdin (exact bytes), argv = [hook], env = PAM_USER, PAM_TYPE, PAM_SERVICE', () => {
    const dump = join(dir, 'dump');
    const spy = writeHook(
      dir,
      'spy',
      `cat > ${dump}.stdin\ntr '\\0' '\\n' < /proc/$$/environ > ${dump}.env\ntr '\\0' '\\n' < /proc/$$/cmdline > ${dump}.argv\necho "$#" > ${dump}.argc\nexit 0`,
    );
    useStack(`hook=${spy} retry=1`);
    const r = change([STRONG, STRONG]);
    expect(r.code).toBe(0);
    expect(readFileSync(`${dump}.stdin`, 'utf8')).toBe(STRONG);
    expect(readFileSync(`${dump}.env`, 'utf8').trim().split('\n').sort()).toEqual([`PAM_SERVICE=${SERVICE}`, 'PAM_TYPE=password', `PAM_USER=${USER}`]);
    // The kernel runs "#!/bin/sh" scripts as `/bin/sh HOOK`: no argument of ours after the path.
    expect(readFileSync(`${dump}.argv`, 'utf8').trim().split('\n')).toEqual(['/bin/sh', spy]);
    expect(readFileSync(`${dump}.argc`, 'utf8').trim()).toBe('0');
    writeFileSync(`${dump}.stdin`, '');
    // enforce_for_root on the stack line (pam_pwquality's option) reaches the hook as its one argument.
    useStack(`hook=${spy} retry=1 enforce_for_root`);
    expect(change([STRONG, STRONG]).code).toBe(0);
    expect(readFileSync(`${dump}.argv`, 'utf8').trim().split('\n')).toEqual(['/bin/sh', spy, 'enforce_for_root']);
    expect(readFileSync(`${dump}.stdin`, 'utf8')).toBe(STRONG);
    writeFileSync(`${dump}.stdin`, '');
  });

  it('config=/abs/path reaches the hook as its one argument config=/abs/path', () => {
    const dump = join(dir, 'dump-config');
    const spy = writeHook(dir, 'spy-config', `cat > /dev/null\nprintf '%s\\n' "$@" > ${dump}.args\nexit 0`);
    useStack(`hook=${spy} retry=1 config=/etc/pwguard/other.conf`);
    expect(change([STRONG, STRONG]).code).toBe(0);
    expect(readFileSync(`${dump}.args`, 'utf8')).toBe('config=/etc/pwguard/other.conf\n');
  });

  it('a hook that runs past timeout= is killed with what it started; on_error=reject refuses once, no retry', () => {
    const pids = join(dir, 'slow.pids');
    const slow = writeHook(dir, 'slow', `sleep 30 &\necho "$$ $!" > ${pids}\nwait`);
    useStack(`hook=${slow} retry=3 timeout=1`);
    const r = change([STRONG, STRONG, STRONG]);
    expect(r.out).toContain('pwguard: the password check failed (hook timed out after 1 s); password not changed.');
    expect(count(r.out, 'New password: ')).toBe(1);
    expect(r.changed).toBe(false);
    // Dead: gone, or a zombie waiting for its new parent (pid 1 here may not reap).
    for (const pid of readFileSync(pids, 'utf8').trim().split(' ')) expect(processState(pid)).toMatch(/^(gone|Z)$/);
  });

  it('a hook that exits while a child it started still holds stdout: its verdict counts, no timeout', () => {
    const pidFile = join(dir, 'leftover.pid');
    const leaves = writeHook(dir, 'leaves', `cat > /dev/null\nsleep 30 &\necho $! > ${pidFile}\necho "${REASON}"\nexit 1`);
    useStack(`hook=${leaves} retry=1 timeout=20`);
    const r = change([WEAK]);
    process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGKILL');
    expect(r.out).toContain(REASON);
    expect(r.out).not.toContain('timed out');
    expect(r.changed).toBe(false);
  });

  it.each([
    ['crashes', 'kill -SEGV $$', 'hook killed by signal 11'],
    ['exits 1 without a reason (a Node.js crash does that)', 'exit 1', 'hook exited 1 without a message'],
    ['exits 2 without a message', 'exit 2', 'hook exited 2 without a message'],
    ['exits with another status', 'echo "config broken"; exit 3', 'hook exited with status 3'],
  ])('a hook that %s is an error, not a verdict: on_error=reject refuses', (_what, body, why) => {
    const bad = writeHook(dir, 'bad', `cat > /dev/null\n${body}`);
    useStack(`hook=${bad} retry=2`);
    const r = change([STRONG, STRONG]);
    expect(r.out).toContain(`pwguard: the password check failed (${why}); password not changed.`);
    expect(r.out).not.toContain('config broken');
    expect(r.changed).toBe(false);
  });

  it('a hook that cannot be executed (its interpreter is missing) is an error: status 127 from the child', () => {
    const broken = writeHook(dir, 'no-interp', 'exit 0', 0o755, '#!/nonexistent/interpreter');
    useStack(`hook=${broken}`);
    const r = change([STRONG, STRONG]);
    expect(r.out).toContain('pwguard: the password check failed (hook exited with status 127); password not changed.');
    expect(r.changed).toBe(false);
  });

  it('exit 2 with a message: the hook could not judge and its policy refuses; shown once, not asked again', () => {
    const msg = 'pwguard: the password policy could not be loaded (details in the system log). The password was not changed.';
    const refuse = writeHook(dir, 'refuse', `cat > /dev/null\necho "${msg}"\nexit 2`);
    useStack(`hook=${refuse} retry=3`);
    const r = change([STRONG, STRONG, STRONG]);
    expect(count(r.out, msg)).toBe(1);
    expect(r.out).not.toContain(`BAD PASSWORD: ${msg}`); // not a verdict on the password
    expect(count(r.out, 'New password: ')).toBe(1);
    expect(r.out).not.toContain('the password check failed');
    expect(r.code).not.toBe(0);
    expect(r.changed).toBe(false);
  });

  it('a missing hook: on_error=reject refuses, on_error=accept accepts with a warning', () => {
    const missing = join(dir, 'no-such-hook');
    useStack(`hook=${missing}`);
    const refused = change([STRONG, STRONG]);
    expect(refused.out).toContain(`the password check failed (hook ${missing}: No such file or directory); password not changed.`);
    expect(refused.changed).toBe(false);
    useStack(`hook=${missing} on_error=accept`);
    const accepted = change([STRONG, STRONG]);
    expect(accepted.out).toContain('accepted without it.');
    expect(accepted.code).toBe(0);
    expect(accepted.changed).toBe(true);
  });

  it('refuses to run a hook that others could rewrite (group/world-writable)', () => {
    const loose = writeHook(dir, 'loose', 'exit 0', 0o777);
    useStack(`hook=${loose}`);
    const r = change([STRONG, STRONG]);
    expect(r.out).toContain('is writable by others or not owned by root');
    expect(r.changed).toBe(false);
  });

  it('shows at most 8 lines, strips terminal escapes, and survives 1 MB of output', () => {
    const chatty = writeHook(dir, 'chatty', `cat > /dev/null\nprintf 'reason \\033[2Jwith escape\\n'\nyes 'more reasons' | head -c 1000000\nexit 1`);
    useStack(`hook=${chatty} retry=1`);
    const r = change([WEAK]);
    // A refusal's lines read as pam_pwquality's: "BAD PASSWORD: " in front (REASON above has it already: not doubled).
    expect(r.out).toContain('BAD PASSWORD: reason [2Jwith escape');
    expect(count(r.out, 'BAD PASSWORD: more reasons')).toBe(7);
    expect(r.out).not.toContain('\u001b');
    expect(count(r.out, 'more reasons')).toBe(7);
    expect(r.changed).toBe(false);
  });
});

describe('stack options', () => {
  it.each(['retry=abc', 'retry=0', 'hook=relative/path', 'timeout=9999', 'on_eror=accept'])(
    '%s stops the change with a one-line message naming it',
    (arg) => {
      useStack(`hook=${judge} ${arg}`);
      const r = change([STRONG, STRONG]);
      expect(r.out).toContain(`pwguard: invalid option "${arg}" for pam_pwguard.so in the PAM stack; password not changed.`);
      expect(r.out).not.toContain('New password: ');
      expect(r.changed).toBe(false);
    },
  );

  it.each(['use_authtok', 'use_first_pass'])('%s without an earlier token: no prompt, no change', (arg) => {
    useStack(`hook=${judge} ${arg}`);
    const r = change([STRONG, STRONG]);
    expect(r.out).not.toContain('New password: ');
    expect(r.code).not.toBe(0);
    expect(r.changed).toBe(false);
  });

  it('use_authtok judges the token an earlier module asked for, without asking again', () => {
    const dump = join(dir, 'second.stdin');
    const second = writeHook(dir, 'second', `cat > ${dump}\nexit 0`);
    removeService = writeService(SERVICE, `password requisite ${MODULE} hook=${judge}\n${stack(`hook=${second} use_authtok`)}`);
    const r = change([STRONG, STRONG]);
    expect(r.code).toBe(0);
    expect(count(r.out, 'New password: ')).toBe(1);
    expect(count(r.out, 'Retype new password: ')).toBe(1);
    expect(readFileSync(dump, 'utf8')).toBe(STRONG);
    writeFileSync(dump, '');
    expect(r.changed).toBe(true);
  });
});
