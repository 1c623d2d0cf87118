// The service as a public endpoint sees it: oversized bodies and over-long passwords refused
// before any work, per-client rate limits, no verdict for a reset without a valid token,
// fixed-size /range answers, and a log with no password in it.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { createHash } from 'node:crypto';
import { embeddedLookup } from '@pwguard/breach';
import { issueResetToken } from '../../packages/web-example/src/token.js';
import { MAIN, postJson, startWebExample, type RunningService } from './support.js';

jest.setTimeout(120_000);

let dir: string;
let secretFile: string;
let web: RunningService;
const SECRET_PW = 'Do-Not-Log-Me-7731';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pwguard-web-server-'));
  secretFile = join(dir, 'token.key');
  writeFileSync(secretFile, randomBytes(32).toString('hex'), { mode: 0o600 });
  web = await startWebExample(['--secret-file', secretFile, '--check-rate', '100000', '--reset-rate', '100000']);
});

afterAll(async () => {
  await web?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const token = (user: string, ttl = 600) => issueResetToken(readFileSync(secretFile).subarray(0, 64), user, ttl);

describe('POST /api/check', () => {
  test('a body over the limit is refused with 413 before it is parsed', async () => {
    const { status, json } = await postJson(`${web.url}api/check`, { password: 'x'.repeat(5000) });
    expect(status).toBe(413);
    expect(json.error).toMatch(/over \d+ bytes/);
  });

  test('a chunked body over the limit (no Content-Length) gets 413 and the service keeps answering', async () => {
    // A service of its own: before the fix this request killed the process.
    const own = await startWebExample([]);
    try {
      const url = new URL(`${own.url}api/check`);
      const status = await new Promise<number | undefined>((resolve, reject) => {
        const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'Content-Type': 'application/json' } });
        req.on('response', (res) => {
          res.resume();
          resolve(res.statusCode);
        });
        req.on('error', reject);
        for (let i = 0; i < 20; i++) req.write(`"${'x'.repeat(1000)}"`);
        req.end();
      });
      expect(status).toBe(413);
      expect((await postJson(`${own.url}api/check`, { password: 'Whatever-Pass-1' })).status).toBe(200);
      expect([own.child.exitCode, own.child.signalCode]).toEqual([null, null]);
      expect(own.output()).toMatch(/127\.0\.0\.1 POST \/api\/check 413/);
    } finally {
      await own.stop();
    }
  });

  test('a password over max_length gets only too_long: no estimate was made', async () => {
    const { status, json } = await postJson(`${web.url}api/check`, { password: 'Zq9!'.repeat(70) });
    expect(status).toBe(200);
    expect(json).toMatchObject({ ok: false, score: null, reasons: [{ code: 'too_long', max: 256 }] });
  });

  test('bad requests: not JSON, wrong type, wrong content type', async () => {
    const raw = (body: string, type: string) => fetch(`${web.url}api/check`, { method: 'POST', headers: { 'Content-Type': type }, body });
    expect((await raw('{"password":', 'application/json')).status).toBe(400);
    expect((await raw('{"password":42}', 'application/json')).status).toBe(400);
    expect((await raw('password=x', 'application/x-www-form-urlencoded')).status).toBe(415);
  });

  test('the verdict is the checker\'s, with the context the caller gives', async () => {
    const { json } = await postJson(`${web.url}api/check`, { password: 'carol-in-the-garden-2024', context: { user: 'carol' } });
    expect((json.reasons as Array<{ code: string }>).map((r) => r.code)).toContain('contains_context');
  });
});

describe('POST /api/reset', () => {
  test('without a token, with a forged one or an expired one: 401 and no verdict', async () => {
    const good = token('bob');
    const forged = `${good.slice(0, good.indexOf('.'))}.${Buffer.alloc(32).toString('base64url')}`;
    for (const t of [undefined, 'nonsense', forged, token('bob', -5)]) {
      const { status, json } = await postJson(`${web.url}api/reset`, { token: t, password: 'password' });
      expect([status, json.verdict]).toEqual([401, undefined]);
    }
  });

  test('a token for an account the backend does not know: 404', async () => {
    expect((await postJson(`${web.url}api/reset`, { token: token('zed'), password: SECRET_PW })).status).toBe(404);
  });

  test('a weak password is refused with the verdict (422); a strong one changes the password once', async () => {
    const t = token('bob');
    const weak = await postJson(`${web.url}api/reset`, { token: t, password: 'bob12345' });
    expect(weak.status).toBe(422);
    expect(weak.json.changed).toBe(false);
    const ok = await postJson(`${web.url}api/reset`, { token: t, password: SECRET_PW });
    expect([ok.status, ok.json.changed]).toEqual([200, true]);
    expect((await postJson(`${web.url}api/reset`, { token: t, password: `${SECRET_PW}x` })).status).toBe(401);
  });
});

describe('token keys are bytes', () => {
  const run = promisify(execFile);
  /** `n` bytes from `start` on: lone UTF-8 continuation bytes, each of which decodes to U+FFFD. */
  const bytes = (start: number, n: number) => Buffer.from(Array.from({ length: n }, (_, i) => start + i));
  const keyFile = (name: string, key: Uint8Array) => {
    const path = join(dir, name);
    writeFileSync(path, key, { mode: 0o600 });
    return path;
  };
  const issue = async (key: string) => (await run(process.execPath, [MAIN, 'issue-token', '--user', 'bob', '--secret-file', key])).stdout.trim();

  test('a token signed with another binary key is refused, even when both keys decode to the same text', async () => {
    const a = keyFile('a.key', bytes(0x80, 32));
    const b = keyFile('b.key', bytes(0xa0, 32));
    const own = await startWebExample(['--secret-file', b]);
    try {
      const context = (token: string) => postJson(`${own.url}api/reset/context`, { token });
      expect((await context(await issue(a))).status).toBe(401);
      expect((await context(await issue(b))).status).toBe(200);
    } finally {
      await own.stop();
    }
  });

  test('issue-token and the service refuse a short or uniform key with one line, exit 2', async () => {
    for (const key of [keyFile('short.key', bytes(0x80, 8)), keyFile('uniform.key', Buffer.alloc(32, 0x61))]) {
      for (const args of [['issue-token', '--user', 'bob', '--secret-file', key], ['--port', '0', '--secret-file', key]]) {
        const failed = await run(process.execPath, [MAIN, ...args], { env: { ...process.env, PWGUARD_CONFIG: '' } }).then(() => null, (e: { code: number; stderr: string }) => e);
        expect(failed?.code).toBe(2);
        expect(failed?.stderr).toMatch(new RegExp(`^web-example: --secret-file ${key} (holds 8 bytes|has fewer than 8 distinct bytes)[^\\n]*\\n$`));
      }
    }
  });
});

describe('GET /range', () => {
  const get = async (prefix: string) => {
    const res = await fetch(`${web.url}range/${prefix}`);
    return { status: res.status, body: await res.text() };
  };

  test('every answer has the same size and form; a listed password is found by its suffix', async () => {
    const sha = createHash('sha1').update('password').digest('hex').toUpperCase();
    const hit = await get(sha.slice(0, 5));
    const miss = await get('00000');
    expect(hit.status).toBe(200);
    expect(hit.body.length).toBe(miss.body.length);
    const lines = hit.body.trimEnd().split('\r\n');
    expect(lines.length).toBe(miss.body.trimEnd().split('\r\n').length);
    for (const l of lines) expect(l).toMatch(/^[0-9A-F]{35}:\d{10}$/);
    const line = lines.find((l) => l.startsWith(sha.slice(5)));
    expect(Number(line?.split(':')[1])).toBe(await embeddedLookup().count('password'));
  });

  test('a prefix that is not 5 hex digits: 400', async () => {
    for (const p of ['XYZ12', '1234', '123456']) expect((await get(p)).status).toBe(400);
  });
});

test('the page is served with a strict Content-Security-Policy; unknown paths 404', async () => {
  const res = await fetch(web.url);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
  expect((await fetch(`${web.url}../../etc/passwd`)).status).toBe(404);
  expect((await fetch(`${web.url}api/nothing`)).status).toBe(404);
});

test('the log names routes, never passwords, tokens or range prefixes', () => {
  const log = web.output();
  expect(log).toContain('POST /api/reset 200');
  expect(log).toContain('GET /range/:prefix 200');
  for (const secret of [SECRET_PW, 'bob12345', 'carol-in-the-garden', 'Zq9!Zq9!', '5BAA6']) expect(log).not.toContain(secret);
});

test('per-client rate limits answer 429 with Retry-After', async () => {
  const limited = await startWebExample(['--check-rate', '2', '--reset-rate', '1']);
  try {
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await postJson(`${limited.url}api/check`, { password: 'Whatever-Pass-1' })).status);
    expect(statuses).toEqual([200, 429, 429]);
    expect((await postJson(`${limited.url}api/reset`, { password: 'x' })).status).toBe(401);
    const res = await fetch(`${limited.url}api/reset`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect([res.status, res.headers.get('retry-after')]).toEqual([429, '60']);
  } finally {
    await limited.stop();
  }
});
