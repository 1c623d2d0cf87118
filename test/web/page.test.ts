// The page as a browser meets it: GET /api/policy tells it the rules but no server file path,
// /favicon.ico is not a 404, and without JavaScript the page says what it needs.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, jest, test } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { buildStore } from '@pwguard/breach';
import { POLICY_KEYS } from '@pwguard/strength';
import { PAGE_POLICY_KEYS } from '../../packages/web-example/src/page-config.js';
import { launchChromium, startWebExample, type RunningService } from './support.js';

jest.setTimeout(120_000);

let dir: string;
let web: RunningService;
let browser: Browser;
const WEAK_LOG = '/var/lib/pwguard-private-dir/weak-logins.log';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pwguard-web-page-'));
  writeFileSync(join(dir, 'breached.txt'), 'iloveyou\t5\nhunter2\t3\n');
  await buildStore({ inputs: [join(dir, 'breached.txt')], output: join(dir, 'breached.pwg'), kind: 'plaintext' });
  writeFileSync(join(dir, 'banned.txt'), 'acmecorp\n');
  const config = join(dir, 'pwguard.conf');
  writeFileSync(config, ['min_length = 10', 'banned_words_file = banned.txt', 'breach_store = breached.pwg', `weak_login_log = ${WEAK_LOG}`, ''].join('\n'));
  web = await startWebExample(['--config', config]);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await web?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('GET /api/policy sends the rules the browser checks, never a server file path', async () => {
  const body = await (await fetch(`${web.url}api/policy`)).text();
  for (const secret of [dir, 'breached.pwg', 'banned.txt', WEAK_LOG, 'pwguard-private-dir']) expect(body).not.toContain(secret);
  const config = JSON.parse(body) as { policy: Record<string, unknown>; bannedWords: string[] };
  expect(Object.keys(config.policy).sort()).toEqual([...PAGE_POLICY_KEYS].sort());
  const paths = POLICY_KEYS.filter((s) => s.type.kind === 'path').map((s) => s.key);
  expect(paths).toEqual(expect.arrayContaining(['breach_store', 'banned_words_file', 'weak_login_log']));
  for (const key of paths) expect(config.policy).not.toHaveProperty(key);
  expect(config.policy.min_length).toBe(10);
  expect(config.bannedWords).toEqual(['acmecorp']);
});

test('GET /favicon.ico: 204 with no body, not a 404', async () => {
  const res = await fetch(`${web.url}favicon.ico`);
  expect(res.status).toBe(204);
  expect(await res.text()).toBe('');
  expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
});

test('without JavaScript the page says it needs it, and that the server checks anyway', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    await page.goto(web.url);
    const note = page.locator('noscript p');
    expect(await note.isVisible()).toBe(true);
    expect(await note.textContent()).toMatch(/needs JavaScript.*the server checks it again/s);
  } finally {
    await context.close();
  }
});

test('with JavaScript the note stays hidden and a page load asks for nothing that is missing', async () => {
  const page = await browser.newPage();
  const failed: string[] = [];
  page.on('response', (r) => {
    if (r.status() >= 400) failed.push(`${r.status()} ${new URL(r.url()).pathname}`);
  });
  await page.goto(web.url);
  await page.waitForFunction(() => document.querySelector('#account')?.textContent !== '');
  expect(await page.locator('noscript p').count()).toBe(0);
  await page.close();
  expect(failed).toEqual([]);
});
