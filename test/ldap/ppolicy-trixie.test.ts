// pwguard_ppolicy.so's slapd 2.6 build in Debian 13's real slapd (2.6.x, in the cached trixie root
// with slapd and ldap-utils added): the 2.6 signature (struct berval *errmsg, a message longer
// than slapd's 256-byte buffer), the 2.6 configuration (olcPPolicyCheckModule, pwdUseCheckModule),
// the entry layout, and the deadline. The slapd run itself is test/ldap/ppolicy-trixie.sh; the
// first run builds the root with debootstrap (a minute or more), later runs reuse it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { jest } from '@jest/globals';

jest.setTimeout(900_000);

const ROOT_SH = fileURLToPath(new URL('../support/trixie-root.sh', import.meta.url));
const MODULE_26 = fileURLToPath(new URL('../../packages/pam/ldap/build/slapd-2.6/pwguard_ppolicy.so', import.meta.url));
const cases = new Map<string, { rc: number; out: string }>();
let slapdVersion = '';

beforeAll(() => {
  if (!existsSync(MODULE_26)) throw new Error(`${MODULE_26} missing: run the build (scripts/test does)`);
  const r = spawnSync(ROOT_SH, ['run', 'bash', '/opt/pwguard/test/ldap/ppolicy-trixie.sh'], {
    encoding: 'utf8', timeout: 880_000, env: { ...process.env, PWGUARD_TRIXIE_EXTRA: 'slapd,ldap-utils' },
  });
  if (r.status !== 0) throw new Error(`slapd 2.6 run failed (${r.status}): ${r.stdout.slice(-2000)}${r.stderr.slice(-2000)}`);
  slapdVersion = /^== slapd (slapd [\d.]+)/m.exec(r.stdout)?.[1] ?? '';
  for (const block of r.stdout.split(/^== CASE /m).slice(1)) {
    const m = /^(\S+) rc=(\d+)\n([\s\S]*)$/.exec(block);
    if (m) cases.set(m[1] as string, { rc: Number(m[2]), out: m[3] as string });
  }
});

test('it is slapd 2.6', () => {
  expect(slapdVersion).toMatch(/^slapd 2\.6\./);
});

test('ldappasswd with a weak password: Constraint violation with the reasons; the old password still binds', () => {
  expect(cases.get('weak')?.rc).not.toBe(0);
  expect(cases.get('weak')?.out).toContain('Result: Constraint violation (19)\nAdditional info: Too short: use at least 12 characters (this one has 9).');
  expect(cases.get('name')?.out).toContain('Contains or closely resembles your name or account details ("Wonderbread").');
  expect(cases.get('old-still-binds')?.rc).toBe(0);
});

test('a message longer than slapd 2.6\'s buffer reaches the client whole', () => {
  const out = cases.get('long')?.out ?? '';
  for (const i of [1, 2, 3]) expect(out).toContain(`long reason ${i} ${'0'.repeat(100)}`);
});

test('a hanging hook is killed at the deadline: refused, and the next change goes through', () => {
  expect(cases.get('hangs')?.out).toContain('pwguard: the password check could not run; the password was not changed.');
  expect(cases.get('strong')?.rc).toBe(0);
  expect(cases.get('new-binds')?.rc).toBe(0);
});
