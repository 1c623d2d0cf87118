// LDAP directory source (ldapts). ldap:// always upgrades with StartTLS, ldaps:// is direct TLS;
// certificates are verified unless the caller explicitly turns that off. Every userPassword value
// is kept (any one logs the user in), plus the Samba NT/LM digests and the context attributes.
import type { ConnectionOptions } from 'node:tls';
import type { Client, Entry } from 'ldapts';
import type { AccountFlag, Credential, RawAccount, SourceRef } from '../account.js';
import { readSourceFile } from './files.js';
import { SourceError, type SourceProblem } from './problems.js';
import type { ParsedSource } from './shadow.js';

export interface LdapSourceOptions {
  readonly url: string;
  readonly bindDn?: string;
  /** Read from a file by the caller: never from the command line. */
  readonly bindPassword?: string;
  readonly base: string;
  /** Default: every person-like entry, so entries whose password we may not read still show up. */
  readonly filter?: string;
  readonly caFile?: string;
  /** Only when the user explicitly asks for it. */
  readonly insecureSkipVerify?: boolean;
  /** Seconds for connect and for each operation (default 10). */
  readonly timeoutSeconds?: number;
  readonly pageSize?: number;
}

export const DEFAULT_LDAP_FILTER =
  '(|(objectClass=posixAccount)(objectClass=inetOrgPerson)(objectClass=sambaSamAccount)(objectClass=shadowAccount))';

const CONTEXT_ATTRS = ['uid', 'cn', 'gecos', 'displayName', 'mail', 'givenName', 'sn'];
const PASSWORD_ATTRS = ['userPassword', 'sambaNTPassword', 'sambaLMPassword'];
/** When the password last changed: ppolicy's operational pwdChangedTime (asked for by name), else shadowLastChange. */
const CHANGE_ATTRS = ['pwdChangedTime', 'shadowLastChange'];

/** Days since 1970 of the last change, from pwdChangedTime (YYYYMMDDHHMMSSZ) or shadowLastChange (days). */
function lastChangeDays(entry: Entry): number | undefined {
  const t = /^(\d{4})(\d{2})(\d{2})/.exec(first(entry, 'pwdChangedTime') ?? '');
  if (t) return Math.floor(Date.UTC(Number(t[1]), Number(t[2]) - 1, Number(t[3])) / 86_400_000);
  const d = first(entry, 'shadowLastChange');
  return d !== undefined && /^\d{1,6}$/.test(d) && Number(d) > 0 ? Number(d) : undefined;
}

export async function readLdap(opts: LdapSourceOptions): Promise<ParsedSource> {
  const client = await connectLdap(opts);
  try {
    const accounts: RawAccount[] = [];
    const problems: SourceProblem[] = [];
    const pages = client.searchPaginated(opts.base, {
      scope: 'sub',
      filter: opts.filter ?? DEFAULT_LDAP_FILTER,
      attributes: [...CONTEXT_ATTRS, ...PASSWORD_ATTRS, ...CHANGE_ATTRS, 'objectClass'],
      explicitBufferAttributes: ['userPassword'],
      paged: { pageSize: opts.pageSize ?? 500 },
    });
    let entries = 0;
    try {
      for await (const page of pages) {
        for (const entry of page.searchEntries) {
          entries++;
          const acct = entryAccount(entry, opts.url, problems);
          if (acct) accounts.push(acct);
        }
      }
    } catch (err) {
      // The server's limit on a paged search's total (OpenLDAP size.prtotal, by default its size
      // limit, 500 on Debian): an audit that silently covered part of the directory would mislead.
      if ((err as { name?: string }).name === 'SizeLimitExceededError') {
        throw new SourceError(`LDAP ${opts.url}: the server's size limit ended the search after ${entries} entries: `
          + `let ${opts.bindDn ?? 'the anonymous user'} read every account (OpenLDAP: olcLimits: dn.exact="${opts.bindDn ?? ''}" size.prtotal=unlimited; see docs/audit.md)`);
      }
      throw err;
    }
    return { accounts, problems };
  } catch (err) {
    throw ldapError(err, opts);
  } finally {
    await closeClient(client);
  }
}

/** Connect, StartTLS for ldap://, and bind: the one place TLS options are decided. */
export async function connectLdap(opts: LdapSourceOptions): Promise<Client> {
  const tlsOptions = await tlsFor(opts);
  const ms = (opts.timeoutSeconds ?? 10) * 1000;
  const direct = opts.url.toLowerCase().startsWith('ldaps://');
  if (!direct && !opts.url.toLowerCase().startsWith('ldap://')) {
    throw new SourceError(`--ldap ${opts.url}: the URL must start with ldap:// or ldaps://`);
  }
  // ldapts switches to direct TLS whenever tlsOptions reach the client: for ldap:// they go to
  // startTLS() instead.
  const { Client } = await import('ldapts'); // loaded only when a directory is read
  const client = new Client({ url: opts.url, timeout: ms, connectTimeout: ms, ...(direct ? { tlsOptions } : {}) });
  try {
    if (!direct) await client.startTLS(tlsOptions);
    if (opts.bindDn) await client.bind(opts.bindDn, opts.bindPassword ?? '');
  } catch (err) {
    await closeClient(client);
    throw ldapError(err, opts);
  }
  return client;
}

/**
 * Unbind, but never hang on a server that stopped answering: after a second the socket is
 * destroyed (ldapts has no public destroy), so the process can exit.
 */
export async function closeClient(client: Client): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    client.unbind().catch(() => undefined),
    new Promise<void>((r) => {
      timer = setTimeout(r, 1000);
    }),
  ]);
  clearTimeout(timer);
  (client as unknown as { socket?: { destroy(): void } }).socket?.destroy();
}

async function tlsFor(opts: LdapSourceOptions): Promise<ConnectionOptions> {
  const host = new URL(opts.url.replace(/^ldaps?:/i, 'http:')).hostname;
  const t: ConnectionOptions = { servername: /^[\d.]+$|:/.test(host) ? undefined : host };
  if (opts.insecureSkipVerify) return { ...t, rejectUnauthorized: false };
  if (opts.caFile) return { ...t, ca: await readSourceFile(opts.caFile, '--ca-file', 16 * 1024 * 1024), rejectUnauthorized: true };
  return { ...t, rejectUnauthorized: true };
}

/** One clear line for the user, whatever ldapts or the socket threw. */
export function ldapError(err: unknown, opts: LdapSourceOptions): SourceError {
  if (err instanceof SourceError) return err;
  const e = err as { name?: string; code?: string | number; message?: string };
  const name = e.name ?? '';
  const msg = e.message ?? String(err);
  const where = `LDAP ${opts.url}`;
  if (name === 'InvalidCredentialsError') return new SourceError(`${where}: bind as ${opts.bindDn ?? '(anonymous)'} failed: invalid credentials (check --bind-dn and --bind-password-file)`);
  if (e.code === 'ECONNREFUSED') return new SourceError(`${where}: connection refused (is the server up?)`);
  if (typeof e.code === 'string' && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(e.code)) {
    return new SourceError(`${where}: TLS certificate not trusted (${e.code}); give the CA with --ca-file`);
  }
  if (/timeout|timed out/i.test(msg) || e.code === 'ETIMEDOUT') return new SourceError(`${where}: timed out after ${opts.timeoutSeconds ?? 10} s`);
  if (name === 'NoSuchObjectError') return new SourceError(`${where}: search base ${opts.base} does not exist`);
  return new SourceError(`${where}: ${name ? `${name}: ` : ''}${msg.split('\n')[0]}`);
}

function first(entry: Entry, attr: string): string | undefined {
  const v = values(entry, attr)[0];
  return v === undefined ? undefined : String(v);
}

function values(entry: Entry, attr: string): Array<string | Buffer> {
  const key = Object.keys(entry).find((k) => k.toLowerCase() === attr.toLowerCase());
  const v = key === undefined ? undefined : entry[key];
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]) as Array<string | Buffer>;
}

function entryAccount(entry: Entry, url: string, problems: SourceProblem[]): RawAccount | undefined {
  const user = first(entry, 'uid');
  if (!user) {
    problems.push({ where: url, message: `entry ${entry.dn} has no uid: skipped` });
    return undefined;
  }
  const source: SourceRef = { kind: 'ldap', where: url, at: entry.dn };
  const credentials: Credential[] = [];
  const flags: AccountFlag[] = [];
  for (const v of values(entry, 'userPassword')) {
    const stored = Buffer.isBuffer(v) ? v.toString('utf8') : v;
    credentials.push({ source, stored, attribute: 'userPassword' });
  }
  for (const v of values(entry, 'sambaNTPassword')) {
    const hex = String(v).trim().toLowerCase();
    if (/^[0-9a-f]{32}$/.test(hex)) credentials.push({ source, stored: hex, attribute: 'sambaNTPassword' });
    else problems.push({ where: url, message: `entry ${entry.dn}: sambaNTPassword is not 32 hex digits` });
  }
  const lm = values(entry, 'sambaLMPassword').map(String).filter((h) => !/^(0{32}|aad3b435b51404eeaad3b435b51404ee|X{32})$/i.test(h));
  if (lm.length > 0) flags.push({ flag: 'lm_present', source });
  const cn = first(entry, 'cn');
  const gecos = first(entry, 'gecos') ?? cn;
  const extra = ['displayName', 'mail', 'givenName', 'sn', 'cn'].flatMap((a) => values(entry, a).map(String));
  const mail = first(entry, 'mail');
  const changed = lastChangeDays(entry);
  return {
    user, source, credentials, flags, extraWords: extra, dn: entry.dn, ...(gecos ? { gecos } : {}), ...(mail ? { mail } : {}),
    ...(changed !== undefined ? { lastChangeDays: changed } : {}),
  };
}
