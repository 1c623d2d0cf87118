// `pwguard hash identify` and `pwguard hash verify` through the built CLI, on values made by
// independent tools (mkpasswd, htpasswd, slappasswd), including the addon-missing path.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, pwguard } from '../support/cli.js';

const SLOW = 60_000;

function run(args: string[], input: string | Buffer, env: Record<string, string> = {}) {
  const r = pwguard(args, { input, env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const tool = (cmd: string, args: string[], input: string): string => execFileSync(cmd, args, { input }).toString().trim();

const yescrypt = tool('mkpasswd', ['-m', 'yescrypt', '-s'], 'Tr0ub4dor&3');
const apr1 = tool('htpasswd', ['-nmi', 'u'], 'Tr0ub4dor&3').split(':')[1] ?? '';
const dir = mkdtempSync(join(tmpdir(), 'pwguard-hash-'));
const pwFile = join(dir, 'pw');
writeFileSync(pwFile, 'Tr0ub4dor&3', { mode: 0o600 });
const ssha = tool('slappasswd', ['-n', '-h', '{SSHA}', '-T', pwFile], '');
rmSync(dir, { recursive: true, force: true });

test('verify: exit 0 on the right password (one trailing newline ignored), 1 on a wrong one', () => {
  for (const stored of [yescrypt, apr1, ssha]) {
    expect(run(['hash', 'verify', stored], 'Tr0ub4dor&3\n')).toMatchObject({ code: 0, stdout: 'match\n' });
    expect(run(['hash', 'verify', stored], 'Tr0ub4dor&4\n')).toMatchObject({ code: 1, stdout: 'no match\n' });
  }
}, SLOW);

const hashDir = mkdtempSync(join(tmpdir(), 'pwguard-hash-file-'));
afterAll(() => rmSync(hashDir, { recursive: true, force: true }));
/** A 0600 file whose first line is `value`, for --hash-file. */
function hashFile(value: string, name = 'stored'): string {
  const path = join(hashDir, name);
  writeFileSync(path, `${value}\n`, { mode: 0o600 });
  return path;
}

test('verify --hash-file: the stored value is read from a file or a pipe, never from argv', () => {
  for (const stored of [yescrypt, apr1, ssha]) {
    const file = hashFile(stored);
    expect(run(['hash', 'verify', '--hash-file', file], 'Tr0ub4dor&3\n')).toEqual({ code: 0, stdout: 'match\n', stderr: '' });
    expect(run(['hash', 'verify', '--hash-file', file], 'Tr0ub4dor&4\n')).toEqual({ code: 1, stdout: 'no match\n', stderr: '' });
  }
  // bash process substitution: a pipe, no file on disk; the value is not on any command line.
  const piped = spawnSync('bash', ['-c', `node ${CLI} hash verify --hash-file <(printf '%s\\n' "$STORED")`], {
    input: 'Tr0ub4dor&3\n', env: { ...process.env, STORED: apr1 }, encoding: 'utf8',
  });
  expect(piped).toMatchObject({ status: 0, stdout: 'match\n', stderr: '' });
}, SLOW);

test('verify: STORED on the command line still works, with a warning that others can read it', () => {
  expect(run(['hash', 'verify', apr1], 'Tr0ub4dor&3\n')).toEqual({
    code: 0, stdout: 'match\n', stderr: 'pwguard: warning: a stored value on the command line can be read by any local user (ps, /proc); use --hash-file FILE\n',
  });
});

test('verify: no stored value, both forms, an empty or missing hash file: exit 2, one line', () => {
  expect(run(['hash', 'verify'], 'x')).toMatchObject({ code: 2, stderr: 'pwguard: hash verify: give the stored value with --hash-file FILE\n' });
  expect(run(['hash', 'verify', apr1, '--hash-file', hashFile(apr1)], 'x')).toMatchObject({ code: 2, stderr: 'pwguard: hash verify: give the stored value once: --hash-file FILE or STORED, not both\n' });
  const empty = hashFile('', 'empty');
  expect(run(['hash', 'verify', '--hash-file', empty], 'x')).toMatchObject({ code: 2, stderr: `pwguard: hash verify: hash file ${empty}: its first line is empty\n` });
  const missing = join(hashDir, 'missing');
  expect(run(['hash', 'verify', '--hash-file', missing], 'x')).toMatchObject({ code: 2, stderr: `pwguard: cannot read hash file ${missing}: ENOENT\n` });
});

test('verify: exit 2 with one line naming the scheme (not the value) when malformed', () => {
  const r = run(['hash', 'verify', '--hash-file', hashFile(yescrypt.slice(0, -3))], 'Tr0ub4dor&3');
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/^pwguard: hash verify: malformed yescrypt value/);
  expect(r.stderr).not.toContain(yescrypt.slice(10, 30));
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
});

test('verify: without the crypt(3) addon a crypt hash is "not checked" (exit 2), never a mismatch', () => {
  const r = run(['hash', 'verify', '--hash-file', hashFile(yescrypt)], 'Tr0ub4dor&3', { PWGUARD_NO_CRYPT_ADDON: '1' });
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/yescrypt not checked: the crypt\(3\) addon is disabled/);
  // Schemes that do not need libxcrypt still verify.
  expect(run(['hash', 'verify', apr1], 'Tr0ub4dor&3', { PWGUARD_NO_CRYPT_ADDON: '1' }).code).toBe(0);
});

test('identify --format json: scheme, params and findings per line; plaintext never printed', () => {
  const input = [yescrypt, '', '{CLEARTEXT}hunter2', '$6$rounds=1000$abc$' + 'x'.repeat(86), '{FOO}bar', '$1$abc'].join('\n');
  const r = run(['hash', 'identify', '--format', 'json'], `${input}\n`);
  expect(r.code).toBe(1);
  expect(r.stdout).not.toContain('hunter2');
  const values = (JSON.parse(r.stdout) as { values: Array<Record<string, unknown>> }).values;
  expect(values).toEqual([
    { line: 1, status: 'ok', scheme: 'yescrypt', salted: true, params: { setting: 'j9T', N: 4096, r: 32 }, findings: [] },
    expect.objectContaining({ line: 3, status: 'ok', scheme: 'cleartext', findings: [expect.objectContaining({ code: 'cleartext' })] }),
    expect.objectContaining({ line: 4, scheme: 'sha512crypt', params: { rounds: 1000 }, findings: [expect.objectContaining({ code: 'low_rounds' })] }),
    { line: 5, status: 'unknown' },
    { line: 6, status: 'malformed', scheme: 'md5crypt', reason: expect.any(String) },
  ]);
});

test('identify: exit 0 when every value is well stored; --source sambaNTPassword reads NT hex', () => {
  expect(run(['hash', 'identify'], `${yescrypt}\n`)).toMatchObject({ code: 0, stdout: expect.stringMatching(/^line 1: yescrypt \(salted, .*\) ok\n$/) });
  const nt = run(['hash', 'identify', '--source', 'sambaNTPassword', '--format', 'json'], '8846F7EAEE8FB117AD06BDD830B7586C\n');
  expect(JSON.parse(nt.stdout)).toEqual({
    values: [{ line: 1, status: 'ok', scheme: 'samba-nt', salted: false, params: {}, breachLookup: 'ntlm', findings: [expect.objectContaining({ code: 'unsalted' })] }],
  });
});

test('--help on both subcommands names the input and the exit codes', () => {
  for (const sub of ['identify', 'verify']) {
    const r = run(['hash', sub, '--help'], '');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Exit status: 0 /);
    expect(r.stdout).toMatch(/stdin|standard input/);
  }
});
