// Without the crypt(3) addon (not built, libxcrypt missing): crypt schemes are "not checked" with
// one clear reason, never "no match"; the other schemes still verify (apr1 in TypeScript).
// Runs the built package in a child process, where the addon is switched off before it loads.
import { execFileSync, spawnSync } from 'node:child_process';

const SCRIPT = `
import { createVerifierPool, cryptSupport, verify, UncheckableHashError } from './packages/hashes/dist/index.js';
const [crypt, apr1] = JSON.parse(process.argv[1]);
const pool = createVerifierPool({ jobs: 2 });
const out = { support: cryptSupport(), verifyCrypt: await verify('pw', crypt), verifyApr1: await verify('pw', apr1) };
try { out.poolCrypt = await pool.findMatch(crypt, ['x', 'pw']); } catch (e) { out.poolCrypt = e instanceof UncheckableHashError ? e.result : String(e); }
out.poolApr1 = await pool.findMatch(apr1, ['x', 'pw']);
await pool.close();
console.log(JSON.stringify(out));
`;

test('crypt schemes are unsupported with a reason; apr1 still verifies', () => {
  const crypt = execFileSync('mkpasswd', ['-m', 'sha512crypt', '-s'], { input: 'pw' }).toString().trim();
  const apr1 = execFileSync('openssl', ['passwd', '-apr1', '-stdin'], { input: 'pw' }).toString().trim();
  const r = spawnSync('node', ['--input-type=module', '-e', SCRIPT, JSON.stringify([crypt, apr1])], {
    env: { ...process.env, PWGUARD_NO_CRYPT_ADDON: '1' }, encoding: 'utf8',
  });
  expect(r.stderr).toBe('');
  expect(JSON.parse(r.stdout)).toEqual({
    support: { ok: false, reason: expect.stringContaining('crypt(3) addon is disabled') },
    verifyCrypt: 'unsupported',
    verifyApr1: 'match',
    poolCrypt: 'unsupported',
    poolApr1: 1,
  });
}, 30_000);
