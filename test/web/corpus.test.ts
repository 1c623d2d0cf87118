// One corpus, four entry points, one verdict: the browser library (in Chromium, breach lookups by
// k-anonymity range queries), POST /api/check, `pwguard check` and `pwguard pam-hook` (the built
// CLI) must agree on ok and the reason codes of every password, under one policy file with a
// breach store, banned words, site words and the pwquality-style rules switched on.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, jest, test } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { buildStore } from '@pwguard/breach';
import type { CheckContext, Verdict } from '@pwguard/strength';
import { BANNED, CORPUS, PREDICTABLE, REFUSED_EVERYWHERE, STORE_WORDS, USER } from './corpus.js';
import { CLI, launchChromium, postJson, startWebExample, summary, type RunningService } from './support.js';

// About 200 CLI processes (each builds zxcvbn): ~1 min on an idle 2-core machine, several under load.
jest.setTimeout(900_000);

let dir: string;
let config: string;
let web: RunningService;
let browser: Browser;
let context: CheckContext;

/** Runs `node CLI args` with the password as raw stdin bytes; resolves exit code and stdout. */
function runCli(args: readonly string[], password: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, PWGUARD_CONFIG: config, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 || code === 1 ? resolve({ code, stdout }) : reject(new Error(`${args[0]} exited ${code}: ${stderr}`))));
    child.stdin.end(Buffer.from(password, 'utf8'));
  });
}

/** `jobs` at a time: the machine has two cores and each CLI process builds zxcvbn. */
async function mapLimit<T, R>(items: readonly T[], jobs: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: jobs }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  }));
  return out;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pwguard-web-corpus-'));
  const list = join(dir, 'breached.txt');
  // Filler words make a store with several buckets, so the browser's fingerprint cut is exercised.
  const filler = Array.from({ length: 3000 }, (_, i) => `filler-${i.toString(36)}-pw\t${1 + (i % 500)}`);
  writeFileSync(list, [...STORE_WORDS.map(([w, n]) => `${w}\t${n}`), ...filler, ''].join('\n'));
  await buildStore({ inputs: [list], output: join(dir, 'breached.pwg'), kind: 'plaintext' });
  writeFileSync(join(dir, 'banned.txt'), `# site banned words\n${BANNED.join('\n')}\n`);
  config = join(dir, 'pwguard.conf');
  writeFileSync(config, [
    'min_length = 10', 'max_length = 64', 'min_score = 3', 'org_words = pwguard, example',
    'banned_words_file = banned.txt', 'breach_store = breached.pwg', 'min_classes = 2', 'max_repeat = 3',
    'max_sequence = 4', 'enforce_for_root = 1', '',
  ].join('\n'));
  const { stdout } = await promisify(execFile)('getent', ['passwd', USER]);
  context = { user: USER, gecos: stdout.split(':')[4] ?? '' };
  web = await startWebExample(['--config', config, '--check-rate', '1000000']);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await web?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test(`${CORPUS.length} passwords get the same verdict from the browser, the server, pwguard check and pwguard pam-hook`, async () => {
  expect(CORPUS.length).toBeGreaterThanOrEqual(100);
  const page = await browser.newPage();
  await page.goto(web.url);
  const inBrowser = await page.evaluate(async ({ corpus, ctx }) => {
    const lib = (window as unknown as { pwguard: { check(p: string, c: unknown): Promise<unknown> } }).pwguard;
    const out = [];
    for (const pw of corpus) out.push(await lib.check(pw, ctx));
    return out;
  }, { corpus: CORPUS, ctx: context }) as Verdict[];
  await page.close();

  const onServer: Verdict[] = [];
  for (const password of CORPUS) {
    const { status, json } = await postJson(`${web.url}api/check`, { password, context });
    expect(status).toBe(200);
    onServer.push(json as unknown as Verdict);
  }

  const cli = await mapLimit(CORPUS, 2, async (pw) => {
    const { code, stdout } = await runCli(['check', '--config', config, '--user', USER, '--format', 'json'], pw);
    const v = JSON.parse(stdout) as Verdict;
    expect(code).toBe(v.ok ? 0 : 1);
    return v;
  });
  const hook = await mapLimit(CORPUS, 2, (pw) => runCli(['pam-hook', '--config', config], pw, { PAM_USER: USER, PAM_TYPE: 'password' }));

  const table = CORPUS.map((pw, i) => ({ i, cli: summary(cli[i] as Verdict), browser: summary(inBrowser[i] as Verdict), server: summary(onServer[i] as Verdict) }));
  expect(table.map((r) => ({ i: r.i, v: r.browser }))).toEqual(table.map((r) => ({ i: r.i, v: r.cli })));
  expect(table.map((r) => ({ i: r.i, v: r.server }))).toEqual(table.map((r) => ({ i: r.i, v: r.cli })));
  // Not only the codes: messages (with breach counts), scores and the enforcement flag match too.
  const full = (v: Verdict) => ({ ok: v.ok, enforced: v.enforced, reasons: v.reasons, score: v.score });
  expect(inBrowser.map(full)).toEqual(cli.map(full));
  expect(onServer.map(full)).toEqual(cli.map(full));
  // The hook prints exactly the reasons' messages, one per line, and exits 1 to refuse.
  expect(hook.map((h, i) => ({ i, ok: h.code === 0, lines: h.stdout.split('\n').filter(Boolean) })))
    .toEqual(cli.map((v, i) => ({ i, ok: v.ok, lines: v.reasons.map((r) => r.message) })));

  // The corpus is only worth something if it reaches every rule.
  const codes = new Set(cli.flatMap((v) => v.reasons.map((r) => r.code)));
  for (const code of ['too_short', 'too_long', 'contains_nul', 'contains_context', 'contains_banned', 'breached', 'weak_score', 'too_few_classes', 'too_many_repeats', 'too_long_sequence', 'predictable']) {
    expect([code, codes.has(code)]).toEqual([code, true]);
  }
  expect(cli.filter((v) => v.ok).length).toBeGreaterThanOrEqual(10);
  // What is hashed is what is judged: NFKC expansion and invisible code points fool no entry point.
  const refused = REFUSED_EVERYWHERE.map((pw) => CORPUS.indexOf(pw)).map((i) => ({ i, ok: cli[i]?.ok }));
  expect(refused).toEqual(refused.map(({ i }) => ({ i, ok: false })));
  // The attacker model (min_guess_rank) refuses the same mangled words in every entry point.
  const early = PREDICTABLE.map((pw) => CORPUS.indexOf(pw)).map((i) => ({ i, codes: cli[i]?.reasons.map((r) => r.code) }));
  expect(early).toEqual(early.map(({ i }) => ({ i, codes: ['predictable'] })));
  expect(cli.filter((v) => v.reasons.some((r) => r.code === 'breached')).length).toBeGreaterThanOrEqual(STORE_WORDS.length - 2);
});
