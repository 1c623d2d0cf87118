// Where a reset lands: the account backend is the site's to choose (LDAP, a database, an IdP API).
import type { CheckContext } from '@pwguard/strength';
import { verify } from '@pwguard/hashes';
import { hashUserPassword, type LdapHash } from './ldap-hash.js';

export interface AccountBackend {
  /** For `web-example --help` and the start-up line, never a secret. */
  readonly description: string;
  /** The user's own words for the context rule (GECOS, display name, mail); null for an unknown user. */
  context(user: string): Promise<CheckContext | null>;
  /** Store the new password (hashed: a backend never keeps it in clear). Called only after the server-side check passed. */
  setPassword(user: string, password: string): Promise<void>;
}

/** A reset failed in the backend: the message is shown to the user and logged, so it never holds the password. */
export class BackendError extends Error {
  override readonly name = 'BackendError';
}

export interface MemoryUser {
  readonly user: string;
  readonly gecos?: string;
  readonly extraWords?: readonly string[];
}

/** Development backend: users in memory, passwords kept only as salted hashes. */
export class MemoryBackend implements AccountBackend {
  readonly description: string;
  private readonly users: Map<string, MemoryUser>;
  private readonly hashes = new Map<string, string>();

  constructor(users: readonly MemoryUser[], private readonly scheme: LdapHash = 'ssha') {
    this.users = new Map(users.map((u) => [u.user, u]));
    this.description = `in-memory demo accounts (${[...this.users.keys()].join(', ')})`;
  }

  async context(user: string): Promise<CheckContext | null> {
    const u = this.users.get(user);
    return u ? { user: u.user, gecos: u.gecos, extraWords: u.extraWords } : null;
  }

  async setPassword(user: string, password: string): Promise<void> {
    if (!this.users.has(user)) throw new BackendError(`no such account: ${user}`);
    this.hashes.set(user, hashUserPassword(this.scheme, password));
  }

  /** For tests and the demo: does `password` match what was stored (checked by @pwguard/hashes)? */
  async verify(user: string, password: string): Promise<boolean> {
    const stored = this.hashes.get(user);
    return stored !== undefined && (await verify(password, stored)) === 'match';
  }
}
