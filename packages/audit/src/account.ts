// Accounts as the sources see them, and their merge: the same user in several sources is one
// account, audited once, with every stored password it has (any of them logs the user in).

/** Where a credential or an account came from, e.g. `shadow:/etc/shadow:12`, `ldap:uid=bob,...`. */
export interface SourceRef {
  readonly kind: 'shadow' | 'htpasswd' | 'ldap';
  /** File path or LDAP URL. */
  readonly where: string;
  /** Line number in the file, or the entry's DN. */
  readonly at: number | string;
}

/** One stored password value (a hash, a cleartext, an NT digest) for one account. */
export interface Credential {
  readonly source: SourceRef;
  /** The stored value as read (`$6$...`, `{SSHA}...`, 32 hex digits for sambaNTPassword). */
  readonly stored: string;
  /** `!`+hash in shadow: the hash is kept and audited, but the account cannot log in with it. */
  readonly locked?: boolean;
  /** Where the value sits: decides what it can be (32 hex is an NT hash only in sambaNTPassword). */
  readonly attribute: 'shadow' | 'htpasswd' | 'userPassword' | 'sambaNTPassword';
}

/** An account state that is not a hash (`*`, `!`, empty field, expiry). */
export interface AccountFlag {
  readonly flag: 'no_password' | 'locked' | 'expired' | 'must_change' | 'lm_present';
  readonly source: SourceRef;
  readonly date?: string;
}

export interface RawAccount {
  readonly user: string;
  readonly source: SourceRef;
  readonly credentials: readonly Credential[];
  readonly flags: readonly AccountFlag[];
  /** Words tied to the user for context guesses and the policy: GECOS, cn, mail, ... */
  readonly gecos?: string;
  readonly extraWords?: readonly string[];
  /** LDAP DN, for --expire. */
  readonly dn?: string;
  /** LDAP `mail`, for --notify. Never copied into a report. */
  readonly mail?: string;
  /** shadow `lastchg`: days since 1970 of the last password change (context guesses favour that year). */
  readonly lastChangeDays?: number;
}

export interface Account {
  readonly user: string;
  readonly sources: SourceRef[];
  readonly credentials: Credential[];
  readonly flags: AccountFlag[];
  gecos?: string;
  readonly extraWords: string[];
  dn?: string;
  mail?: string;
  lastChangeDays?: number;
}

export function mergeAccounts(raw: readonly RawAccount[]): Account[] {
  const byUser = new Map<string, Account>();
  for (const r of raw) {
    let a = byUser.get(r.user);
    if (!a) {
      a = { user: r.user, sources: [], credentials: [], flags: [], extraWords: [] };
      byUser.set(r.user, a);
    }
    a.sources.push(r.source);
    a.credentials.push(...r.credentials);
    a.flags.push(...r.flags);
    if (r.gecos && !a.gecos) a.gecos = r.gecos;
    for (const w of r.extraWords ?? []) if (!a.extraWords.includes(w)) a.extraWords.push(w);
    if (r.dn && !a.dn) a.dn = r.dn;
    if (r.mail && !a.mail) a.mail = r.mail;
    if (r.lastChangeDays !== undefined && (a.lastChangeDays === undefined || r.lastChangeDays > a.lastChangeDays)) a.lastChangeDays = r.lastChangeDays;
  }
  return [...byUser.values()].sort((x, y) => (x.user < y.user ? -1 : x.user > y.user ? 1 : 0));
}

export function sourceLabel(s: SourceRef): string {
  return typeof s.at === 'number' ? `${s.kind}:${s.where}:${s.at}` : `${s.kind}:${s.at}`;
}
