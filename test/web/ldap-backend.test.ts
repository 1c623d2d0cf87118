// The LDAP account backend against a real slapd: verified StartTLS, the user's context words,
// both hash schemes written and then accepted by slapd itself for a bind (ldapwhoami), never
// cleartext, and clear errors for an untrusted certificate or an unknown account.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, jest, test } from '@jest/globals';
import { BackendError } from '../../packages/web-example/src/accounts.js';
import { LdapBackend, type LdapBackendOptions } from '../../packages/web-example/src/ldap-backend.js';
import { startSlapd, slappasswd, type Slapd } from '../support/slapd.js';

jest.setTimeout(120_000);
const run = promisify(execFile);
let ldap: Slapd;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pwguard-web-ldap-'));
  ldap = await startSlapd({
    users: [
      { uid: 'carol', cn: 'Carol Danvers', gecos: 'Carol Danvers,Room 12', mail: 'carol@example.org', userPassword: [slappasswd('{SSHA}', 'Old-Carol-Pass-1')] },
      { uid: 'dave', cn: 'Dave Lister', userPassword: [slappasswd('{SSHA}', 'Old-Dave-Pass-1')] },
    ],
  });
});

afterAll(async () => {
  await ldap?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const options = (extra: Partial<LdapBackendOptions> = {}): LdapBackendOptions => ({
  url: ldap.url, base: ldap.peopleBase, bindDn: ldap.rootDn, bindPassword: ldap.rootPassword, caFile: ldap.caFile, ...extra,
});

async function whoami(uid: string, password: string): Promise<string> {
  const pwFile = join(dir, 'pw');
  writeFileSync(pwFile, password, { mode: 0o600 });
  try {
    const { stdout } = await run('/usr/bin/ldapwhoami', ['-x', '-ZZ', '-H', ldap.url, '-D', `uid=${uid},${ldap.peopleBase}`, '-y', pwFile], {
      env: { ...process.env, LDAPTLS_CACERT: ldap.caFile },
    });
    return stdout.trim();
  } catch {
    return 'bind failed';
  } finally {
    rmSync(pwFile, { force: true });
  }
}

test('context: GECOS, display words and mail of the account; null for an unknown one', async () => {
  const backend = new LdapBackend(options());
  expect(await backend.context('carol')).toEqual({ user: 'carol', gecos: 'Carol Danvers,Room 12', extraWords: ['carol@example.org'] });
  expect(await backend.context('dave')).toEqual({ user: 'dave', gecos: 'Dave Lister', extraWords: [] });
  expect(await backend.context('nobody-here')).toBeNull();
});

test.each(['ssha', 'pbkdf2-sha512'] as const)('setPassword with %s: slapd accepts the new password, the old one is gone, no cleartext stored', async (hash) => {
  const pw = `New-${hash}-Pass-4471`;
  await new LdapBackend(options({ hash })).setPassword('dave', pw);
  expect(await whoami('dave', pw)).toBe(`dn:uid=dave,${ldap.peopleBase}`);
  expect(await whoami('dave', 'Old-Dave-Pass-1')).toBe('bind failed');
  const out = await ldap.search(ldap.peopleBase, '(uid=dave)', ['userPassword']);
  const stored = Buffer.from(/userPassword:: (\S+)/.exec(out)?.[1] ?? '', 'base64').toString();
  expect(stored).toMatch(hash === 'ssha' ? /^\{SSHA\}/ : /^\{PBKDF2-SHA512\}210000\$/);
  expect(stored).not.toContain(pw);
});

test('a server certificate from another CA is refused before anything is sent', async () => {
  const backend = new LdapBackend(options({ caFile: ldap.wrongCaFile }));
  await expect(backend.setPassword('carol', 'Whatever-Pass-9981')).rejects.toThrow(BackendError);
  expect(await whoami('carol', 'Old-Carol-Pass-1')).toBe(`dn:uid=carol,${ldap.peopleBase}`);
});

test('an unknown account is a BackendError naming it', async () => {
  await expect(new LdapBackend(options()).setPassword('zed', 'Whatever-Pass-9981')).rejects.toThrow(/no such account: zed/);
});
