// The large-directory code path at CI size: a directory with more accounts than the server's size
// limit (olcSizeLimit 1000, as the test slapd has) and many pages (page size 100), read through
// the same paged search a 100k-account audit uses (scripts/bench-scale measures that one).
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { createHash, randomBytes } from 'node:crypto';
import { loadSources, mergeAccounts, readLdap, type LdapSourceOptions } from '@pwguard/audit';
import { slapdMissing, slappasswd, startSlapd, type Slapd, type SlapdUser } from '../support/slapd.js';

jest.setTimeout(300_000);

const COUNT = 1500;
const missing = slapdMissing();
/** {SSHA} as RFC 2307 / OpenLDAP define it; three values below come from slappasswd itself. */
const ssha = (pw: string): string => {
  const salt = randomBytes(8);
  return `{SSHA}${Buffer.concat([createHash('sha1').update(pw).update(salt).digest(), salt]).toString('base64')}`;
};

(missing ? describe.skip : describe)(`LDAP paged search past the size limit${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let ldap: Slapd;
  /** The same directory without the audit DN's limits: the search ends at the size limit. */
  let limited: Slapd;
  beforeAll(async () => {
    const made = [slappasswd('{SSHA}', 'password'), slappasswd('{SSHA}', 'dragon'), slappasswd('{SSHA}', 'Not-Guessed-Either#1')];
    const users: SlapdUser[] = Array.from({ length: COUNT }, (_v, i) => ({
      uid: `user${String(i).padStart(5, '0')}`, cn: `User ${i}`, userPassword: [i < made.length ? made[i] as string : ssha(`Strong#${i}-kq9`)],
    }));
    // The server-side set-up docs/audit.md asks for: the audit DN's paged searches have no total.
    [ldap, limited] = await Promise.all([
      startSlapd({ users, ppolicy: false, auditLimits: 'size.prtotal=unlimited' }),
      startSlapd({ users: users.slice(0, 1200), ppolicy: false }),
    ]);
  });
  afterAll(async () => {
    await ldap?.stop();
    await limited?.stop();
  });

  const opts = (extra: Partial<LdapSourceOptions> = {}, s: Slapd = ldap): LdapSourceOptions => ({
    url: s.url, base: s.peopleBase, bindDn: s.auditDn, bindPassword: s.auditPassword, caFile: s.caFile, ...extra,
  });

  it('reads every entry, in pages of 100, with a size limit of 1000', async () => {
    const r = await readLdap(opts({ pageSize: 100 }));
    expect(r.problems).toEqual([]);
    expect(r.accounts.length).toBe(COUNT);
    expect(new Set(r.accounts.map((a) => a.user)).size).toBe(COUNT);
    expect(r.accounts.every((a) => a.credentials.length === 1 && a.credentials[0]?.stored.startsWith('{SSHA}'))).toBe(true);
  });

  it('the default page size (500) gets them all too, and the accounts merge one per user', async () => {
    const { raw, problems } = await loadSources({ htpasswd: [], ldap: opts() });
    expect(problems).toEqual([]);
    expect(mergeAccounts(raw).length).toBe(COUNT);
  });

  it('a server whose size limit ends the search: a clear error naming the fix, never a partial audit', async () => {
    await expect(readLdap(opts({ pageSize: 100 }, limited))).rejects.toThrow(
      `LDAP ${limited.url}: the server's size limit ended the search after 1000 entries: let ${limited.auditDn} read every account (OpenLDAP: olcLimits: dn.exact="${limited.auditDn}" size.prtotal=unlimited; see docs/audit.md)`,
    );
  });
});
