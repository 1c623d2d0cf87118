// Stack checks over stacks shaped like Debian's (pam-auth-update output) and common mistakes.
import { checkPasswordStack, parseStack, passwordAuthtokSupported, resolveStack } from '../src/stack.js';
import { pamConfigProfile, parseProfile, hookLauncher, defaultConfigText } from '../src/install.js';
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
