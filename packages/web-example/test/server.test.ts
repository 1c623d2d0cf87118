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
