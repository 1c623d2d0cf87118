// pwguard audit against hostile or careless input (issue 11): the built CLI in a real process.
// Each case here failed on the code before its fix.
import { describe, expect, it, jest } from '@jest/globals';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

jest.setTimeout(180_000);

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = join(root, 'packages', 'cli', 'dist', 'main.js');
const S = join(root, 'packages', 'audit', 'samples');
const tmp = mkdtempSync(join(tmpdir(), 'pwguard-audit-hostile-'));

interface Run { status: number | null; stdout: string; stderr: string }

function pwguard(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH, PWGUARD_CONFIG: '', ...env } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    p.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    p.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const ht = ['--htpasswd', join(S, 'htpasswd'), '--max-guesses', '300'];

describe('inputs that are not regular files, and too many jobs', () => {
  it('refuses /dev/zero, a FIFO and a directory in one line each, exit 2', async () => {
    const fifo = join(tmp, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const cases: Array<[string[], string]> = [
      [['audit', '--shadow', '/dev/zero'], 'pwguard: cannot read shadow file /dev/zero: it is a character device, not a regular file\n'],
      [['audit', '--htpasswd', fifo], `pwguard: cannot read htpasswd file ${fifo}: it is a FIFO (named pipe), not a regular file\n`],
      [['audit', ...ht, '--wordlist', tmp], `pwguard: cannot read wordlist ${tmp}: it is a directory, not a regular file\n`],
    ];
    for (const [args, line] of cases) {
      const r = await pwguard(args);
      expect({ args, status: r.status, stderr: r.stderr }).toEqual({ args, status: 2, stderr: line });
    }
  });

  it('--jobs above 4 x the cores is refused before any thread starts', async () => {
    const max = 4 * availableParallelism();
    const r = await pwguard(['audit', ...ht, '--jobs', '100000']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`pwguard: --jobs 100000: at most ${max} on this machine (4 x its ${availableParallelism()} cores)\n`);
    expect(r.stdout).toBe('');
  });

  it('SIGTERM stops the pool, keeps the checkpoint, prints the partial report and exits 2', async () => {
    const slow = execFileSync('mkpasswd', ['-m', 'bcrypt', '-R', '12', 'zz-nobody-guesses-this-7']).toString().trim();
    const file = join(tmp, 'slow.htpasswd');
    writeFileSync(file, `slow:${slow}\n`);
    const cp = join(tmp, 'term.cp');
    const child = spawn(process.execPath, [CLI, 'audit', '--htpasswd', file, '--max-guesses', '5000', '--jobs', '1', '--no-judge', '--format', 'json', '--checkpoint', cp], {
      env: { PATH: process.env.PATH, PWGUARD_CONFIG: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const closed = new Promise<number | null>((r) => child.on('close', r));
    // Guessing has begun once the first periodic checkpoint is there.
    while (!existsSync(cp)) await new Promise((r) => setTimeout(r, 200));
    child.kill('SIGTERM');
    expect(await closed).toBe(2);
    expect(stderr).toBe(`pwguard: interrupted; continue with --checkpoint ${cp} --resume\n`);
    expect((JSON.parse(stdout) as { summary: { stopReason: string } }).summary.stopReason).toBe('interrupted');
    expect(Object.keys((JSON.parse(readFileSync(cp, 'utf8')) as { targets: object }).targets)).toHaveLength(1);
  });
});

describe('a damaged breach store in the policy', () => {
  it('fails closed: found passwords get breach_unchecked, a warning, exit 2 (was: silently "not breached")', async () => {
    const { buildStore } = await import('@pwguard/breach');
    const list = join(tmp, 'leaked.txt');
    writeFileSync(list, 'iloveyou\n');
    const store = join(tmp, 'damaged.pwg');
    await buildStore({ inputs: [list], output: store });
    const bytes = readFileSync(store);
    bytes.fill(0xa5, 128); // keep the header: the store opens, every lookup fails
    writeFileSync(store, bytes);
    const conf = join(tmp, 'pwguard.conf');
    writeFileSync(conf, `breach_store = ${store}\n`);
    const r = await pwguard(['audit', ...ht, '--format', 'json'], { PWGUARD_CONFIG: conf });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('pwguard: warning: the breach check could not run for 3 account(s); they were judged without it (finding breach_unchecked)\n');
    const rep = JSON.parse(r.stdout) as { accounts: Array<{ user: string; findings: Array<{ code: string }> }> };
    const flagged = rep.accounts.filter((a) => a.findings.some((f) => f.code === 'breach_unchecked')).map((a) => a.user);
    // bob's password1 is found since the candidate stream (password + "1"), so he is judged too.
    expect(flagged.sort()).toEqual(['bob', 'web1', 'web3']);
  });
});

describe('hostile names and malformed lines in the output', () => {
  it('table, csv and the --expire dry run show control characters escaped; csv keeps input problems', async () => {
    const file = join(tmp, 'evil.htpasswd');
    // {SHA} of "password" (python hashlib), under a name that would retitle and clear the terminal.
    writeFileSync(file, '\u001b]0;owned\u0007\u001b[2Jroot:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\nno colon here\n');
    const t = await pwguard(['audit', '--htpasswd', file, '--max-guesses', '50', '--no-judge', '--format', 'table', '--expire']);
    expect(t.status).toBe(1);
    for (const text of [t.stdout, t.stderr]) expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(t.stdout).toContain('  \\x1b]0;owned\\x07\\x1b[2Jroot\n');
    expect(t.stderr).toContain('htpasswd -D FILE \\x1b]0;owned\\x07\\x1b[2Jroot)');
    const c = await pwguard(['audit', '--htpasswd', file, '--max-guesses', '50', '--no-judge', '--format', 'csv']);
    expect(c.stdout.split('\n')[2]).toBe(`,input_problem,,,,,,,,,expected user:hash,${file}:2,,,,,,`);
  });

  it('a shadow line without its login field is a problem with its line number, never a user named by its hash', async () => {
    const hash = execFileSync('openssl', ['passwd', '-1', 'password']).toString().trim();
    const shadow = join(tmp, 'shifted-shadow');
    writeFileSync(shadow, `ok:${hash}:20000:0:99999:7:::\n${hash}:20000:0:99999:7::::\n`);
    const r = await pwguard(['audit', '--shadow', shadow, '--max-guesses', '20', '--no-judge', '--format', 'json']);
    const rep = JSON.parse(r.stdout) as { accounts: Array<{ user: string }>; problems: Array<{ line: number; message: string }> };
    expect(rep.accounts.map((a) => a.user)).toEqual(['ok']);
    expect(rep.problems).toEqual([{ where: shadow, line: 2, message: 'field 1 is not a login name (it looks like a password hash: is the login field missing?)' }]);
  });
});
