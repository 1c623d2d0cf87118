// The example account backend: an LDAP directory (OpenLDAP, 389-ds, AD LDS) reached over verified
// TLS (StartTLS for ldap://). The new userPassword is hashed here; after writing it the backend
// binds as the user with the new password, so a scheme the server cannot verify is caught at once.
import { Attribute, Change, EqualityFilter, type Client, type Entry } from 'ldapts';
import { connectLdap } from '@pwguard/audit';
import type { CheckContext } from '@pwguard/strength';
import { BackendError, type AccountBackend } from './accounts.js';
import { hashUserPassword, type LdapHash } from './ldap-hash.js';

export interface LdapBackendOptions {
  readonly url: string;
  /** Where accounts live, searched with (uid=<user>) in the whole subtree. */
  readonly base: string;
  /** A service account allowed to write userPassword (read from a file by the caller). */
  readonly bindDn: string;
  readonly bindPassword: string;
  /** PEM file of the CA that signed the server's certificate (default: the system's CAs). */
  readonly caFile?: string;
  readonly hash?: LdapHash;
  readonly timeoutSeconds?: number;
}

const CONTEXT_ATTRS = ['uid', 'cn', 'gecos', 'displayName', 'mail'];

export class LdapBackend implements AccountBackend {
  readonly description: string;

  constructor(private readonly opts: LdapBackendOptions) {
    this.description = `LDAP ${opts.url} under ${opts.base}, userPassword as ${(opts.hash ?? 'ssha').toUpperCase()}`;
  }

  async context(user: string): Promise<CheckContext | null> {
    return this.session(async (client) => {
      const entry = await this.find(client, user);
      if (!entry) return null;
      const gecos = first(entry, 'gecos') ?? first(entry, 'cn');
      const extraWords = [first(entry, 'displayName'), first(entry, 'mail')].filter((w): w is string => w !== undefined);
      return { user, gecos, extraWords };
    });
  }

  async setPassword(user: string, password: string): Promise<void> {
    const value = hashUserPassword(this.opts.hash ?? 'ssha', password);
    const dn = await this.session(async (client) => {
      const entry = await this.find(client, user);
      if (!entry) throw new BackendError(`no such account: ${user}`);
      const modification = new Attribute({ type: 'userPassword', values: [value] });
      await client.modify(entry.dn, [new Change({ operation: 'replace', modification })]);
      return entry.dn;
    });
    try {
      await closeQuietly(await connectLdap({ ...this.connectOptions(), bindDn: dn, bindPassword: password }));
    } catch {
      throw new BackendError(`the directory stored the new password but refuses it for a bind: does it support ${(this.opts.hash ?? 'ssha').toUpperCase()}?`);
    }
  }

  private connectOptions() {
    const { url, base, caFile, timeoutSeconds } = this.opts;
    return { url, base, caFile, timeoutSeconds };
  }

  private async session<T>(work: (client: Client) => Promise<T>): Promise<T> {
    let client: Client;
    try {
      client = await connectLdap({ ...this.connectOptions(), bindDn: this.opts.bindDn, bindPassword: this.opts.bindPassword });
    } catch (err) {
      throw new BackendError(err instanceof Error ? err.message : String(err));
    }
    try {
      return await work(client);
    } finally {
      await closeQuietly(client);
    }
  }

  private async find(client: Client, user: string): Promise<Entry | undefined> {
    const filter = new EqualityFilter({ attribute: 'uid', value: user });
    const { searchEntries } = await client.search(this.opts.base, { scope: 'sub', filter, attributes: CONTEXT_ATTRS, sizeLimit: 2 });
    if (searchEntries.length > 1) throw new BackendError(`more than one entry has uid=${user} under ${this.opts.base}`);
    return searchEntries[0];
  }
}

async function closeQuietly(client: Client): Promise<void> {
  await client.unbind().catch(() => undefined);
}

function first(entry: Entry, attr: string): string | undefined {
  const key = Object.keys(entry).find((k) => k.toLowerCase() === attr.toLowerCase());
  const v = key === undefined ? undefined : entry[key];
  const one = Array.isArray(v) ? v[0] : v;
  return one === undefined || one === '' ? undefined : String(one);
}
