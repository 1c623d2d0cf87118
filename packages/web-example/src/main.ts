#!/usr/bin/env node
// scripts/web-example: run the example reset service, or issue a reset token for it.
import { parseArgs } from 'node:util';
import { issueResetToken } from './token.js';
import { readTokenKey } from './site-config.js';
import { startService, DEMO_USERS } from './service.js';
import { defaultQueueSize } from './check-queue.js';

const USAGE = `Usage:
  web-example [serve] [--port N] [--host ADDR] [--config FILE] [--store FILE]
              [--ldap FILE] [--secret-file FILE] [--check-rate N] [--reset-rate N]
              [--check-queue N]
  web-example issue-token --user NAME --secret-file FILE [--ttl SECONDS] [--url BASE]

serve        The reset page, POST /api/check, GET /range/{5 hex}, POST /api/reset.
             Without --ldap: demo accounts in memory and a throwaway token key; reset
             links for the demo accounts are printed on start.
  --port N          default 8377 (0 = any free port)
  --host ADDR       default 127.0.0.1
  --config FILE     policy file, as for pwguard check (default $PWGUARD_CONFIG or
                    /etc/security/pwguard.conf, else built-in defaults)
  --store FILE      breach store (pwguard breach build); default: the policy's breach_store,
                    else the built-in list
  --ldap FILE       LDAP backend settings (key = value: url, base, bind_dn,
                    bind_password_file, ca_file, hash = ssha|pbkdf2-sha512, timeout)
  --secret-file F   reset-token key (mode 0600, at least 16 bytes); required with --ldap
  --check-rate N    POST /api/check per client per minute (default 20, burst 10)
  --reset-rate N    POST /api/reset per client per minute (default 5, burst 5)
  --check-queue N   POST /api/check pending at most (running or waiting); past it the
                    server answers 503 with Retry-After: 1 (default 8 per core: ${defaultQueueSize()} here)
issue-token  Print a reset token (or link, with --url) for NAME, valid --ttl seconds (default 900).

See docs/web.md. Exit status: 0 ok, 2 usage or configuration error.`;

const OPTIONS = {
  port: { type: 'string' }, host: { type: 'string' }, config: { type: 'string' }, store: { type: 'string' },
  ldap: { type: 'string' }, 'secret-file': { type: 'string' }, 'check-rate': { type: 'string' }, 'reset-rate': { type: 'string' },
  'check-queue': { type: 'string' }, user: { type: 'string' }, ttl: { type: 'string' }, url: { type: 'string' }, help: { type: 'boolean', short: 'h' },
} as const;

function int(name: string, v: string | undefined, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} ${v}: expected a whole number ${min}..${max}`);
  return n;
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(`${err instanceof Error ? err.message : String(err)} (see --help)`);
  }
  const { values: v, positionals } = parsed;
  if (v.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const command = positionals[0] ?? 'serve';
  if (command === 'issue-token') return issueToken(v.user, v['secret-file'], int('ttl', v.ttl, 1, 7 * 86400) ?? 900, v.url);
  if (command !== 'serve' || positionals.length > 1) throw new UsageError(`unknown command ${positionals.join(' ')} (see --help)`);
  const rate = (name: string, value: string | undefined, burst: (n: number) => number) => {
    const n = int(name, value, 1, 10_000_000);
    return n === undefined ? undefined : { perMinute: n, burst: burst(n) };
  };
  const service = await startService({
    port: int('port', v.port, 0, 65535), host: v.host, config: v.config, store: v.store, ldap: v.ldap, secretFile: v['secret-file'],
    checkLimit: rate('check-rate', v['check-rate'], (n) => Math.max(1, Math.ceil(n / 2))),
    resetLimit: rate('reset-rate', v['reset-rate'], (n) => n),
    checkQueue: int('check-queue', v['check-queue'], 1, 1_000_000),
  });
  process.stdout.write(`listening on ${service.url}\n${service.description}\n`);
  if (service.demo) {
    for (const u of DEMO_USERS) {
      process.stdout.write(`demo reset link for ${u.user}: ${service.url}#token=${issueResetToken(service.tokenSecret, u.user, 3600)}\n`);
    }
  }
  const stop = () => void service.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return -1;
}

function issueToken(user: string | undefined, secretFile: string | undefined, ttl: number, url: string | undefined): number {
  if (!user || !secretFile) throw new UsageError('issue-token needs --user NAME and --secret-file FILE');
  let token: string;
  try {
    token = issueResetToken(readTokenKey(secretFile, '--secret-file'), user, ttl);
  } catch (err) {
    if (err instanceof RangeError) throw new UsageError(`--user ${JSON.stringify(user)}: ${err.message}`);
    throw err;
  }
  process.stdout.write(url ? `${url.replace(/\/?$/, '/')}#token=${token}\n` : `${token}\n`);
  return 0;
}

/** A wrong command line: one line on stderr, exit 2, like every other start-up error. */
class UsageError extends Error {}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (err: unknown) => {
    // Configuration and start-up errors are one line; the stack only on request.
    process.stderr.write(`web-example: ${err instanceof Error ? err.message : String(err)}\n`);
    if (process.env.PWGUARD_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    process.exitCode = 2;
  },
);
