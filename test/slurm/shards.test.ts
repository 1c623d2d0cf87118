// Scale out on a real Slurm: a single-node slurmctld + slurmd + munged started here runs
// `sbatch --array=0-3` of `pwguard audit --shard $((i+1))/4 --share-key FILE`, and `pwguard report
// merge` of the four reports equals one unsharded run on the same corpus: the same accounts, the
// same findings, the same shared passwords (across shards too), and no report holds a password.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inShard } from '@pwguard/audit';
import { CLI, pwguard, pwguardAsync } from '../support/cli.js';
import { slurmMissing, startSlurm, type Slurm } from '../support/slurm.js';

jest.setTimeout(600_000);

const missing = slurmMissing();
const openssl = (...args: string[]): string => execFileSync('openssl', ['passwd', ...args]).toString().trim();
const sha = (pw: string): string => `{SHA}${execFileSync('python3', ['-c', 'import hashlib,base64,sys;print(base64.b64encode(hashlib.sha1(sys.argv[1].encode()).digest()).decode())', pw]).toString().trim()}`;

interface Finding { code: string; sharedWith?: string[] }
interface Acct { user: string; weak: boolean; needsAction: boolean; findings: Finding[]; shareDigests?: string[]; coverage: { lists: Array<{ list: string; words: number }> } | null }
interface Report { accounts: Acct[]; summary: Record<string, unknown>; problems: unknown[]; shard: unknown; shardsMerged?: unknown[] }

/** What must be equal between the merged and the unsharded report (times and guess counts differ). */
// Times and guess counts aside (a stored value shared across shards is guessed with each shard's
// members as its context, so per-list counts differ), the reports must be equal.
const comparable = (r: Report): unknown => ({
  accounts: r.accounts.map((a) => ({ ...a, coverage: a.coverage && { ...a.coverage, lists: a.coverage.lists.map((l) => ({ list: l.list, words: l.words })) } })),
  summary: { ...r.summary, seconds: 0, guessesTried: 0 },
  problems: r.problems,
});

(missing ? describe.skip : describe)(`pwguard audit shards on a real Slurm${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let slurm: Slurm | undefined;
  let dir: string;
  const PASSWORDS = ['dragon', 'letmein', 'monkey'];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pwguard-slurm-corpus-'));
    // 24 shadow accounts: 'dragon' on six under different salts (found by guessing), 'letmein' on
    // two, one salted hash copied onto three accounts (not guessed), strong passwords on the rest;
    // htpasswd adds one unsalted {SHA} value of a strong password on two accounts.
    const copied = openssl('-1', 'Copied#Strong-4412');
    const lines: string[] = [];
    for (let i = 0; i < 24; i++) {
      const user = `u${String(i).padStart(2, '0')}`;
      const hash = i < 6 ? openssl('-1', 'dragon') : i < 8 ? openssl('-1', 'letmein') : i < 11 ? copied : i === 11 ? openssl('-1', 'monkey') : openssl('-1', `Strong#${i}-Zq8w`);
      lines.push(`${user}:${hash}:20000:0:99999:7:::`);
    }
    writeFileSync(join(dir, 'shadow'), `${lines.join('\n')}\n`, { mode: 0o600 });
    writeFileSync(join(dir, 'htpasswd'), `web1:${sha('Unguessable#77-q')}\nweb2:${sha('Unguessable#77-q')}\nweb3:${sha('dragon')}\n`, { mode: 0o600 });
    expect(pwguard(['report', 'new-key', join(dir, 'audit.key')]).status).toBe(0);
    slurm = await startSlurm();
  });

  afterAll(async () => {
    await slurm?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const audit = (): string[] => ['audit', '--shadow', join(dir, 'shadow'), '--htpasswd', join(dir, 'htpasswd'), '--max-guesses', '100', '--no-judge', '--format', 'json'];

  it('the corpus has shared passwords that span shards (else the test proves nothing)', () => {
    const shardOf = (u: string): number => [1, 2, 3, 4].find((index) => inShard(u, { index, count: 4 })) as number;
    expect(new Set(['u00', 'u01', 'u02', 'u03', 'u04', 'u05', 'web3'].map(shardOf)).size).toBeGreaterThan(1);
    expect(new Set(['u08', 'u09', 'u10'].map(shardOf)).size).toBeGreaterThan(1);
  });

  it('sbatch --array=0-3 of four shards, merged, equals the unsharded run', async () => {
    const s = slurm as Slurm;
    const script = join(dir, 'audit.sbatch');
    // As in docs/audit.md: Slurm's task id is 0-based, --shard K/N is 1-based.
    writeFileSync(script, `#!/bin/sh
#SBATCH --job-name=pwguard-audit
#SBATCH --cpus-per-task=1
i=$SLURM_ARRAY_TASK_ID
'${process.execPath}' '${CLI}' ${audit().map((a) => `'${a}'`).join(' ')} \\
  --shard "$((i + 1))/4" --share-key '${join(dir, 'audit.key')}' --jobs 1 --output "${dir}/part-$i.json"
test $? -le 1
`);
    chmodSync(script, 0o755);
    const [job, full] = await Promise.all([
      s.sbatch(['--array=0-3', `--output=${dir}/slurm-%A_%a.out`, script], { cwd: dir, env: { PWGUARD_CONFIG: '' } }),
      pwguardAsync([...audit(), '--jobs', '1']),
    ]);
    const outputs = [0, 1, 2, 3].map((i) => join(dir, `part-${i}.json`));
    expect({ status: job.status, stderr: job.stderr, missing: outputs.filter((p) => !existsSync(p)) }).toEqual({ status: 0, stderr: '', missing: [] });
    expect(full.status).toBe(1);
    for (const p of outputs) expect(statSync(p).mode & 0o777).toBe(0o600);
    const parts = outputs.map((p) => JSON.parse(readFileSync(p, 'utf8')) as Report);
    expect(parts.map((p) => p.shard)).toEqual([1, 2, 3, 4].map((index) => ({ index, count: 4 })));
    // No shard report holds a password or a stored hash.
    const text = outputs.map((p) => readFileSync(p, 'utf8')).join('\n');
    for (const pw of [...PASSWORDS, 'Unguessable', 'Copied#', 'Strong#']) expect(text).not.toContain(pw);
    for (const line of [...readFileSync(join(dir, 'shadow'), 'utf8').trim().split('\n'), ...readFileSync(join(dir, 'htpasswd'), 'utf8').trim().split('\n')]) {
      expect(text).not.toContain((line.split(':')[1] as string).replace('{SHA}', ''));
    }

    const merged = pwguard(['report', 'merge', ...outputs]);
    expect(merged.status).toBe(1);
    const m = JSON.parse(merged.stdout) as Report;
    const whole = JSON.parse(full.stdout) as Report;
    expect(m.shardsMerged).toEqual([1, 2, 3, 4].map((index) => ({ index, count: 4 })));
    expect(comparable(m)).toEqual(comparable(whole));
    const shared = (r: Report, user: string): string[] | undefined => r.accounts.find((a) => a.user === user)?.findings.find((f) => f.code === 'shared_password')?.sharedWith;
    expect(shared(m, 'u00')).toEqual(['u01', 'u02', 'u03', 'u04', 'u05', 'web3']);
    expect(shared(m, 'u08')).toEqual(['u09', 'u10']);
    expect(shared(m, 'web1')).toEqual(['web2']);
    expect(shared(m, 'u11')).toBeUndefined();
    expect(m.accounts.some((a) => a.shareDigests !== undefined)).toBe(false);
  });
});
