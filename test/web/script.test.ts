// scripts/web-example as a user runs it: from their own directory, with paths relative to it.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, test } from '@jest/globals';
import { verifyResetToken } from '../../packages/web-example/src/token.js';
import { ROOT } from './support.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'pwguard-web-script-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('a relative --secret-file is read from the caller\'s directory, not the checkout', async () => {
  const key = Buffer.concat([randomBytes(31), Buffer.from('k')]); // a trailing CR or LF would be dropped
  writeFileSync(join(dir, 'reset.key'), key, { mode: 0o600 });
  const { stdout } = await run(join(ROOT, 'scripts/web-example'), ['issue-token', '--user', 'alice', '--secret-file', 'reset.key'], { cwd: dir });
  expect(verifyResetToken(key, stdout.trim())).toMatchObject({ ok: true, claims: { user: 'alice' } });
});
