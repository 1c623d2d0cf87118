import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { createChecker, DEFAULT_POLICY } from '@pwguard/strength';
import { MemoryBackend } from '../src/accounts.js';
import { createResetServer } from '../src/server.js';

const escaped: unknown[] = [];
const onRejection = (reason: unknown) => escaped.push(reason);
let logged = 0;
// A log that fails (a closed pipe, a full disk): the worst place for an exception, after the answer.
const server = createResetServer({
  checker: createChecker(DEFAULT_POLICY), bannedWords: [], range: undefined, backend: new MemoryBackend([]),
  tokenSecret: Buffer.alloc(32, 7), files: new Map([['/index.html', { body: Buffer.from('<p>hi</p>'), type: 'text/html' }]]),
  log: () => {
    logged++;
    throw new Error('log failed');
  },
});
let base: string;

beforeAll(async () => {
  process.on('unhandledRejection', onRejection);
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  process.off('unhandledRejection', onRejection);
  server.closeAllConnections();
  await new Promise((ok) => server.close(ok));
});

test('an exception after the answer (here: in the log) ends that request, nothing escapes', async () => {
  expect((await fetch(`${base}/api/policy`)).status).toBe(200);
  expect((await fetch(`${base}/`)).status).toBe(200);
  expect(logged).toBeGreaterThanOrEqual(2);
  expect(escaped).toEqual([]);
});

test('past a full check queue, POST /api/check is answered 503 with Retry-After at once (queue size 1, one check held)', async () => {
  let entered = () => {};
  const inLookup = new Promise<void>((ok) => { entered = ok; });
  let release = () => {};
  const gate = new Promise<number>((ok) => { release = () => ok(0); });
  // The real checker; its breach lookup waits on `gate`, so the first check stays pending.
  const breach = { description: 'held lookup', count: () => { entered(); return gate; } };
  const busy = createResetServer({
    checker: createChecker(DEFAULT_POLICY, { breach }), bannedWords: [], range: undefined, backend: new MemoryBackend([]),
    tokenSecret: Buffer.alloc(32, 7), files: new Map(), checkLimit: { perMinute: 1000, burst: 1000 }, checkQueue: 1, log: () => {},
  });
  await new Promise<void>((ok) => busy.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${(busy.address() as AddressInfo).port}/api/check`;
  const post = () => fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ password: 'a long enough passphrase 42' }) });
  try {
    const first = post();
    await inLookup;
    const shed = await post();
    expect(shed.status).toBe(503);
    expect(shed.headers.get('retry-after')).toBe('1');
    expect(await shed.json()).toEqual({ error: 'the server is busy; try again in a second' });
    release();
    expect((await first).status).toBe(200);
    expect((await post()).status).toBe(200); // the slot is free again
  } finally {
    busy.closeAllConnections();
    await new Promise((ok) => busy.close(ok));
  }
});
