// pwguard guesses: the built CLI in a real process prints the candidate stream, and it is exactly
// what pwguard audit tries for the same account and inputs (the audit's own batches recorded).
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { auditAccounts, createBackend, mergeAccounts, parseShadow, readRuleFiles, type Backend, type SourceProblem } from '@pwguard/audit';

jest.setTimeout(120_000);

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = join(root, 'packages', 'cli', 'dist', 'main.js');
const tmp = mkdtempSync(join(tmpdir(), 'pwguard-guesses-'));
const ENV = { PATH: process.env.PATH, PWGUARD_CONFIG: '' };
const site = join(tmp, 'site.txt');
const rules = join(tmp, 'mine.rule');
writeFileSync(site, 'acmecorp\nwidgetco\n');
// line 3 uses hashcat's memory function X, which the engine does not support
writeFileSync(rules, ':\nc $1\nX102\nu $2 $0 $0 $9\n$! c\n');

const pwguard = (args: string[]): { status: number | null; stdout: string; stderr: string } =>
  spawnSync(process.execPath, [CLI, ...args], { env: ENV, encoding: 'utf8' });

let backend: Backend;
beforeAll(async () => {
  backend = await createBackend({ jobs: 1 });
});
afterAll(async () => {
  await backend.close();
});

/** Every guess the audit hands to the verifier for the only account, in order (nothing matches). */
async function auditSequence(ruleFiles: string[], max: number): Promise<string[]> {
  const tried: string[] = [];
  const recording: Backend = { identify: (s, src) => backend.identify(s, src), findMatch: async (_s, _src, c) => (tried.push(...c), -1), close: async () => undefined };
  const shadow = 'bsmith:$1$abcdefgh$K0p3n0tArealhashXXXXX.:14000:0:99999:7:::';
  const raw = parseShadow(shadow, 'shadow', new Map([['bsmith', 'Bob Smith,,,']])).accounts;
  const problems: SourceProblem[] = [];
  const r = await readRuleFiles(ruleFiles, problems);
  await auditAccounts(mergeAccounts(raw), problems, {
    backend: recording, jobs: 1, maxGuesses: max, wordlists: [site], orgWords: ['zorgo'], now: new Date('2026-06-01T00:00:00Z'), ...(r ? { rules: r } : {}),
  });
  return tried;
}

describe('pwguard guesses', () => {
  it('prints the audit\'s sequence for the account, line N = guess N, with the built-in rules', async () => {
    const r = pwguard(['guesses', '--user', 'bsmith', '--gecos', 'Bob Smith,,,', '--wordlist', site, '--org-words', 'zorgo', '--now', '2026-06-01', '--last-change', '2008-05-01', '--max', '3000']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n').slice(0, -1);
    expect(lines.length).toBe(3000);
    expect(lines[0]).toBe('');
    expect(lines.indexOf('zorgo')).toBeLessThan(5);
    expect(lines).toContain('Smith1987');
    expect(lines).toEqual(await auditSequence([], 3000));
  });

  it('uses --rules files instead of the built-in rules, and names an unsupported rule with file:line', async () => {
    const r = pwguard(['guesses', '--user', 'bsmith', '--gecos', 'Bob Smith,,,', '--wordlist', site, '--org-words', 'zorgo', '--rules', rules, '--now', '2026-06-01', '--last-change', '2008-05-01', '--max', '500']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(`pwguard: ${rules}:3: rule "X102" skipped: unsupported function 'X' (memory)\n`);
    const lines = r.stdout.split('\n').slice(0, -1);
    expect(lines).toContain('WIDGETCO2009');
    expect(lines).toContain('Acmecorp!');
    expect(lines).not.toContain('acmecorp123');
    expect(lines).toEqual(await auditSequence([rules], 500));
  });

  it('reports the unsupported rule in the audit report problems too', () => {
    const shadow = join(tmp, 'shadow');
    writeFileSync(shadow, 'bsmith:$1$abcdefgh$K0p3n0tArealhashXXXXX.:14000:0:99999:7:::\n');
    const r = pwguard(['audit', '--shadow', shadow, '--rules', rules, '--max-guesses', '20', '--no-judge', '--format', 'json']);
    expect(r.status).toBe(1); // md5crypt is a storage finding
    const report = JSON.parse(r.stdout) as { problems: Array<{ where: string; line?: number; message: string }> };
    expect(report.problems).toContainEqual({ where: rules, line: 3, message: 'rule "X102" skipped: unsupported function \'X\' (memory)' });
  });

  it('refuses a bad --max with one line', () => {
    const r = pwguard(['guesses', '--user', 'x', '--max', '0']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('pwguard: --max 0: expected a whole number of at least 1\n');
  });
});
