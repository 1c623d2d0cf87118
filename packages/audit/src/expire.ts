// --expire: force a password change at next login for the weak accounts. A dry run (the plan is
// printed) unless --apply. Local accounts: `chage -d 0`; LDAP: pwdReset (ppolicy), falling back to
// shadowLastChange 0 for shadowAccount entries; htpasswd has no such mechanism (said, not done).
import { execFile } from 'node:child_process';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import type { AccountReport, AuditReport } from './report.js';
import { closeClient, connectLdap, type LdapSourceOptions } from './sources/ldap.js';

export interface ExpireAction {
  readonly user: string;
  readonly kind: 'local' | 'ldap' | 'none';
  /** What will be (or was) done, in words a sysadmin can check. */
  readonly description: string;
  readonly argv?: readonly string[];
  readonly dn?: string;
}

export interface ExpireResult extends ExpireAction {
  readonly ok: boolean;
  readonly message?: string;
}

export function planExpire(report: Pick<AuditReport, 'accounts'>): ExpireAction[] {
  const out: ExpireAction[] = [];
  for (const a of report.accounts.filter((x) => x.weak && x.state !== 'locked')) out.push(...actionsFor(a));
  return out;
}

function actionsFor(a: AccountReport): ExpireAction[] {
  const out: ExpireAction[] = [];
  const shadow = a.sources.find((s) => s.startsWith('shadow:'));
  if (shadow) {
    const path = shadow.slice('shadow:'.length).replace(/:\d+$/, '');
    // `--`: a login name read from a file can never be taken for an option of chage.
    if (path === '/etc/shadow') {
      out.push({ user: a.user, kind: 'local', argv: ['chage', '-d', '0', '--', a.user], description: `chage -d 0 -- ${a.user}` });
    } else if (path.endsWith('/etc/shadow')) {
      const root = dirname(dirname(path));
      out.push({ user: a.user, kind: 'local', argv: ['chage', '-R', root, '-d', '0', '--', a.user], description: `chage -R ${root} -d 0 -- ${a.user}` });
    } else {
      out.push({ user: a.user, kind: 'none', description: `${a.user}: ${path} is not a system shadow file (…/etc/shadow): change it where it is used` });
    }
  }
  if (a.dn) out.push({ user: a.user, kind: 'ldap', dn: a.dn, description: `LDAP modify ${a.dn}: pwdReset=TRUE (or shadowLastChange=0)` });
  if (a.sources.some((s) => s.startsWith('htpasswd:'))) {
    out.push({ user: a.user, kind: 'none', description: `${a.user}: htpasswd cannot force a change: reset or remove the entry (htpasswd -D FILE ${a.user})` });
  }
  return out;
}

const run = promisify(execFile);

export async function applyExpire(actions: readonly ExpireAction[], ldap?: LdapSourceOptions): Promise<ExpireResult[]> {
  const results: ExpireResult[] = [];
  for (const a of actions.filter((x) => x.kind === 'local')) {
    try {
      const [cmd, ...args] = a.argv as string[];
      await run(cmd as string, args, { timeout: 30_000 });
      results.push({ ...a, ok: true });
    } catch (err) {
      results.push({ ...a, ok: false, message: ((err as { stderr?: string }).stderr || (err as Error).message).trim().split('\n')[0] });
    }
  }
  const ldapActions = actions.filter((x) => x.kind === 'ldap');
  if (ldapActions.length > 0) results.push(...(await applyLdap(ldapActions, ldap)));
  results.push(...actions.filter((x) => x.kind === 'none').map((a) => ({ ...a, ok: false, message: 'nothing done' })));
  return results;
}

async function applyLdap(actions: readonly ExpireAction[], ldap?: LdapSourceOptions): Promise<ExpireResult[]> {
  if (!ldap) return actions.map((a) => ({ ...a, ok: false, message: 'no --ldap connection given' }));
  const client = await connectLdap(ldap);
  const { Attribute, Change } = await import('ldapts');
  const results: ExpireResult[] = [];
  try {
    for (const a of actions) {
      const dn = a.dn as string;
      try {
        await client.modify(dn, new Change({ operation: 'replace', modification: new Attribute({ type: 'pwdReset', values: ['TRUE'] }) }));
        results.push({ ...a, ok: true, message: 'pwdReset=TRUE' });
      } catch (first) {
        try {
          await client.modify(dn, new Change({ operation: 'replace', modification: new Attribute({ type: 'shadowLastChange', values: ['0'] }) }));
          results.push({ ...a, ok: true, message: 'shadowLastChange=0' });
        } catch (second) {
          results.push({ ...a, ok: false, message: `pwdReset: ${(first as Error).message.split('\n')[0]}; shadowLastChange: ${(second as Error).message.split('\n')[0]}` });
        }
      }
    }
  } finally {
    await closeClient(client);
  }
  return results;
}
