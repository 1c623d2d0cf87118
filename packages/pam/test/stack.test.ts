// Stack checks over stacks shaped like Debian's (pam-auth-update output) and common mistakes.
import { checkPasswordStack, findCheckLine, parseStack, passwordAuthtokSupported, resolveStack } from '../src/stack.js';
import { chooseMethod, moduleLine, pamConfigProfile, parseProfile, hookLauncher, defaultConfigText } from '../src/install.js';
import { findSecurityDirs } from '../src/security-dir.js';
import { parseConfigText, resolvePolicy, DEFAULT_POLICY } from '@pwguard/strength';

const HOOK = '/usr/local/sbin/pwguard-pam-hook';
const files = (map: Record<string, string>) => (name: string) => map[name] ?? null;
const problemsOf = (password: string) =>
  checkPasswordStack(resolveStack('passwd', 'password', files({ passwd: '@include common-password\n', 'common-password': password })), HOOK);

test('the stack pam-auth-update makes with pwquality, pwguard and unix is clean', () => {
  const stack = `# here are the per-package modules (the "Primary" block)
password\trequisite\t\t\tpam_pwquality.so retry=3
password\trequisite\t\t\tpam_exec.so expose_authtok stdout quiet ${HOOK}
password\t[success=1 default=ignore]\tpam_unix.so obscure use_authtok try_first_pass yescrypt
password\trequisite\t\t\tpam_deny.so
password\trequired\t\t\tpam_permit.so
`;
  expect(problemsOf(stack)).toEqual([]);
});

test('without a prompting module it warns that pam_exec asks once', () => {
  const p = problemsOf(`password requisite pam_exec.so expose_authtok stdout ${HOOK}\npassword required pam_unix.so use_authtok yescrypt\n`);
  expect(p.map((x) => x.severity)).toEqual(['warning']);
  expect(p[0]?.message).toContain('no retype');
});

test('mistakes are errors naming file and line', () => {
  const p = problemsOf(`password [success=1 default=ignore] pam_unix.so obscure yescrypt
password optional pam_exec.so stdout ${HOOK}
password required pam_unix.so yescrypt
`);
  const text = p.map((x) => `${x.severity} ${x.message}`).join('\n');
  expect(text).toMatch(/error common-password:2: pam_exec lacks expose_authtok/);
  expect(text).toMatch(/error common-password:2: control "optional"/);
  expect(text).toMatch(/error common-password:1: pam_unix.so comes before the hook/);
  expect(text).toMatch(/error common-password:3: pam_unix.so lacks use_authtok/);
});

test('no hook at all, comments and continuations', () => {
  expect(problemsOf('password required pam_unix.so # pwguard-pam-hook in a comment\n')[0]?.message).toContain('not in the password stack');
  const lines = parseStack(`password requisite pam_exec.so \\\n  expose_authtok stdout ${HOOK}\n-password optional pam_gnome_keyring.so\n`, 'f');
  expect(lines.map((l) => [l.type, l.module, l.args.length])).toEqual([['password', 'pam_exec.so', 3], ['password', 'pam_gnome_keyring.so', 0]]);
});

test('Linux-PAM versions: Debian and RPM strings', () => {
  expect(passwordAuthtokSupported('1.5.2-6+deb12u2')).toBe(false);
  expect(passwordAuthtokSupported('1.5.3-5ubuntu5')).toBe(false);
  expect(passwordAuthtokSupported('1.6.0')).toBe(true);
  expect(passwordAuthtokSupported('1.7.0-5')).toBe(true);
  expect(passwordAuthtokSupported('garbage')).toBeNull();
});

test('the profile, the launcher and the default config', () => {
  const prof = parseProfile(pamConfigProfile(HOOK, true));
  expect(prof.get('Password-Type')).toBe('Primary');
  expect(prof.get('Password')).toBe(`requisite\tpam_exec.so expose_authtok stdout quiet ${HOOK}`);
  expect(prof.get('Auth-Type')).toBe('Additional');
  expect(parseProfile(pamConfigProfile(HOOK, false)).has('Auth')).toBe(false);
  const launcher = hookLauncher('/usr/bin/node', '/usr/local/lib/pwguard');
  expect(launcher.split('\n')[0]).toBe('#!/usr/bin/node');
  expect(launcher).toContain('require("/usr/local/lib/pwguard/hook-client.cjs").run({ lib: "/usr/local/lib/pwguard"');
  expect(hookLauncher('/usr/bin/node', '/l', undefined, '/run/s.sock')).toContain('socket: "/run/s.sock"');
  // The default config parses and, being all comments, gives the built-in policy.
  expect(resolvePolicy(parseConfigText(defaultConfigText(), 'default')).policy).toEqual(DEFAULT_POLICY);
});

describe('pam_pwguard.so stacks', () => {
  const modStack = (first: string) => `${first}\npassword\t[success=1 default=ignore]\tpam_unix.so obscure use_authtok try_first_pass yescrypt\npassword\trequisite\tpam_deny.so\n`;

  test('what pam-auth-update makes from the module profile is clean: the module asks, no prompter needed', () => {
    expect(problemsOf(modStack('password\trequisite\tpam_pwguard.so retry=3'))).toEqual([]);
    const found = findCheckLine(resolveStack('passwd', 'password', files({ passwd: modStack('password requisite pam_pwguard.so retry=3 hook=/opt/h') })), HOOK);
    expect(found).toMatchObject({ kind: 'module', hook: '/opt/h', index: 0 });
    expect(findCheckLine(parseStack('password requisite pam_pwguard.so\n', 'f'), HOOK)?.hook).toBe(HOOK);
  });

  test('after pam_pwquality with use_authtok is clean; use_authtok with nothing before it is an error', () => {
    expect(problemsOf(`password requisite pam_pwquality.so retry=3\n${modStack('password requisite pam_pwguard.so use_authtok')}`)).toEqual([]);
    const alone = problemsOf(modStack('password requisite pam_pwguard.so use_authtok'));
    expect(alone.map((p) => `${p.severity} ${p.message}`)).toEqual([expect.stringMatching(/^error common-password:1: pam_pwguard.so has use_authtok but no module before it asks/)]);
  });

  test('module mistakes: unknown words, a weak control, pam_unix before it or without use_authtok', () => {
    const p = problemsOf(`password [success=1 default=ignore] pam_unix.so obscure yescrypt
password optional pam_pwguard.so retry=3 on_eror=accept hook=relative timeout=301 retry=0 timeout=300
password required pam_unix.so yescrypt
`);
    const text = p.map((x) => `${x.severity} ${x.message}`).join('\n');
    expect(text).toMatch(/error common-password:2: pam_pwguard.so does not accept "on_eror=accept"/);
    expect(text).toMatch(/error common-password:2: pam_pwguard.so does not accept "hook=relative"/);
    expect(text).toMatch(/error common-password:2: pam_pwguard.so does not accept "timeout=301"/);
    expect(text).toMatch(/error common-password:2: pam_pwguard.so does not accept "retry=0"/);
    expect(text).not.toMatch(/"retry=3"|"timeout=300"/);
    expect(text).toMatch(/error common-password:2: control "optional"/);
    expect(text).toMatch(/error common-password:1: pam_unix.so comes before pam_pwguard.so/);
    expect(text).toMatch(/error common-password:3: pam_unix.so lacks use_authtok/);
    expect(text).not.toMatch(/expose_authtok|stdout/);
  });
});

test('method choice: auto is the module wherever it is built or installed; without it pam_exec from 1.6, else the module', () => {
  // The module whenever it is there (it re-prompts; pam_exec ends with "System error"), 1.7 included.
  expect(chooseMethod('auto', true, true)).toBe('module');
  expect(chooseMethod('auto', false, true)).toBe('module');
  expect(chooseMethod('auto', null, true)).toBe('module');
  // Not built: pam_exec where it gets the password, else the module (install says how to build it).
  expect(chooseMethod('auto', true, false)).toBe('exec');
  expect(chooseMethod('auto', false, false)).toBe('module');
  expect(chooseMethod('auto', null, false)).toBe('module');
  expect(chooseMethod('exec', true, true)).toBe('exec');
  expect(chooseMethod('module', true, false)).toBe('module');
  expect(chooseMethod('exec', false, false)).toBe('exec');
});

test('the module profile is the one tested on Debian 13 (test/pam-module/trixie.test.ts)', () => {
  expect(pamConfigProfile(HOOK, false, 'module')).toBe(`Name: pwguard password policy (pam_pwguard module)
Default: no
Priority: 900
Password-Type: Primary
Password:
\trequisite\tpam_pwguard.so use_authtok
Password-Initial:
\trequisite\tpam_pwguard.so retry=3
`);
  // Another prefix: the module must be told where the hook is.
  expect(moduleLine('/opt/pwguard/sbin/pwguard-pam-hook', true)).toBe('pam_pwguard.so retry=3 hook=/opt/pwguard/sbin/pwguard-pam-hook');
  const withLogin = parseProfile(pamConfigProfile(HOOK, true, 'module'));
  expect(withLogin.get('Auth')).toBe(`optional\tpam_exec.so expose_authtok quiet ${HOOK}`);
});

describe('security directory', () => {
  const tree = (files: string[], links: Record<string, string> = {}) => ({
    exists: (p: string) => files.includes(p),
    list: (dir: string) => [...new Set(files.filter((f) => f.startsWith(`${dir}/`)).map((f) => f.slice(dir.length + 1).split('/')[0] ?? ''))],
    realpath: (p: string) => Object.entries(links).reduce((acc, [from, to]) => (acc.startsWith(from) ? to + acc.slice(from.length) : acc), p),
  });

  test('Debian: the triplet directory, /lib and /usr/lib counted once on merged /usr', () => {
    const fs = tree(['/usr/lib/x86_64-linux-gnu/security/pam_unix.so', '/lib/x86_64-linux-gnu/security/pam_unix.so'], { '/lib/': '/usr/lib/' });
    expect(findSecurityDirs(fs, 'x64')).toEqual(['/usr/lib/x86_64-linux-gnu/security']);
  });

  test('unmerged /usr (pam_unix under /lib), RHEL lib64, arm64, and a foreign triplet last', () => {
    expect(findSecurityDirs(tree(['/lib/x86_64-linux-gnu/security/pam_unix.so']), 'x64')).toEqual(['/lib/x86_64-linux-gnu/security']);
    expect(findSecurityDirs(tree(['/usr/lib64/security/pam_unix.so']), 'x64')).toEqual(['/usr/lib64/security']);
    expect(findSecurityDirs(tree(['/usr/lib/aarch64-linux-gnu/security/pam_unix.so']), 'arm64')).toEqual(['/usr/lib/aarch64-linux-gnu/security']);
    const multi = tree(['/usr/lib/i386-linux-gnu/security/pam_unix.so', '/usr/lib/x86_64-linux-gnu/security/pam_unix.so']);
    expect(findSecurityDirs(multi, 'x64')).toEqual(['/usr/lib/x86_64-linux-gnu/security', '/usr/lib/i386-linux-gnu/security']);
    expect(findSecurityDirs(tree(['/usr/lib/x86_64-linux-gnu/security/pam_permit.so']), 'x64')).toEqual([]);
  });
});
