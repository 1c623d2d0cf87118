// The batch verifier the auditor's guessing loop uses: crypt(3) on worker threads, the rest here.
import { execFileSync } from 'node:child_process';
import { createVerifierPool, maxJobs, PoolClosedError, UncheckableHashError, md5cryptWithMagic, ntHash, sha1Hex, measureSpeed, identify, verify } from '@pwguard/hashes';
import type { VerifierPool } from '@pwguard/hashes';
import { KNOWN } from './fixtures.js';

const SLOW = 60_000;
let pool: VerifierPool;
beforeAll(() => { pool = createVerifierPool({ jobs: 2 }); });
afterAll(async () => { await pool.close(); });

const sample = (scheme: string) => {
  const k = KNOWN.find((x) => x.scheme === scheme && x.expect === 'match' && x.password.length > 0 && !x.command.startsWith('probe'));
  if (!k) throw new Error(`no fixture for ${scheme}`);
  return k;
};

const decoys = (n: number): string[] => Array.from({ length: n }, (_, i) => `decoy-${i}`);

test.each(['yescrypt', 'sha512crypt', 'md5crypt', 'descrypt', 'bcrypt', 'apr1', 'ldap-ssha', 'ldap-sha512', 'ldap-pbkdf2-sha256', 'ds-pbkdf2-sha256', 'ldap-argon2', 'samba-nt'])(
  '%s: findMatch returns the index of the first matching candidate, -1 when none does',
  async (scheme) => {
    const k = sample(scheme);
    const opts = k.source ? { source: k.source } : {};
    const list: Array<string | Uint8Array> = decoys(40);
    list[23] = k.password;
    list[31] = k.password; // a later duplicate must not win
    expect(await pool.findMatch(k.stored, list, opts)).toBe(23);
    expect(await pool.findMatch(k.stored, decoys(9), opts)).toBe(-1);
    expect(await pool.findMatch(k.stored, [], opts)).toBe(-1);
  },
  SLOW,
);

test('every known answer is found by the pool too (the addon paths: crypt, apr1, digests, PBKDF2)', async () => {
  const misses: string[] = [];
  for (const k of KNOWN) {
    const options = k.source ? { source: k.source } : {};
    const want = k.expect === 'match' ? 1 : -1;
    // Bytes go as an array; text that is valid UTF-8 also goes packed in one buffer.
    const found = await pool.findMatch(k.stored, ['wrong-guess', k.password], options);
    if (found !== want) misses.push(`${k.scheme} ${k.stored.slice(0, 12)} (bytes): ${found}`);
    const text = k.password.toString('utf8');
    if (Buffer.from(text, 'utf8').equals(k.password) && !text.includes('\0')) {
      const viaText = await pool.findMatch(k.stored, ['wrong-guess', text], options);
      if (viaText !== want) misses.push(`${k.scheme} ${k.stored.slice(0, 12)} (text): ${viaText}`);
    }
  }
  expect(misses).toEqual([]);
}, 120_000);

test('an empty password is a mismatch for {ARGON2}, not an error (hash-wasm refuses to hash it)', async () => {
  const k = sample('ldap-argon2');
  expect(await verify('', k.stored, { source: 'ldap' })).toBe('mismatch');
  expect(await pool.findMatch(k.stored, ['', k.password], { source: 'ldap' })).toBe(1);
}, SLOW);

test('an empty candidate is a candidate (packed batches keep every index)', async () => {
  const empty = KNOWN.find((k) => k.scheme === 'sha512crypt' && k.password.length === 0);
  expect(empty).toBeDefined();
  expect(await pool.findMatch(empty!.stored, ['a', '', 'b'])).toBe(1);
  expect(await pool.findMatch(empty!.stored, ['', ''])).toBe(0);
  expect(await pool.findMatch(empty!.stored, ['a', 'with\0nul', ''])).toBe(2); // array form
});

test('many concurrent findMatch calls on one pool each get their own answer', async () => {
  const a = sample('md5crypt');
  const b = sample('sha256crypt');
  const answers = await Promise.all(
    [0, 1, 2, 3, 4, 5].map((i) => {
      const k = i % 2 ? a : b;
      const list: Array<string | Uint8Array> = decoys(30);
      list[i * 4] = k.password;
      return pool.findMatch(k.stored, list);
    }),
  );
  expect(answers).toEqual([0, 4, 8, 12, 16, 20]);
}, SLOW);

test('a malformed or unknown value is refused, never reported as "no match"', async () => {
  await expect(pool.findMatch('$6$abc$short', ['x'])).rejects.toBeInstanceOf(UncheckableHashError);
  await expect(pool.findMatch('$6$abc$short', ['x'])).rejects.toMatchObject({ result: 'malformed' });
  await expect(pool.findMatch('{FOO}bar', ['x'])).rejects.toMatchObject({ result: 'unsupported' });
});

test('the TypeScript md5crypt agrees with libxcrypt on every $1$ fixture (so apr1, which shares it, is sound)', () => {
  const md5 = KNOWN.filter((k) => k.scheme === 'md5crypt' && k.expect === 'match');
  expect(md5.length).toBeGreaterThan(5);
  for (const k of md5) {
    const salt = k.stored.split('$')[2] ?? '';
    expect(md5cryptWithMagic(k.password, salt, '$1$')).toBe(k.stored);
  }
});

test('the TypeScript apr1 (used without the addon) reproduces every htpasswd/openssl apr1 fixture', () => {
  const apr1 = KNOWN.filter((k) => k.scheme === 'apr1' && k.expect === 'match');
  expect(apr1.length).toBeGreaterThan(4);
  for (const k of apr1) {
    const salt = k.stored.split('$')[2] ?? '';
    expect(md5cryptWithMagic(k.password, salt, '$apr1$')).toBe(k.stored);
  }
});

test('ntHash and sha1Hex give the digests breach stores use', async () => {
  expect(await ntHash('password')).toBe('8846f7eaee8fb117ad06bdd830b7586c'); // widely published NTLM of "password"
  expect(sha1Hex('password')).toBe('5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8');
  const sha = sample('ldap-sha');
  const id = identify(sha.stored);
  expect(id.status === 'ok' && id.scheme.digest).toEqual({ kind: 'sha1', hex: sha1Hex(sha.password) });
});

test('measureSpeed returns a positive rate for a verifiable value and null for a malformed one', async () => {
  expect(await measureSpeed(sample('md5crypt').stored, 50)).toBeGreaterThan(0);
  expect(await measureSpeed('$6$abc$short', 50)).toBeNull();
});

test('jobs are bounded: more than 4 x the cores is refused with a clear error', () => {
  expect(() => createVerifierPool({ jobs: maxJobs() + 1 })).toThrow(new RangeError(`jobs ${maxJobs() + 1}: at most ${maxJobs()} on this machine (4 x its ${maxJobs() / 4} cores)`));
  expect(() => createVerifierPool({ jobs: 100_000 })).toThrow(RangeError);
});

test('close() ends a search in flight: it rejects with PoolClosedError, workers stop before their next guess', async () => {
  const p = createVerifierPool({ jobs: 1 });
  // bcrypt cost 12: 64 guesses are many seconds of native work that terminate() alone cannot cut.
  const slow = execFileSync('mkpasswd', ['-m', 'bcrypt', '-R', '12', 'not-one-of-the-decoys']).toString().trim();
  const outcome = p.findMatch(slow, decoys(64)).then(() => 'answered', (e: unknown) => e);
  await new Promise((r) => setImmediate(r)); // the first batch is now in the worker
  await p.close();
  expect(await outcome).toBeInstanceOf(PoolClosedError);
  await expect(p.findMatch(slow, ['x'])).rejects.toThrow(PoolClosedError);
}, SLOW);
