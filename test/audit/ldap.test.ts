// The auditor against a real OpenLDAP slapd (test/support/slapd.ts): users in every scheme this
// slapd supports, each value made by slappasswd or mkpasswd; Samba NT/LM hashes are the well-known
// published values for "password". Plus the bad cases: server down, wrong bind password, a
// certificate from another CA, a server that never answers, and a bind DN that may not read hashes.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, type Server, type Socket } from 'node:net';
import { auditAccounts, applyExpire, loadSources, mergeAccounts, planExpire, readLdap, type AuditReport, type LdapSourceOptions } from '@pwguard/audit';
import { slappasswd, startSlapd, type Slapd, type SlapdUser } from '../support/slapd.js';

jest.setTimeout(120_000);
const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'packages', 'cli', 'dist', 'main.js');

const mk = (method: string, pw: string): string => execFileSync('mkpasswd', ['-m', method, pw]).toString().trim();
// NT and LM hashes of "password": widely published test values (e.g. the Samba and Impacket docs).
const NT_PASSWORD = '8846F7EAEE8FB117AD06BDD830B7586C';
const LM_PASSWORD = 'E52CAC67419A9A224A3B108F3FA6CB6D';

const USERS: SlapdUser[] = [
  { uid: 'ann', cn: 'Ann Lee', userPassword: [slappasswd('{SSHA}', 'Xq7-not-guessable-vW2'), slappasswd('{SSHA}', 'password')] },
  { uid: 'ben', userPassword: [slappasswd('{SHA}', 'monkey')] },
  { uid: 'cat', userPassword: [slappasswd('{SMD5}', 'r8!Unlikely-Kz0')] },
  { uid: 'dan', cn: 'Dan Brown', userPassword: [slappasswd('{SSHA512}', 'dan123')] },
  { uid: 'eve', userPassword: [`{CRYPT}${mk('sha-512', 'letmein')}`] },
  { uid: 'fay', userPassword: [`{CRYPT}${mk('yescrypt', 'p0-Never-Guessed-x')}`] },
  { uid: 'gus', userPassword: [slappasswd('{ARGON2}', 'qwerty')] },
  { uid: 'hal', userPassword: [slappasswd('{PBKDF2-SHA512}', 'dragon')] },
  { uid: 'ivy', cn: 'Ivy Green', userPassword: ['ivygreen'] },
  { uid: 'joe', sambaNTPassword: NT_PASSWORD, sambaLMPassword: LM_PASSWORD },
  { uid: 'kim', userPassword: [slappasswd('{SHA256}', 'Zz-9-strong-enough-Qa')] },
  { uid: 'nopw', cn: 'No Password' },
  { uid: 'sid', gecos: 'Sid Vicious', uidNumber: 10001, shadowLastChange: 19000, userPassword: [slappasswd('{SSHA}', 'sunshine')] },
];

let ldap: Slapd;
let report: AuditReport;

function opts(extra: Partial<LdapSourceOptions> = {}): LdapSourceOptions {
  return { url: ldap.url, base: ldap.suffix, bindDn: ldap.auditDn, bindPassword: ldap.auditPassword, caFile: ldap.caFile, timeoutSeconds: 5, ...extra };
}

beforeAll(async () => {
  ldap = await startSlapd({ users: USERS });
  const { raw, problems } = await loadSources({ ldap: { ...opts(), pageSize: 3 } });
  report = await auditAccounts(mergeAccounts(raw), problems, { maxGuesses: 300, jobs: 2 });
});
afterAll(async () => {
  await ldap?.stop();
});

const acct = (user: string) => report.accounts.find((a) => a.user === user);

describe('audit of a real slapd over StartTLS (paged search, page size 3)', () => {
  it('reads every user, and every userPassword value (the weakest counts)', () => {
    expect(report.accounts.map((a) => a.user).sort()).toEqual(USERS.map((u) => u.uid).sort());
    // most urgent first (issue 14): every weak account before any other
    const weak = report.accounts.map((a) => a.weak);
    expect(weak.slice(0, weak.filter(Boolean).length).every(Boolean)).toBe(true);
    expect(acct('ann')?.found).toMatchObject({ how: 'common', band: 'top10', attribute: 'userPassword' });
    // the last change, from shadowLastChange (pwdChangedTime when ppolicy set one)
    expect(acct('sid')?.lastChange).toBe('2022-01-08');
  });

  it('finds weak passwords in every scheme slapd stores', () => {
    const found = Object.fromEntries(report.accounts.map((a) => [a.user, a.found?.how ?? null]));
    expect(found).toEqual({
      ann: 'common', ben: 'common', cat: null, dan: 'context', eve: 'common', fay: null, gus: 'common',
      hal: 'common', ivy: 'context', joe: 'common', kim: null, nopw: null, sid: 'common',
    });
  });

  it('reports storage findings: cleartext, unsalted, LM present, low cost', () => {
    const issues = (u: string) => acct(u)?.findings.filter((f) => f.code === 'storage').map((f) => f.issue);
    expect(issues('ivy')).toContain('cleartext');
    expect(issues('ben')).toContain('unsalted');
    expect(acct('joe')?.findings.map((f) => f.code)).toContain('lm_present');
    expect(acct('joe')?.found?.attribute).toBe('sambaNTPassword');
    expect(issues('hal')).toContain('low_iterations');
  });

  it('says when no password attribute could be read', () => {
    expect(acct('nopw')?.findings.map((f) => f.message)).toContain('Not checked: no password attribute could be read (check the bind DN\'s access).');
    expect(acct('nopw')?.sources).toEqual([`ldap:uid=nopw,ou=people,${ldap.suffix}`]);
  });

  it('works over ldaps:// too', async () => {
    const { accounts } = await readLdap(opts({ url: ldap.ldapsUrl }));
    expect(accounts.length).toBe(USERS.length);
  });

  it('an anonymous bind sees the users but no hash (the ACL), and the audit says so', async () => {
    const { accounts } = await readLdap(opts({ bindDn: undefined, bindPassword: undefined }));
    expect(accounts.length).toBe(USERS.length);
    expect(accounts.every((a) => a.credentials.length === 0)).toBe(true);
  });
});

describe('LDAP errors are one clear line', () => {
  let silent: Server;
  let silentPort = 0;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    silent = createServer((sock) => sockets.push(sock.resume())); // accepts, reads, never answers
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    silentPort = (silent.address() as { port: number }).port;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => silent.close(r));
  });

  it('wrong bind password', async () => {
    await expect(readLdap(opts({ bindPassword: 'wrong' }))).rejects.toThrow(`LDAP ${ldap.url}: bind as ${ldap.auditDn} failed: invalid credentials (check --bind-dn and --bind-password-file)`);
  });

  it('certificate from a CA we do not trust, for StartTLS and ldaps', async () => {
    await expect(readLdap(opts({ caFile: ldap.wrongCaFile }))).rejects.toThrow(/TLS certificate not trusted \(\w+\); give the CA with --ca-file$/);
    await expect(readLdap(opts({ url: ldap.ldapsUrl, caFile: ldap.wrongCaFile }))).rejects.toThrow(/TLS certificate not trusted/);
    await expect(readLdap(opts({ caFile: undefined }))).rejects.toThrow(/TLS certificate not trusted/);
  });

  it('server down', async () => {
    await expect(readLdap(opts({ url: 'ldap://127.0.0.1:1' }))).rejects.toThrow('LDAP ldap://127.0.0.1:1: connection refused (is the server up?)');
  });

  it('a server that never answers times out', async () => {
    await expect(readLdap(opts({ url: `ldap://127.0.0.1:${silentPort}`, timeoutSeconds: 1 }))).rejects.toThrow(`LDAP ldap://127.0.0.1:${silentPort}: timed out after 1 s`);
    await new Promise((r) => setTimeout(r, 100));
    expect(sockets.length).toBe(1);
    expect(sockets[0]?.readableEnded).toBe(true); // our side hung up: the CLI can exit
  });

  it('a search base that does not exist', async () => {
    await expect(readLdap(opts({ base: 'ou=nowhere,dc=example,dc=org' }))).rejects.toThrow(/search base ou=nowhere,dc=example,dc=org does not exist/);
  });
});

describe('--expire on LDAP', () => {
  it('sets pwdReset on the weak accounts when applied with a DN allowed to write', async () => {
    const actions = planExpire(report).filter((a) => a.kind === 'ldap');
    expect(actions.map((a) => a.user).sort()).toEqual(['ann', 'ben', 'dan', 'eve', 'gus', 'hal', 'ivy', 'joe', 'sid']);
    const results = await applyExpire(actions.filter((a) => a.user === 'ben' || a.user === 'sid'), opts({ bindDn: ldap.rootDn, bindPassword: ldap.rootPassword }));
    expect(results.map((r) => [r.user, r.ok, r.message])).toEqual([['ben', true, 'pwdReset=TRUE'], ['sid', true, 'pwdReset=TRUE']]);
    const out = await ldap.search(ldap.peopleBase, '(pwdReset=TRUE)', ['uid', 'pwdReset']);
    expect(out.match(/^uid: .*/gm)?.sort()).toEqual(['uid: ben', 'uid: sid']);
  });
});

describe('pwguard audit --ldap (the CLI, bind password from a file)', () => {
  const cli = (args: string[]) => {
    const r = spawnSync(process.execPath, [CLI, 'audit', '--ldap', ldap.url, '--base', ldap.suffix, '--ca-file', ldap.caFile, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH, PWGUARD_CONFIG: '' }, timeout: 120_000 });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  it('audits the directory and exits 1, no password or hash in the output', () => {
    const r = cli(['--bind-dn', ldap.auditDn, '--bind-password-file', ldap.auditPasswordFile, '--format', 'json', '--max-guesses', '300', '--no-judge']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    const rep = JSON.parse(r.stdout) as { accounts: Array<{ user: string; weak: boolean }> };
    expect(rep.accounts.filter((a) => a.weak).map((a) => a.user)).toEqual(['ann', 'ben', 'dan', 'eve', 'gus', 'hal', 'ivy', 'joe', 'sid']);
    expect(r.stdout).not.toMatch(/\{SSHA\}|\{SHA\}|\$6\$|letmein|sunshine|ivygreen/);
  });

  it('a wrong bind password file: one line, exit 2, the password not echoed', () => {
    const r = cli(['--bind-dn', ldap.auditDn, '--bind-password-file', ldap.rootPasswordFile]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`pwguard: LDAP ${ldap.url}: bind as ${ldap.auditDn} failed: invalid credentials (check --bind-dn and --bind-password-file)\n`);
    expect(r.stderr).not.toContain(ldap.rootPassword);
  });
});
