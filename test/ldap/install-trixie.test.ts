// `pwguard ldap install` / `ldap doctor` against Debian 13's slapd 2.6 (in the cached trixie root
// with slapd and ldap-utils added): the 2.6 configuration (olcPPolicyCheckModule on the overlay,
// pwdUseCheckModule in the policy), the version read from `slapd -VV`, and the policy entry
// written with root's EXTERNAL identity. The run itself is test/ldap/install-trixie.sh.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { jest } from '@jest/globals';

jest.setTimeout(900_000);

const ROOT_SH = fileURLToPath(new URL('../support/trixie-root.sh', import.meta.url));
const MODULE_26 = fileURLToPath(new URL('../../packages/pam/ldap/build/slapd-2.6/pwguard_ppolicy.so', import.meta.url));
const cases = new Map<string, { rc: number; out: string }>();
let slapdVersion = '';
const out = (name: string): string => cases.get(name)?.out ?? `(no case ${name})`;

beforeAll(() => {
  if (!existsSync(MODULE_26)) throw new Error(`${MODULE_26} missing: run the build (scripts/test does)`);
  const r = spawnSync(ROOT_SH, ['run', 'bash', '/opt/pwguard/test/ldap/install-trixie.sh'], {
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

test('before: doctor is red, naming the module load, the overlay and the policy', () => {
  expect(cases.get('doctor-before')?.rc).toBe(1);
  expect(out('doctor-before')).toMatch(/^ok {6}slapd: slapd 2\.6\.\d+: cn=config readable/m);
  expect(out('doctor-before')).toMatch(/^error {3}module-load: /m);
  expect(out('doctor-before')).toMatch(/^error {3}overlay: no olcOverlay=ppolicy under olcDatabase=\{1\}mdb,cn=config/m);
  expect(out('doctor-before')).toMatch(/^error {3}policy: /m);
});

test('install prints the 2.6 form: the overlay names the module, the policy says pwdUseCheckModule', () => {
  expect(cases.get('print')?.rc).toBe(0);
  expect(out('print')).toContain('(module interface 2.6)');
  expect(out('print')).toContain('olcPPolicyCheckModule: /opt/pwguard/packages/pam/ldap/build/slapd-2.6/pwguard_ppolicy.so\n');
  expect(out('print')).toContain('pwdUseCheckModule: TRUE\n');
  expect(out('print')).not.toContain('pwdCheckModule:');
});

test('--apply (EXTERNAL for cn=config and the policy entry), then doctor is green and a second install has nothing to do', () => {
  expect(out('apply')).toContain('# applied:');
  expect(cases.get('apply')?.rc).toBe(0);
  const report = JSON.parse(out('doctor-after')) as { ok: boolean; api: string; checks: { name: string; status: string }[] };
  expect(report.checks.map((c) => `${c.name}:${c.status}`)).toEqual([
    'slapd:ok', 'module-load:ok', 'overlay:ok', 'default-policy:ok', 'policy:ok', 'module-file:ok', 'hook:ok']);
  expect(report).toMatchObject({ ok: true, api: '2.6' });
  expect(cases.get('doctor-after')?.rc).toBe(0);
  expect(out('again')).toContain('# cn=config: nothing to change');
  expect(out('again')).toContain('# policy entry: nothing to change');
});

test('then ldappasswd with a weak password is refused with the reasons; a strong one is stored', () => {
  expect(cases.get('weak')?.rc).not.toBe(0);
  expect(out('weak')).toContain('Result: Constraint violation (19)\nAdditional info: Too short: use at least 12 characters (this one has 9).');
  expect(cases.get('old-still-binds')?.rc).toBe(0);
  expect(cases.get('strong')?.rc).toBe(0);
});
