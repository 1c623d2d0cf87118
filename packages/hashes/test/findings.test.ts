// The storage assessment: each finding code raised on values made by independent tools, and not
// raised where storage is sound.
import { identify, identifyAll, COST_FLOORS, FINDINGS } from '@pwguard/hashes';
import type { IdentifyOptions } from '@pwguard/hashes';
import { KNOWN } from './fixtures.js';

const codes = (stored: string, options: IdentifyOptions = {}): string[] => {
  const id = identify(stored, options);
  if (id.status !== 'ok') throw new Error(`not identified: ${id.status}`);
  return id.scheme.findings.map((f) => f.code);
};

const fixture = (scheme: string, command: RegExp | string) => {
  const k = KNOWN.find((x) => x.scheme === scheme && (typeof command === 'string' ? x.command.includes(command) : command.test(x.command)));
  if (!k) throw new Error(`no ${scheme} fixture made by ${String(command)}`);
  return k;
};

test.each([
  ['yescrypt', 'mkpasswd -m yescrypt  -s', []],
  ['yescrypt', '-R 7', []],
  ['yescrypt', /ka-table/, ['low_cost']], // $y$j75$: N=1024, r=8, libxcrypt's cost 1
  ['bcrypt', '-R 5', ['low_cost']],
  ['bcrypt', 'htpasswd -nBi -C 5', ['low_cost']],
  ['sha512crypt', '-R 1000', ['low_rounds']],
  ['sha512crypt', 'openssl passwd -6', []],
  ['sha256crypt', '-R 20000', []],
  ['md5crypt', 'openssl passwd -1', ['md5crypt']],
  ['apr1', 'htpasswd -nmi', ['md5crypt']],
  ['descrypt', 'htpasswd -ndi', ['des_truncation']],
  ['bsdicrypt', 'mkpasswd', ['legacy_scheme']],
  ['nt', 'mkpasswd -m nt', ['unsalted']],
  ['ldap-sha', 'slappasswd', ['unsalted']],
  ['ldap-ssha', 'slappasswd', ['fast_digest']],
  ['ldap-pbkdf2-sha256', 'slappasswd', ['low_iterations']],
  ['ldap-argon2', 'slappasswd', ['low_cost']], // slapd's default m=4096 KiB, t=3
  ['cleartext', 'htpasswd -npi', ['cleartext']],
] as const)('%s made by %s: findings %j', (scheme, command, expected) => {
  const k = fixture(scheme, command);
  expect(codes(k.stored, k.source ? { source: k.source } : {})).toEqual(expected);
});

test('unsalted digests expose what a breach store can look up; salted ones do not', () => {
  const sha = identify('{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g='); // base64 of SHA-1("password")
  expect(sha).toMatchObject({ status: 'ok', scheme: { salted: false, digest: { kind: 'sha1', hex: '5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8' } } });
  const nt = identify('8846F7EAEE8FB117AD06BDD830B7586C', { source: 'sambaNTPassword' });
  expect(nt).toMatchObject({ status: 'ok', scheme: { id: 'samba-nt', digest: { kind: 'ntlm', hex: '8846f7eaee8fb117ad06bdd830b7586c' } } });
  const ssha = identify(fixture('ldap-ssha', 'slappasswd').stored);
  expect(ssha.status === 'ok' && ssha.scheme.digest).toBeUndefined();
});

test('LM presence is a finding; PBKDF2 at the OWASP floor is not', () => {
  expect(codes('AAD3B435B51404EEAAD3B435B51404EE', { source: 'sambaLMPassword' })).toEqual(['lm_present']);
  const salt = Buffer.alloc(16, 1).toString('base64');
  const key = Buffer.alloc(32, 2).toString('base64');
  expect(codes(`{PBKDF2-SHA256}600000$${salt}$${key}`)).toEqual([]);
  expect(codes(`{PBKDF2-SHA256}599999$${salt}$${key}`)).toEqual(['low_iterations']);
});

test('{CLEARTEXT} hands the plaintext to the auditor (and only it)', () => {
  const id = identify('{CLEARTEXT}hunter2');
  expect(id).toMatchObject({ status: 'ok', scheme: { id: 'cleartext', cleartext: 'hunter2' } });
  const hashed = identify(fixture('ldap-ssha', 'slappasswd').stored);
  expect(hashed.status === 'ok' && 'cleartext' in hashed.scheme).toBe(false);
});

test('{CRYPT} wraps a crypt scheme, in any case, and says so', () => {
  const inner = fixture('sha512crypt', 'openssl passwd -6').stored;
  for (const tag of ['{CRYPT}', '{crypt}', '{Crypt}']) {
    expect(identify(tag + inner)).toMatchObject({ status: 'ok', scheme: { id: 'sha512crypt', params: { rounds: 5000, wrapper: '{CRYPT}' } } });
  }
});

test('the source settles what the value alone cannot', () => {
  expect(identify('!', { source: 'shadow' })).toEqual({ status: 'unknown' }); // a locked account, not a password
  expect(identify('*', { source: 'shadow' })).toEqual({ status: 'unknown' });
  expect(identify('{SSHA}abcd', { source: 'shadow' })).toEqual({ status: 'unknown' });
  const sha = fixture('sha512crypt', 'openssl passwd -6').stored;
  expect(identify(sha, { source: 'ldap' })).toMatchObject({ status: 'ok', scheme: { id: 'cleartext' } }); // slapd compares it as text
  expect(identify(sha, { source: 'shadow' })).toMatchObject({ status: 'ok', scheme: { id: 'sha512crypt' } });
  expect(identify('', { source: 'htpasswd' })).toMatchObject({ status: 'ok', scheme: { id: 'cleartext', cleartext: '' } });
});

test('every finding code has English text in the one table', () => {
  for (const k of KNOWN) {
    const id = identify(k.stored, k.source ? { source: k.source } : {});
    if (id.status !== 'ok') continue;
    for (const f of id.scheme.findings) {
      expect(f.message).not.toMatch(/[{}]/);
      expect(f.message.length).toBeGreaterThan(FINDINGS[f.code as keyof typeof FINDINGS].length / 2);
    }
  }
});

test('a cost finding names the one number and floor that apply', () => {
  const bcrypt = identify(fixture('bcrypt', '-R 5').stored);
  expect(bcrypt.status === 'ok' && bcrypt.scheme.findings[0]).toMatchObject({
    code: 'low_cost', measure: 'bcrypt cost', value: 5, floor: COST_FLOORS.bcrypt.floor,
    message: expect.stringMatching(/^cost too low: bcrypt cost 5; at least 10 \(/),
  });
  const sha = identify(fixture('sha512crypt', '-R 1000').stored);
  expect(sha.status === 'ok' && sha.scheme.findings[0]?.message).toMatch(/^too few rounds: sha512crypt rounds 1,000; at least 5,000 /);
  const salt = Buffer.alloc(16, 1).toString('base64');
  const key = Buffer.alloc(32, 2).toString('base64');
  const pbkdf2 = identify(`{PBKDF2-SHA256}599999$${salt}$${key}`);
  expect(pbkdf2.status === 'ok' && pbkdf2.scheme.findings[0]?.message).toMatch(/PBKDF2-SHA256 iterations 599,999; at least 600,000/);
  for (const f of Object.values(COST_FLOORS)) expect(f.floor).toBeGreaterThan(0);
});

test('a multi-valued userPassword is identified value by value (any of them logs in)', () => {
  const values = [fixture('ldap-ssha', 'slappasswd').stored, '{CLEARTEXT}hunter2', '{SSHA}broken'];
  expect(identifyAll(values, { source: 'ldap' }).map((id) => (id.status === 'ok' ? id.scheme.id : id.status))).toEqual([
    'ldap-ssha', 'cleartext', 'malformed',
  ]);
});
