// pwguard audit --format html as a user runs it: the built CLI audits the bundled sample (hashes made
// by mkpasswd, openssl and htpasswd; packages/audit/samples/), and Debian's Chromium reads the page
// with JavaScript disabled. The screenshot is kept in $PWGUARD_ARTIFACTS/audit for a person to look at.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../web/support.js';

jest.setTimeout(300_000);

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = join(root, 'packages', 'cli', 'dist', 'main.js');
const S = join(root, 'packages', 'audit', 'samples');
const tmp = mkdtempSync(join(tmpdir(), 'pwguard-html-'));
const sample = ['--shadow', join(S, 'shadow'), '--passwd', join(S, 'passwd'), '--htpasswd', join(S, 'htpasswd'), '--max-guesses', '400'];

/** The planted passwords, read from the script that hashed them (make-samples.sh). */
const PLANTED = [...new Set([...readFileSync(join(S, 'make-samples.sh'), 'utf8').matchAll(/(?:mk \S+|passwd -\d|htpasswd -nb\w* \w+) '([^']+)'/g)].map((m) => m[1] as string))];

/** Every stored value of the sample, and its digest part alone (after the last `$` or `}`). */
function storedValues(): string[] {
  const values: string[] = [];
  for (const file of ['shadow', 'htpasswd']) {
    for (const line of readFileSync(join(S, file), 'utf8').split('\n')) {
      const v = (line.split(':')[1] ?? '').replace(/^!/, '');
      if (v.length < 13) continue; // `*`, `!`, empty: states, not hashes
      values.push(v, v.slice(Math.max(v.lastIndexOf('$'), v.lastIndexOf('}')) + 1));
    }
  }
  return values;
}

function pwguard(args: string[]): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH, PWGUARD_CONFIG: '' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    p.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    p.on('close', (status) => resolve({ status, stderr }));
  });
}

function artifactDir(): string {
  const dir = join(process.env.PWGUARD_ARTIFACTS ?? join(root, 'test-artifacts'), 'audit');
  mkdirSync(dir, { recursive: true });
  return dir;
}

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe('pwguard audit --format html on the bundled sample', () => {
  const out = join(tmp, 'audit.html');
  let run: { status: number | null; stderr: string };
  beforeAll(async () => {
    run = await pwguard(['audit', ...sample, '--format', 'html', '--output', out, '--show-passwords']);
  });

  it('writes one 0600 file with no planted password and no stored hash in it, even with --show-passwords', () => {
    expect(run).toEqual({ status: 1, stderr: '' });
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const html = readFileSync(out, 'utf8');
    expect(PLANTED.sort()).toEqual(['Password1!', 'Walker1', 'alice123', 'dragon', 'iloveyou', 'letmein', 'monkey', 'password1', 'qwerty', 'sunshine']);
    for (const pw of PLANTED) expect({ pw, found: html.includes(pw) }).toEqual({ pw, found: false });
    const hashes = storedValues();
    expect(hashes.length).toBeGreaterThan(20);
    for (const h of hashes) expect({ h, found: html.includes(h) }).toEqual({ h, found: false });
  });

  it('reads in Chromium without JavaScript: the summary figures are visible, the charts are drawn', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1100, height: 900 } });
    const page = await context.newPage();
    const requests: string[] = [];
    page.on('request', (req) => requests.push(req.url()));
    await page.goto(pathToFileURL(out).href);
    const cards = (await page.locator('.card').allInnerTexts()).map((x) => x.replace(/\s+/g, ' ').trim());
    const planted = readFileSync(join(S, 'planted.tsv'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#')).length;
    expect(cards).toEqual(expect.arrayContaining(['19 accounts audited', `${planted} weak passwords found`, '1 input problem']));
    expect(cards.some((c) => /^\d+ need action$/.test(c))).toBe(true);
    await expect(page.getByRole('heading', { name: 'Weak passwords found, and how' }).isVisible()).resolves.toBe(true);
    const charts = page.locator('svg.chart');
    expect(await charts.count()).toBe(4);
    for (let i = 0; i < 4; i++) {
      const box = await charts.nth(i).boundingBox();
      expect((box?.height ?? 0) > 20 && (box?.width ?? 0) > 300).toBe(true);
      expect(await charts.nth(i).locator('rect').count()).toBeGreaterThan(0);
    }
    await expect(page.locator('svg.chart text', { hasText: 'md5crypt: fast MD5 rounds' }).isVisible()).resolves.toBe(true);
    expect(await page.locator('table.accounts tbody tr').count()).toBe(19);
    expect(requests).toEqual([pathToFileURL(out).href]); // nothing fetched besides the file itself
    await page.screenshot({ path: join(artifactDir(), 'html-report.png'), fullPage: true });
    copyFileSync(out, join(artifactDir(), 'html-report.html'));
    await context.close();
  });
});

describe('pwguard report merge --format html', () => {
  it('renders merged shard reports the same way, mode 0600', async () => {
    const ht = ['audit', '--htpasswd', join(S, 'htpasswd'), '--max-guesses', '300', '--format', 'json'];
    const parts = [join(tmp, 'p1.json'), join(tmp, 'p2.json')];
    await Promise.all([pwguard([...ht, '--shard', '1/2', '-o', parts[0] as string]), pwguard([...ht, '--shard', '2/2', '-o', parts[1] as string])]);
    const out = join(tmp, 'merged.html');
    const m = await pwguard(['report', 'merge', ...parts, '--format', 'html', '--output', out]);
    expect(m).toEqual({ status: 1, stderr: '' });
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('<div class="num">4</div><div class="what">accounts audited</div>');
    expect(html).toContain('Merged from shards 1, 2 of 2.');
    for (const pw of PLANTED) expect(html).not.toContain(pw);
  });
});
