// Assembling the service from its settings: the policy and checker exactly as the CLI loads them,
// the range source, the account backend, and the page.
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { resolve } from 'node:path';
import { loadChecker, openPolicyStore, readBannedWords } from '@pwguard/runtime';
import { loadZxcvbn } from '@pwguard/strength';
import { MemoryBackend, type AccountBackend } from './accounts.js';
import { LdapBackend } from './ldap-backend.js';
import { embeddedRangeSource, storeRangeSource, type RangeSource } from './range.js';
import { createResetServer } from './server.js';
import { readLdapConfig, readTokenKey } from './site-config.js';
import { loadStaticFiles } from './static.js';
import type { RateLimit } from './rate-limit.js';

export interface ServiceOptions {
  readonly port?: number;
  readonly host?: string;
  /** Policy file, as `pwguard check --config` (default $PWGUARD_CONFIG or /etc/security/pwguard.conf). */
  readonly config?: string;
  /** Breach store; wins over the policy's breach_store. */
  readonly store?: string;
  /** LDAP backend settings file; without it, in-memory demo accounts. */
  readonly ldap?: string;
  /** Reset-token key; without it (demo only) a random key for this run. */
  readonly secretFile?: string;
  readonly checkLimit?: RateLimit;
  readonly resetLimit?: RateLimit;
  /** POST /api/check pending at most before 503 (default 8 per core). */
  readonly checkQueue?: number;
  readonly log?: (line: string) => void;
}

export interface Service {
  readonly server: Server;
  readonly url: string;
  readonly backend: AccountBackend;
  readonly tokenSecret: Uint8Array;
  /** True when running on demo accounts and a throwaway token key. */
  readonly demo: boolean;
  readonly description: string;
  close(): Promise<void>;
}

/** The demo accounts of `scripts/web-example` without --ldap. */
export const DEMO_USERS = [
  { user: 'alice', gecos: 'Alice Liddell,Room 7', extraWords: ['alice@example.org'] },
  { user: 'bob', gecos: 'Bob Builder', extraWords: ['bob@example.org'] },
];

export async function startService(o: ServiceOptions = {}): Promise<Service> {
  if (o.ldap && !o.secretFile) throw new Error('--ldap needs --secret-file: reset tokens must outlive this process');
  const tokenSecret = o.secretFile ? readTokenKey(o.secretFile, '--secret-file') : randomBytes(32);
  const { checker, loaded } = await loadChecker({
    ...(o.config ? { config: o.config } : {}),
    ...(o.store ? { args: [`breach_store=${resolve(o.store)}`] } : {}),
  });
  const { policy } = loaded;
  const range = policy.breach_check ? await rangeSource(policy.breach_store) : undefined;
  const backend = o.ldap ? new LdapBackend(readLdapConfig(o.ldap)) : new MemoryBackend(DEMO_USERS);
  await loadZxcvbn(); // build the dictionaries now, not on the first request
  const server = createResetServer({
    checker, bannedWords: readBannedWords(policy.banned_words_file), range, backend, tokenSecret,
    files: loadStaticFiles(),
    ...(o.checkLimit ? { checkLimit: o.checkLimit } : {}),
    ...(o.resetLimit ? { resetLimit: o.resetLimit } : {}),
    ...(o.checkQueue ? { checkQueue: o.checkQueue } : {}),
    ...(o.log ? { log: o.log } : {}),
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(o.port ?? 8377, o.host ?? '127.0.0.1', () => ok());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    server, backend, tokenSecret, demo: !o.ldap,
    url: `http://${host}:${addr.port}/`,
    description: `policy ${loaded.path ?? '(built-in defaults)'}; breach ${range ? describeRange(range, policy.breach_store) : 'off'}; accounts: ${backend.description}`,
    close: () => new Promise((ok) => {
      server.close(() => ok());
      server.closeAllConnections();
    }),
  };
}

async function rangeSource(storePath: string): Promise<RangeSource> {
  return storePath ? storeRangeSource(openPolicyStore(storePath)) : embeddedRangeSource();
}

function describeRange(range: RangeSource, storePath: string): string {
  return `${storePath || 'built-in list'} (/range padded to ${range.lines} lines)`;
}
