// Reset tokens: the one place a site plugs in its own identity flow. A token names the account
// and an expiry and is signed with HMAC-SHA256 under a server secret, so the reset endpoint can
// trust the user name without a session store. Issue them from an admin step (`web-example
// issue-token`) or from the site's own "forgot password" mail; anything that yields a verified
// user name can replace verifyResetToken in the server options.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export interface TokenClaims {
  /** Account the token lets its holder reset. */
  readonly user: string;
  /** Expiry, seconds since the epoch. */
  readonly exp: number;
  /** Random nonce: makes each token distinct and lets the server refuse reuse. */
  readonly nonce: string;
}

export type TokenCheck = { ok: true; claims: TokenClaims } | { ok: false; why: 'malformed' | 'bad_signature' | 'expired' };

/** Account names a token may carry: login-name characters only (they end up in LDAP filters). */
export const USER_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/** Fewest bytes a token key may have. */
export const MIN_KEY_BYTES = 16;
/** Fewest distinct byte values: refuses keys like 32 times "a" that only look long. */
const MIN_DISTINCT_BYTES = 8;

/** Why `key` is too weak to sign reset tokens, or undefined when it will do. Judged on bytes, never text. */
export function weakKeyReason(key: Uint8Array): string | undefined {
  if (key.length < MIN_KEY_BYTES) return `holds ${key.length} bytes; a key needs at least ${MIN_KEY_BYTES} (e.g. head -c 32 /dev/urandom)`;
  if (new Set(key).size < MIN_DISTINCT_BYTES) return `has fewer than ${MIN_DISTINCT_BYTES} distinct bytes: not a random key (e.g. head -c 32 /dev/urandom)`;
  return undefined;
}

export function issueResetToken(secret: Uint8Array, user: string, ttlSeconds: number, now = Date.now()): string {
  if (!USER_PATTERN.test(user)) throw new RangeError('a user name is 1-64 of A-Z a-z 0-9 . _ -');
  const claims: TokenClaims = { user, exp: Math.floor(now / 1000) + ttlSeconds, nonce: randomBytes(12).toString('base64url') };
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${body}.${sign(secret, body)}`;
}

export function verifyResetToken(secret: Uint8Array, token: string, now = Date.now()): TokenCheck {
  const dot = token.indexOf('.');
  if (dot <= 0 || token.length > 512) return { ok: false, why: 'malformed' };
  const body = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1), 'base64url');
  const want = Buffer.from(sign(secret, body), 'base64url');
  if (given.length !== want.length || !timingSafeEqual(given, want)) return { ok: false, why: 'bad_signature' };
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, why: 'malformed' };
  }
  if (!isClaims(claims)) return { ok: false, why: 'malformed' };
  if (claims.exp * 1000 <= now) return { ok: false, why: 'expired' };
  return { ok: true, claims };
}

function sign(secret: Uint8Array, body: string): string {
  return createHmac('sha256', secret).update(body).digest('base64url');
}

function isClaims(v: unknown): v is TokenClaims {
  if (typeof v !== 'object' || v === null) return false;
  const c = v as Record<string, unknown>;
  return typeof c.user === 'string' && USER_PATTERN.test(c.user) && typeof c.exp === 'number' && typeof c.nonce === 'string';
}

/** Nonces of tokens already used, kept until they expire (one process; a cluster needs a shared store). */
export class UsedTokens {
  private readonly used = new Map<string, number>();

  has(claims: TokenClaims): boolean {
    return this.used.has(claims.nonce);
  }

  /** True the first time a nonce is spent, false on reuse. */
  spend(claims: TokenClaims, now = Date.now()): boolean {
    for (const [nonce, exp] of this.used) if (exp * 1000 <= now) this.used.delete(nonce);
    if (this.used.has(claims.nonce)) return false;
    this.used.set(claims.nonce, claims.exp);
    return true;
  }
}
