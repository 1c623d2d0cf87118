// The audit's view of @pwguard/hashes: identify a stored value, and try a batch of guesses
// against it (the worker pool for crypt(3) schemes, verify() in this thread for fast digests).

/** Where a stored value was read from (settles 32-hex NT vs plaintext, shadow states). */
export type ValueSource = 'shadow' | 'ldap' | 'htpasswd' | 'sambaNTPassword' | 'sambaLMPassword';

export interface SchemeInfo {
  readonly id: string;
  readonly salted: boolean;
  readonly params: Readonly<Record<string, number | string>>;
  readonly digest?: { readonly kind: 'sha1' | 'ntlm' | 'md5'; readonly hex: string };
  readonly findings: ReadonlyArray<{ readonly code: string; readonly message: string }>;
  readonly cleartext?: string;
}

export type Identification =
  | { readonly status: 'ok'; readonly scheme: SchemeInfo }
  | { readonly status: 'malformed'; readonly schemeId: string; readonly reason: string }
  | { readonly status: 'unknown' };

export interface Backend {
  identify(stored: string, source: ValueSource): Identification;
  /** Index of the first candidate that matches, or -1; 'unsupported' when this build cannot verify it. */
  findMatch(stored: string, source: ValueSource, candidates: readonly string[]): Promise<number | 'unsupported'>;
  close(): Promise<void>;
}

/** The subset of @pwguard/hashes the audit uses (see packages/hashes/src/index.ts). */
interface HashesApi {
  identify(stored: string, options?: { source?: ValueSource }): Identification;
  verify(password: string, stored: string, options?: { source?: ValueSource }): Promise<'match' | 'mismatch' | 'malformed' | 'unsupported'>;
  createVerifierPool(options: { jobs: number }): {
    findMatch(stored: string, candidates: readonly string[]): Promise<number>;
    close(): Promise<void> | void;
  };
  cryptSupport(): { ok: true } | { ok: false; reason: string };
}

/** Schemes libxcrypt verifies: their guesses go to the worker pool. */
const CRYPT_PREFIX = /^(\{crypt\})?(\$(1|5|6|2[abxy]|y|gy|7|md5|sha1)\$|_|[./0-9A-Za-z]{13}$)/i;

export async function createBackend(options: { jobs: number }): Promise<Backend> {
  const hashes = (await import('@pwguard/hashes')) as unknown as HashesApi;
  const support = hashes.cryptSupport();
  const pool = support.ok ? hashes.createVerifierPool({ jobs: options.jobs }) : undefined;
  return {
    identify: (stored, source) => hashes.identify(stored, { source }),
    async findMatch(stored, source, candidates) {
      if (pool && (source === 'shadow' || CRYPT_PREFIX.test(stored)) && !stored.startsWith('$apr1$')) {
        return pool.findMatch(stored.replace(/^\{crypt\}/i, ''), candidates);
      }
      for (let i = 0; i < candidates.length; i++) {
        const r = await hashes.verify(candidates[i] as string, stored, { source });
        if (r === 'match') return i;
        if (r === 'unsupported' || r === 'malformed') return 'unsupported';
      }
      return -1;
    },
    async close() {
      await pool?.close();
    },
  };
}
