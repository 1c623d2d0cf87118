// The reset service: the page and its scripts, the advisory and authoritative checks, the range
// endpoint, and the reset itself. node:http only. Nothing here ever logs a body or a password.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { CheckError, type CheckContext, type Checker, type Verdict } from '@pwguard/strength';
import { BackendError, type AccountBackend } from './accounts.js';
import { HttpError, objectBody, readJson, send, sendJson, sendNoContent, stringField } from './http-io.js';
import { RateLimiter, type RateLimit } from './rate-limit.js';
import { CheckQueue, QueueFull, defaultQueueSize } from './check-queue.js';
import { rangeBody, type RangeSource } from './range.js';
import { pagePolicy, type PageConfig } from './page-config.js';
import { UsedTokens, verifyResetToken, type TokenClaims } from './token.js';
import type { StaticFiles } from './static.js';

export interface ServerOptions {
  readonly checker: Checker;
  /** Words of banned_words_file, sent to the page so its advisory check says what the server says. */
  readonly bannedWords: readonly string[];
  /** Where /range answers from; undefined when the policy has breach_check = 0. */
  readonly range: RangeSource | undefined;
  readonly backend: AccountBackend;
  /** HMAC key of reset tokens (see token.ts). */
  readonly tokenSecret: Uint8Array;
  readonly files: StaticFiles;
  /** Default 20/min, burst 10. */
  readonly checkLimit?: RateLimit;
  /** Default 5/min, burst 5. */
  readonly resetLimit?: RateLimit;
  /**
   * POST /api/check requests pending at most (running or waiting) before more are refused with
   * 503 and Retry-After (default 8 per core, see check-queue.ts).
   */
  readonly checkQueue?: number;
  /** One line per request (method, route, status, time): default stderr. */
  readonly log?: (line: string) => void;
}

const MAX_CONTEXT_FIELD = 256;
const USED = 'this reset link was already used; ask for a new one';

export function createResetServer(o: ServerOptions): Server {
  const checkLimiter = new RateLimiter(o.checkLimit ?? { perMinute: 20, burst: 10 });
  const resetLimiter = new RateLimiter(o.resetLimit ?? { perMinute: 5, burst: 5 });
  const used = new UsedTokens();
  const checks = new CheckQueue(o.checkQueue ?? defaultQueueSize());
  const log = o.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  // Room for a max_length password even if every code point is a JSON \u escape pair, plus context.
  const bodyLimit = 1024 + 12 * o.checker.policy.max_length;

  const page: PageConfig = { policy: pagePolicy(o.checker.policy), bannedWords: o.bannedWords, range: o.range?.match ?? null };
  const policyJson = JSON.stringify(page);

  async function route(req: IncomingMessage, res: ServerResponse, client: string): Promise<string> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    if (req.method === 'GET' && path.startsWith('/range/')) {
      const prefix = path.slice(7);
      if (!/^[0-9A-Fa-f]{5}$/.test(prefix)) throw new HttpError(400, 'a range prefix is 5 hex digits');
      if (!o.range) throw new HttpError(404, 'breach checks are off (breach_check = 0)');
      send(res, 200, rangeBody(o.range, prefix), 'text/plain; charset=utf-8', { 'Cache-Control': 'public, max-age=86400' });
      return '/range/:prefix';
    }
    if (req.method === 'GET' && path === '/api/policy') {
      send(res, 200, policyJson, 'application/json; charset=utf-8', { 'Cache-Control': 'no-cache' });
      return path;
    }
    if (req.method === 'POST' && path === '/api/check') {
      limit(checkLimiter, client);
      if (checks.full) throw busy(); // before reading the body: shedding must cost little
      const body = objectBody(await readJson(req, bodyLimit));
      const pw = password(body);
      const context = contextOf(body);
      sendJson(res, 200, await shed(() => judge(pw, context)));
      return path;
    }
    if (req.method === 'POST' && path === '/api/reset/context') {
      limit(checkLimiter, client);
      const claims = tokenClaims(objectBody(await readJson(req, bodyLimit)));
      sendJson(res, 200, { context: await accountContext(claims.user) });
      return path;
    }
    if (req.method === 'POST' && path === '/api/reset') {
      limit(resetLimiter, client);
      await reset(objectBody(await readJson(req, bodyLimit)), res);
      return path;
    }
    if ((req.method === 'GET' || req.method === 'HEAD') && path === '/favicon.ico') {
      // Browsers ask for it on every page: no icon, but no 404 in the log and console either.
      sendNoContent(res, { 'Cache-Control': 'public, max-age=86400' });
      return path;
    }
    if (req.method === 'GET' || req.method === 'HEAD') {
      const file = o.files.get(path === '/' ? '/index.html' : path);
      if (file) {
        send(res, 200, file.body, file.type, { 'Cache-Control': 'no-cache' });
        return path;
      }
    }
    throw new HttpError(404, 'not found');
  }

  /** Token first: no verdict, no backend call, for a reset without a valid token. */
  async function reset(body: Record<string, unknown>, res: ServerResponse): Promise<void> {
    const claims = tokenClaims(body);
    const pw = password(body);
    const context = await accountContext(claims.user);
    const verdict = await judge(pw, context);
    if (!verdict.ok && verdict.enforced) {
      sendJson(res, 422, { changed: false, verdict });
      return;
    }
    if (!used.spend(claims)) throw new HttpError(401, USED);
    try {
      await o.backend.setPassword(claims.user, pw);
    } catch (err) {
      if (err instanceof BackendError) throw new HttpError(502, err.message);
      throw err;
    }
    sendJson(res, 200, { changed: true, verdict });
  }

  function tokenClaims(body: Record<string, unknown>): TokenClaims {
    const token = stringField(body, 'token', 512);
    if (!token) throw new HttpError(401, 'a reset token is required');
    const checked = verifyResetToken(o.tokenSecret, token);
    if (!checked.ok) throw new HttpError(401, checked.why === 'expired' ? 'this reset link has expired; ask for a new one' : 'this reset link is not valid');
    if (used.has(checked.claims)) throw new HttpError(401, USED);
    return checked.claims;
  }

  async function accountContext(user: string): Promise<CheckContext> {
    let context: CheckContext | null;
    try {
      context = await o.backend.context(user);
    } catch (err) {
      if (err instanceof BackendError) throw new HttpError(502, err.message);
      throw err;
    }
    if (!context) throw new HttpError(404, 'the account of this reset link no longer exists');
    return context;
  }

  async function judge(pw: string, context: CheckContext): Promise<Verdict> {
    try {
      return await o.checker.check(pw, context);
    } catch (err) {
      if (err instanceof CheckError) throw new HttpError(503, 'the breached-password list could not be checked; try again later');
      throw err;
    }
  }

  /** Through the bounded queue: past saturation a check is refused at once, not queued without end. */
  async function shed<T>(job: () => Promise<T>): Promise<T> {
    try {
      return await checks.run(job);
    } catch (err) {
      if (err instanceof QueueFull) throw busy();
      throw err;
    }
  }

  /** Routes one request, answers any error it throws, and logs one line. */
  async function answer(req: IncomingMessage, res: ServerResponse, client: string): Promise<void> {
    const t0 = process.hrtime.bigint();
    let name: string;
    let status: number;
    try {
      name = await route(req, res, client);
      status = res.statusCode;
    } catch (err) {
      const e = err instanceof HttpError ? err : new HttpError(500, 'internal error');
      if (!(err instanceof HttpError)) log(`internal error: ${err instanceof Error ? err.name : 'unknown'}`);
      if (!res.headersSent) sendJson(res, e.status, { error: e.message }, e.headers);
      else res.destroy();
      name = knownRoute(req.url);
      status = e.status;
    }
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    log(`${new Date().toISOString()} ${client} ${req.method ?? '?'} ${name} ${status} ${ms.toFixed(1)}ms`);
  }

  return createServer((req, res) => {
    // Read now: a request refused in mid-body has lost its socket (req.socket is null) by the time it is logged.
    const client = req.socket?.remoteAddress ?? '?';
    // The last guard: whatever still goes wrong ends this request, never the process.
    answer(req, res, client).catch((err: unknown) => {
      res.destroy();
      try {
        log(`internal error: ${err instanceof Error ? err.name : 'unknown'}`);
      } catch {
        // a failing log must not take the service down either
      }
    });
  });
}

function busy(): HttpError {
  return new HttpError(503, 'the server is busy; try again in a second', { 'Retry-After': '1' });
}

function limit(limiter: RateLimiter, client: string): void {
  if (!limiter.take(client)) throw new HttpError(429, 'too many requests; wait a minute', { 'Retry-After': '60' });
}

function password(body: Record<string, unknown>): string {
  const pw = body.password;
  if (typeof pw !== 'string') throw new HttpError(400, '"password" must be a string');
  return pw;
}

/** The user context a caller of /api/check describes (the reset endpoint asks the backend instead). */
function contextOf(body: Record<string, unknown>): CheckContext {
  const c = body.context === undefined ? {} : objectBody(body.context);
  const extra = c.extraWords;
  if (extra !== undefined && (!Array.isArray(extra) || extra.length > 8 || !extra.every((w) => typeof w === 'string' && w.length <= MAX_CONTEXT_FIELD))) {
    throw new HttpError(400, '"context.extraWords" must be at most 8 strings');
  }
  return {
    user: stringField(c, 'user', MAX_CONTEXT_FIELD),
    gecos: stringField(c, 'gecos', MAX_CONTEXT_FIELD),
    extraWords: extra as string[] | undefined,
  };
}

/** The route name for the log: never the raw path, which could carry anything a client typed. */
function knownRoute(url: string | undefined): string {
  const path = (url ?? '').split('?')[0] ?? '';
  if (path.startsWith('/range/')) return '/range/:prefix';
  return ['/', '/favicon.ico', '/api/policy', '/api/check', '/api/reset', '/api/reset/context'].includes(path) ? path : '(other)';
}
