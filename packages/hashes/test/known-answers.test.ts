// The shared suite every scheme passes: independent tools' hashes and published vectors verify
// with their password, not with others; malformed values are refused; no scheme claims another's.
import { identify, verify, SCHEMES, cryptSupport } from '@pwguard/hashes';
import { KNOWN, loadMalformed, onePerScheme } from './fixtures.js';

/** Slow schemes (yescrypt -R 7, scrypt, sunmd5) take a second or two on this machine. */
const SLOW = 60_000;

const label = (k: (typeof KNOWN)[number]): string => `${k.scheme} ${k.expect} pw=${k.password.toString('hex') || '(empty)'} via ${k.command.split(' ').slice(0, 3).join(' ')}`;

test('the crypt(3) addon is built here (the suite would otherwise only see "unsupported")', () => {
  expect(cryptSupport()).toEqual({ ok: true });
});

test('every scheme in the table has independent known answers', () => {
  const covered = new Set(KNOWN.map((k) => k.scheme));
  const untested = SCHEMES.map((s) => s.id).filter((id) => !covered.has(id) && id !== 'samba-lm');
  expect(untested).toEqual([]);
});

describe.each(KNOWN.map((k) => [label(k), k] as const))('%s', (_name, k) => {
  test('is identified as its scheme', () => {
    const id = identify(k.stored, k.source ? { source: k.source } : {});
    expect(id.status).toBe('ok');
    if (id.status === 'ok') expect(id.scheme.id).toBe(k.scheme);
  });

  test(`the tool's verdict holds (${k.expect})`, async () => {
    expect(await verify(k.password, k.stored, k.source ? { source: k.source } : {})).toBe(k.expect);
  }, SLOW);

  if (k.expect === 'match') {
    test('a wrong password does not verify', async () => {
      const wrong = Buffer.concat([Buffer.from('not-the-password:'), k.password]);
      expect(await verify(wrong, k.stored, k.source ? { source: k.source } : {})).toBe('mismatch');
    }, SLOW);
  }
});

// Damaged copies of real values: cut short, lengthened, a foreign character in the hash part.
function damaged(stored: string): string[] {
  return [stored.slice(0, -1), `${stored}A`, `${stored.slice(0, -2)}!${stored.slice(-1)}`];
}

describe.each(onePerScheme().filter((k) => k.scheme !== 'cleartext').map((k) => [k.scheme, k] as const))(
  'malformed %s values',
  (scheme, k) => {
    test('never verify, even with the right password', async () => {
      for (const bad of damaged(k.stored)) {
        expect(await verify(k.password, bad, k.source ? { source: k.source } : {})).not.toBe('match');
      }
    }, SLOW);

    // Shape-only schemes (DES, bsdicrypt) have no marker: a damaged value is simply not theirs.
    const shapeOnly = scheme === 'descrypt' || scheme === 'bsdicrypt';
    test(shapeOnly ? 'are not taken for this scheme (it has no marker to be malformed against)' : 'are refused as malformed (not as another scheme)', () => {
      for (const bad of damaged(k.stored)) {
        const id = identify(bad, k.source ? { source: k.source } : {});
        if (shapeOnly) expect(id.status === 'ok' ? id.scheme.id : id.status).not.toBe(scheme);
        else expect(id).toMatchObject({ status: 'malformed', schemeId: scheme });
      }
    });
  },
);

test('no scheme claims a value of another scheme (the fallbacks aside)', () => {
  const claims: string[] = [];
  for (const k of onePerScheme()) {
    for (const s of SCHEMES) {
      if (s.id === k.scheme || s.id === 'cleartext') continue;
      if (s.claims(k.stored, k.source)) claims.push(`${s.id} claims a ${k.scheme} value`);
    }
  }
  expect(claims).toEqual([]);
});

test.each([
  ['$6$rounds=999$saltstring$' + 'a'.repeat(86), 'sha512crypt'],
  ['$5$salt$short', 'sha256crypt'],
  ['$2b$03$' + 'a'.repeat(53), 'bcrypt'],
  ['$2b$10$' + 'a'.repeat(52), 'bcrypt'],
  ['$y$j9T$salt$', 'yescrypt'],
  ['$3$$' + 'g'.repeat(32), 'nt'],
  ['$apr1$toolongsalt$' + 'a'.repeat(22), 'apr1'],
  ['{SSHA}' + Buffer.alloc(20).toString('base64'), 'ldap-ssha'],
  ['{SHA}' + Buffer.alloc(21).toString('base64'), 'ldap-sha'],
  ['{SHA}not*base64', 'ldap-sha'],
  ['{PBKDF2-SHA256}0$c2FsdA$a2V5', 'ldap-pbkdf2-sha256'],
  ['{PBKDF2-SHA256}10000$c2FsdA', 'ldap-pbkdf2-sha256'],
  ['{PBKDF2_SHA256}' + Buffer.alloc(100).toString('base64'), 'ds-pbkdf2-sha256'],
  ['{ARGON2}$argon2id$v=19$m=0,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g', 'ldap-argon2'],
  ['{CRYPT}$9$unknown', 'crypt'],
])('hand-made malformed value %#: %s is malformed %s', async (value, schemeId) => {
  expect(identify(value)).toMatchObject({ status: 'malformed', schemeId });
  expect(await verify('anything', value)).toBe('malformed');
});

test('values of no known scheme are unknown, and unknown never verifies', async () => {
  for (const value of ['{FOO}bar', '$9$whatever', '']) {
    expect(identify(value)).toEqual({ status: 'unknown' });
    expect(await verify('', value)).toBe('unsupported');
  }
});

test.each(loadMalformed().map((m) => [m.cite, m] as const))('passlib malformed (%s) is refused', async (_cite, m) => {
  const options = m.source ? { source: m.source } : {};
  expect(identify(m.value, options)).toMatchObject({ status: 'malformed', schemeId: m.scheme });
  expect(await verify('test', m.value, options)).toBe('malformed');
});
