// End to end in a real headless Chromium against a real slapd: the page shows the reasons for a
// weak password and the breach count for a breached one, and a strong one really changes the
// LDAP entry's userPassword (checked by binding as the user with OpenLDAP's own ldapwhoami).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, jest, test } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { embeddedLookup } from '@pwguard/breach';
import { startSlapd, slappasswd, type Slapd } from '../support/slapd.js';
import { MAIN, artifactDir, launchChromium, postJson, startWebExample, type RunningService } from './support.js';

const run = promisify(execFile);
jest.setTimeout(120_000);

const OLD = 'Old-Password-2019!';
const WEAK = 'alice2024';
const BREACHED = 'iloveyou';
const STRONG = 'Tangerine-Orbit-Quilt-93';

let ldap: Slapd;
let web: RunningService;
let browser: Browser;
let dir: string;
let link: string;

async function bindsAs(password: string): Promise<boolean> {
  const pwFile = join(dir, 'bind.pw');
  writeFileSync(pwFile, password, { mode: 0o600 });
  try {
    const { stdout } = await run('/usr/bin/ldapwhoami', ['-x', '-ZZ', '-H', ldap.url, '-D', `uid=alice,${ldap.peopleBase}`, '-y', pwFile], {
      env: { ...process.env, LDAPTLS_CACERT: ldap.caFile },
    });
    return stdout.trim() === `dn:uid=alice,${ldap.peopleBase}`;
  } catch {
    return false;
  } finally {
    rmSync(pwFile, { force: true });
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pwguard-web-e2e-'));
  ldap = await startSlapd({ users: [{ uid: 'alice', cn: 'Alice Liddell', gecos: 'Alice Liddell', userPassword: [slappasswd('{SSHA}', OLD)] }] });
  const secret = join(dir, 'token.key');
  writeFileSync(secret, randomBytes(32).toString('hex'), { mode: 0o600 });
  const ldapConf = join(dir, 'ldap.conf');
  writeFileSync(ldapConf, [
    `url = ${ldap.url}`, `base = ${ldap.peopleBase}`, `bind_dn = ${ldap.rootDn}`,
    `bind_password_file = ${ldap.rootPasswordFile}`, `ca_file = ${ldap.caFile}`, 'hash = ssha', '',
  ].join('\n'));
  web = await startWebExample(['--ldap', ldapConf, '--secret-file', secret]);
  const { stdout } = await run(process.execPath, [MAIN, 'issue-token', '--user', 'alice', '--secret-file', secret, '--url', web.url]);
  link = stdout.trim();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await web?.stop();
  await ldap?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function typePassword(page: Page, password: string): Promise<void> {
  await page.fill('#password', '');
  await page.type('#password', password);
}

test('weak, breached and strong passwords in the page; the strong one changes the LDAP password', async () => {
  expect(await bindsAs(OLD)).toBe(true);
  const page = await browser.newPage();
  const sent: Array<{ url: string; body: string }> = [];
  page.on('request', (r) => sent.push({ url: r.url(), body: r.postData() ?? '' }));
  await page.goto(link);
  await page.waitForFunction(() => document.querySelector('#account')?.textContent?.includes('alice'));
  // The token leaves the address bar at once (history, screenshots, shoulder surfing).
  expect(page.url()).not.toContain('token');

  await typePassword(page, WEAK);
  await page.waitForSelector('#reasons li[data-code="too_short"]');
  const weakCodes = await page.$$eval('#reasons li', (lis) => lis.map((li) => (li as HTMLElement).dataset.code));
  expect(weakCodes).toEqual(expect.arrayContaining(['too_short', 'contains_context']));
  expect(await page.isDisabled('#submit')).toBe(true);
  await page.screenshot({ path: join(artifactDir(), '1-weak.png') });

  const seen = await embeddedLookup().count(BREACHED);
  expect(seen).toBeGreaterThan(0);
  await typePassword(page, BREACHED);
  await page.waitForSelector('#reasons li[data-code="breached"]');
  expect(await page.textContent('#reasons li[data-code="breached"]')).toContain(`Seen ${seen.toLocaleString('en-US')} times in data breaches`);
  await page.screenshot({ path: join(artifactDir(), '2-breached.png') });

  // k-anonymity: while typing, only 5 hex digits of a SHA-1 left the browser, never more of it.
  const ranges = sent.filter((r) => new URL(r.url).pathname.startsWith('/range/'));
  expect(ranges.length).toBeGreaterThan(0);
  for (const r of ranges) expect(new URL(r.url).pathname).toMatch(/^\/range\/[0-9A-F]{5}$/);
  for (const pw of [WEAK, BREACHED]) {
    const sha = createHash('sha1').update(pw).digest('hex');
    for (const r of sent) {
      expect(`${r.url} ${r.body}`.toLowerCase()).not.toContain(sha.slice(5, 12));
      expect(`${r.url} ${r.body}`).not.toContain(pw);
    }
  }

  await typePassword(page, STRONG);
  await page.waitForFunction(() => document.querySelector('#status')?.textContent === 'Looks good.');
  expect(await page.$$('#reasons li')).toHaveLength(0);
  await page.click('#submit');
  await page.waitForSelector('#result.success');
  expect(await page.textContent('#result')).toBe('Your password has been changed.');
  await page.screenshot({ path: join(artifactDir(), '3-changed.png') });
  await page.close();

  expect(await bindsAs(STRONG)).toBe(true);
  expect(await bindsAs(OLD)).toBe(false);
  const stored = await ldap.search(ldap.peopleBase, '(uid=alice)', ['userPassword']);
  const value = Buffer.from(/userPassword:: (\S+)/.exec(stored)?.[1] ?? '', 'base64').toString();
  expect(value).toMatch(/^\{SSHA\}/);
  expect(stored).not.toContain(STRONG);
});

test('the server has the final say: a breached password posted past the page is refused, the entry unchanged', async () => {
  const { stdout } = await run(process.execPath, [MAIN, 'issue-token', '--user', 'alice', '--secret-file', join(dir, 'token.key')]);
  const before = await ldap.search(ldap.peopleBase, '(uid=alice)', ['userPassword']);
  const refused = await postJson(`${web.url}api/reset`, { token: stdout.trim(), password: BREACHED });
  expect(refused.status).toBe(422);
  expect(refused.json.changed).toBe(false);
  expect((refused.json.verdict as { reasons: Array<{ code: string }> }).reasons.map((r) => r.code)).toContain('breached');
  expect(await ldap.search(ldap.peopleBase, '(uid=alice)', ['userPassword'])).toBe(before);
});

test('a used reset link gets no verdict and changes nothing', async () => {
  const token = new URL(link).hash.slice('#token='.length);
  const before = await ldap.search(ldap.peopleBase, '(uid=alice)', ['userPassword']);
  const { status, json } = await postJson(`${web.url}api/reset`, { token, password: 'Another-Strong-Pass-8817' });
  expect(status).toBe(401);
  expect(json.verdict).toBeUndefined();
  expect(await ldap.search(ldap.peopleBase, '(uid=alice)', ['userPassword'])).toBe(before);
});

test('no password appears in the service log', () => {
  const log = web.output();
  expect(log).toContain('POST /api/reset 200');
  for (const pw of [OLD, WEAK, BREACHED, STRONG]) expect(log).not.toContain(pw);
});
