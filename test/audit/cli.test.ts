// pwguard audit and pwguard report merge as a user runs them: the built CLI in a real process, on
// the bundled samples (made by mkpasswd, openssl and htpasswd; see packages/audit/samples/).
import { describe, expect, it, jest } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkReport } from '@pwguard/audit';

jest.setTimeout(180_000);

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = join(root, 'packages', 'cli', 'dist', 'main.js');
const S = join(root, 'packages', 'audit', 'samples');
const tmp = mkdtempSync(join(tmpdir(), 'pwguard-audit-cli-'));
/** Checkpoint keys go to $XDG_STATE_HOME/pwguard/checkpoint-keys: a folder of this test's own. */
const ENV = { PATH: process.env.PATH, PWGUARD_CONFIG: '', XDG_STATE_HOME: join(tmp, 'state') };

interface Run { status: number | null; stdout: string; stderr: string }

function pwguard(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [CLI, ...args], { env: ENV });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    p.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    p.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const planted = readFileSync(join(S, 'planted.tsv'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split('\t'));
const PLANTED_PASSWORDS = ['Password1!', 'alice123', 'password1', 'letmein', 'Walker1', 'qwerty', 'dragon', 'sunshine', 'iloveyou', 'monkey'];
const sample = ['--shadow', join(S, 'shadow'), '--passwd', join(S, 'passwd'), '--htpasswd', join(S, 'htpasswd'), '--max-guesses', '400'];

interface Acct { user: string; weak: boolean; found: { how: string; password?: string } | null; findings: Array<{ code: string; issue?: string }> }

describe('pwguard audit on the bundled sample', () => {
  it('finds exactly the planted weak passwords, shows none of them, exits 1', async () => {
    const r = await pwguard(['audit', ...sample, '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout) as { schema: string; accounts: Acct[]; problems: Array<{ line: number; message: string }> };
    expect(report.schema).toBe('pwguard-audit/1');
    expect(checkReport(report)).toEqual([]); // the documented schema (docs/audit.md)
    const weak = report.accounts.filter((a) => a.weak).map((a) => a.user).sort();
    expect(weak).toEqual(planted.map((p) => p[0]).sort());
    for (const [user, , how] of planted) expect(report.accounts.find((a) => a.user === user)?.found?.how ?? 'empty').toBe(how);
    for (const pw of PLANTED_PASSWORDS) expect(r.stdout).not.toContain(pw);
    expect(report.problems).toEqual([expect.objectContaining({ line: 17, message: 'expected 9 colon-separated fields, found 1' })]);
    const issues = report.accounts.flatMap((a) => a.findings.filter((f) => f.code === 'storage').map((f) => f.issue));
    expect(new Set(issues)).toEqual(new Set(['md5crypt', 'des_truncation', 'low_cost', 'low_rounds', 'unsalted']));
    expect(report.accounts.find((a) => a.user === 'mallory')?.findings.map((f) => f.code)).toContain('shared_password');
    // judged by the default policy (as `pwguard check` would)
    const carol = report.accounts.find((a) => a.user === 'carol')?.findings.find((f) => f.code === 'policy_rejects') as { reasonCodes?: string[] } | undefined;
    expect(carol?.reasonCodes).toEqual(expect.arrayContaining(['too_short']));
  });
});

describe('pwguard audit options', () => {
  const ht = ['--htpasswd', join(S, 'htpasswd'), '--max-guesses', '300'];

  it('--output writes a 0600 file; --show-passwords puts the passwords in it', async () => {
    const out = join(tmp, 'report.json');
    const r = await pwguard(['audit', ...ht, '--output', out, '--show-passwords', '--format', 'json']);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const rep = JSON.parse(readFileSync(out, 'utf8')) as { accounts: Acct[]; passwordsShown: boolean };
    expect(rep.passwordsShown).toBe(true);
    expect(rep.accounts.find((a) => a.user === 'web1')?.found?.password).toBe('iloveyou');
  });

  it('table and csv formats', async () => {
    const t = await pwguard(['audit', ...ht, '--format', 'table']);
    // bob's password1 is "password" + 1: with the rules it is reached within 300 guesses
    expect(t.stdout).toMatch(/^ACTION NEEDED: 4 account\(s\) need action \(exit 1\)\npwguard audit: 4 account\(s\), 3 weak, 4 need action, 0 not checked\n/);
    expect(t.stdout).toContain('Accounts that need action:');
    const c = await pwguard(['audit', ...ht, '--format', 'csv']);
    expect(c.stdout.split('\n')[0]).toBe('user,state,weak,needs_action,found_by,band,breach_count,tried,planned,complete,findings,sources,severity,scheme,last_change,lists,next,expire');
    expect(c.stdout.split('\n').length).toBe(6);
  });

  it('bad inputs: one line naming what and where, exit 2', async () => {
    const openKey = join(tmp, 'open.key');
    writeFileSync(openKey, `${'ab'.repeat(32)}\n`, { mode: 0o644 });
    const cases: Array<[string[], RegExp]> = [
      [['audit', ...ht, '--share-key', openKey], /^pwguard: --share-key needs --shard K\/N \(one run finds shared passwords without a key\)\n$/],
      [['audit', ...ht, '--shard', '1/2', '--share-key', openKey], /^pwguard: share key .*open\.key: readable by others \(mode 644\): chmod 600 it\n$/],
      [['report', 'new-key', openKey], /^pwguard: .*open\.key: already exists; a new audit gets a new key file/],
      [['audit', '--shadow', join(tmp, 'nope')], /^pwguard: cannot read shadow file .*nope: ENOENT\n$/],
      [['audit'], /^pwguard: nothing to audit: give --shadow FILE, --ldap URL or --htpasswd FILE\n$/],
      [['audit', ...ht, '--shard', '3/2'], /^pwguard: --shard 3\/2: expected K\/N with 1 <= K <= N, e.g. 1\/4\n$/],
      [['audit', ...ht, '--budget', 'soon'], /^pwguard: --budget soon: expected a duration/],
      [['audit', '--ldap', 'ldap://127.0.0.1:1', '--base', 'dc=x', '--bind-dn', 'cn=a'], /^pwguard: --bind-dn needs --bind-password-file/],
      [['audit', ...ht, '--resume'], /^pwguard: --resume needs --checkpoint FILE\n$/],
      [['audit', '--ldap', 'ldap://127.0.0.1:1', '--base', 'dc=x'], /^pwguard: LDAP ldap:\/\/127.0.0.1:1: connection refused \(is the server up\?\)\n$/],
    ];
    for (const [args, re] of cases) {
      const r = await pwguard(args);
      expect({ args, status: r.status, stderr: r.stderr }).toEqual({ args, status: 2, stderr: expect.stringMatching(re) });
    }
  });

  // Issue 14: cron reads the exit status; these two used to exit 0 with "No account needs action".
  it('input with no usable account: UNUSABLE INPUT first, exit 4 (text and JSON)', async () => {
    const junk = join(tmp, 'hostname');
    writeFileSync(junk, 'not-an-htpasswd-line\nnor this\n');
    const t = await pwguard(['audit', '--htpasswd', junk, '--format', 'table']);
    expect(t.status).toBe(4);
    expect(t.stdout.split('\n')[0]).toBe('UNUSABLE INPUT: no account could be read from the sources (2 input problem(s)); nothing was audited (exit 4)');
    expect(t.stdout).not.toContain('No account needs action');
    expect(t.stderr).toMatch(/^pwguard: no account could be read from the sources \(2 input problem\(s\)\): nothing was audited\n$/);
    const j = await pwguard(['audit', '--htpasswd', junk, '--format', 'json']);
    expect(j.status).toBe(4);
    expect(JSON.parse(j.stdout)).toMatchObject({ status: 'unusable_input', summary: { accounts: 0, inputAccounts: 0, problems: 2 } });
  });

  it('a run stopped by --budget with nothing else to report: INCOMPLETE first, exit 3', async () => {
    const slow = join(tmp, 'slow.shadow');
    const hash = spawnSync('mkpasswd', ['-m', 'yescrypt', 'zz-not-a-guess-81!']).stdout.toString().trim();
    writeFileSync(slow, `slow:${hash}:19000:0:99999:7:::\n`);
    const t = await pwguard(['audit', '--shadow', slow, '--max-guesses', '1000000', '--budget', '1s', '--format', 'table', '--no-judge']);
    expect(t.status).toBe(3);
    expect(t.stdout.split('\n')[0]).toMatch(/^INCOMPLETE: guessing stopped \(budget\) before 1 account\(s\) got every planned guess: "not found" is not "strong" \(exit 3\)$/);
    expect(t.stdout).toMatch(/built-in common list: [\d,]+ of [\d,]+ tried/);
    expect(t.stdout).toMatch(/\n  slow: top [\d,]+ of 1,000,000 guesses tried; famous: [\d,]+ of [\d,]+ tried, built-in common list/);
    const j = await pwguard(['audit', '--shadow', slow, '--max-guesses', '1000000', '--budget', '1s', '--format', 'json', '--no-judge']);
    expect(j.status).toBe(3);
    const rep = JSON.parse(j.stdout) as { status: string; accounts: Array<{ scheme: string; lastChange: string; coverage: { complete: boolean } }> };
    expect(rep.status).toBe('incomplete');
    expect(rep.accounts[0]).toMatchObject({ scheme: 'yescrypt', lastChange: '2022-01-08', coverage: { complete: false } });
  });

  it('a wordlist with invalid UTF-8: the line is reported and skipped, the rest is used', async () => {
    const wl = join(tmp, 'words.txt');
    writeFileSync(wl, Buffer.concat([Buffer.from('zz-first\n'), Buffer.from([0xc3, 0x28, 0x0a]), Buffer.from('zz-third\n')]));
    const r = await pwguard(['audit', ...ht, '--no-common', '--wordlist', wl, '--format', 'json']);
    const rep = JSON.parse(r.stdout) as { problems: unknown[]; summary: { guessLists: string[] } };
    expect(rep.problems).toEqual([{ where: wl, line: 2, message: 'not valid UTF-8: line skipped' }]);
    expect(rep.summary.guessLists).toEqual([`wordlist:${wl}`]);
  });

  it('--plan measures and estimates without guessing', async () => {
    const r = await pwguard(['audit', ...ht, '--plan', '--budget', '1h']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^4 account\(s\), 4 distinct stored password\(s\), 0 not checkable\nPlan \(\d+ job\(s\); speeds measured now on this machine\):/);
    expect(r.stdout).toMatch(/\n  apr1 +2 +600 +[\d,]+ +\d+ s\n/);
    expect(r.stdout).toMatch(/budget 60 min: enough for every planned guess/);
  });

  it('--expire is a dry run without --apply', async () => {
    const r = await pwguard(['audit', ...ht, '--expire']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('expire (dry run; add --apply to do it):\n  would: bob: htpasswd cannot force a change');
    expect(r.stderr).toContain('\n  would: web1: htpasswd cannot force a change');
  });
});

describe('--shard and report merge', () => {
  it('two shards merged equal one full run', async () => {
    const args = ['audit', '--htpasswd', join(S, 'htpasswd'), '--shadow', join(S, 'shadow'), '--passwd', join(S, 'passwd'), '--max-guesses', '40', '--format', 'json', '--no-judge'];
    const parts = [join(tmp, 's1.json'), join(tmp, 's2.json')];
    const [full, a, b] = await Promise.all([pwguard(args), pwguard([...args, '--shard', '1/2', '-o', parts[0] as string]), pwguard([...args, '--shard', '2/2', '-o', parts[1] as string])]);
    expect([a.status, b.status]).toEqual([1, 1]);
    const whole = JSON.parse(full.stdout) as { accounts: Acct[] };
    const m = await pwguard(['report', 'merge', ...parts]);
    expect(m.status).toBe(1);
    const merged = JSON.parse(m.stdout) as { accounts: Acct[]; shardsMerged: unknown[] };
    expect(merged.shardsMerged).toEqual([{ index: 1, count: 2 }, { index: 2, count: 2 }]);
    const strip = (x: Acct[]) => x.map((acc) => [acc.user, acc.weak, acc.found?.how ?? null]);
    expect(strip(merged.accounts)).toEqual(strip(whole.accounts));
    const one = JSON.parse(readFileSync(parts[0] as string, 'utf8')) as { accounts: Acct[] };
    expect(one.accounts.length).toBeGreaterThan(0);
    expect(one.accounts.length).toBeLessThan(whole.accounts.length);
    const dup = await pwguard(['report', 'merge', parts[0] as string, parts[0] as string]);
    expect(dup.status).toBe(2);
    expect(dup.stderr).toMatch(/^pwguard: .*s1.json: shard 1\/2 is also in .*s1.json\n$/);
  });
});

describe('--checkpoint and --resume', () => {
  it('a run cut short by its budget continues where it stopped', async () => {
    const cp = join(tmp, 'cp.json');
    const args = ['audit', '--shadow', join(S, 'shadow'), '--passwd', join(S, 'passwd'), '--max-guesses', '120', '--format', 'json', '--no-judge', '--checkpoint', cp];
    const first = JSON.parse((await pwguard([...args, '--budget', '2s'])).stdout) as { summary: { stopReason: string | null; guessesTried: number } };
    expect(first.summary.stopReason).toBe('budget');
    expect(statSync(cp).mode & 0o777).toBe(0o600);
    const rest = JSON.parse((await pwguard([...args, '--resume'])).stdout) as { summary: { stopReason: string | null; guessesTried: number }; accounts: Acct[] };
    expect(rest.summary.stopReason).toBeNull();
    const all = JSON.parse((await pwguard(args)).stdout) as { summary: { guessesTried: number }; accounts: Acct[] };
    expect(first.summary.guessesTried + rest.summary.guessesTried).toBeLessThanOrEqual(all.summary.guessesTried + 64 * 4);
    expect(rest.accounts.map((x) => [x.user, x.found?.how ?? null])).toEqual(all.accounts.map((x) => [x.user, x.found?.how ?? null]));
  });
});

describe('progress', () => {
  it('shows a progress line on a terminal (stderr), none otherwise', async () => {
    const out = join(tmp, 'tty.json');
    const cmd = `${process.execPath} ${CLI} audit --htpasswd ${join(S, 'htpasswd')} --max-guesses 300 --no-judge --output ${out}`;
    const r = spawnSync('script', ['-qfec', cmd, '/dev/null'], { encoding: 'utf8', env: { PATH: process.env.PATH, PWGUARD_CONFIG: '' }, timeout: 60_000 });
    expect(r.stdout).toMatch(/\r\[[#.]{20}\] \d+\/4 hashes done, \d+ guesses\/s, \d+ found/);
    const plain = await pwguard(['audit', '--htpasswd', join(S, 'htpasswd'), '--max-guesses', '300', '--no-judge', '--output', out]);
    expect(plain.stderr).toBe('');
  });
});

describe('Ctrl-C', () => {
  it('saves the checkpoint, prints the partial report, exits 2; --resume finishes the job', async () => {
    const cp = join(tmp, 'int.cp');
    const args = [CLI, 'audit', '--shadow', join(S, 'shadow'), '--passwd', join(S, 'passwd'), '--max-guesses', '150', '--no-judge', '--format', 'json', '--checkpoint', cp];
    const child = spawn(process.execPath, args, { env: ENV });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    setTimeout(() => child.kill('SIGINT'), 2500);
    const status = await new Promise((r) => child.on('close', r));
    expect(status).toBe(2);
    expect(stderr).toBe(`pwguard: interrupted; continue with --checkpoint ${cp} --resume\n`);
    const partial = JSON.parse(stdout) as { summary: { stopReason: string } };
    expect(partial.summary.stopReason).toBe('interrupted');
    const saved = JSON.parse(readFileSync(cp, 'utf8')) as { targets: Record<string, { tried: number }> };
    expect(Object.values(saved.targets).some((t) => t.tried > 0)).toBe(true);
    const rest = await pwguard(['audit', ...args.slice(2), '--resume']);
    expect(rest.status).toBe(1);
    const done = JSON.parse(rest.stdout) as { summary: { stopReason: string | null }; accounts: Acct[] };
    expect(done.summary.stopReason).toBeNull();
    expect(done.accounts.filter((a) => a.found).map((a) => a.user)).toEqual(expect.arrayContaining(['alice', 'carol', 'frank', 'grace']));
  });
});
