// pwguard hash: identify stored password values, and verify one password against one value.
import { Command, Option } from 'commander';
import { cryptSupport, identify, SCHEMES, verify } from '@pwguard/hashes';
import type { Identification, ValueSource } from '@pwguard/hashes';
import { passwordFromInput } from '@pwguard/strength';
import { shadowField } from '@pwguard/audit';
import { readStdinBytes, readStdinLines, readTextFile } from '../io.js';
import { EXIT, UserError } from '../errors.js';

const SOURCES: readonly ValueSource[] = ['shadow', 'ldap', 'htpasswd', 'sambaNTPassword', 'sambaLMPassword'];

interface HashOptions {
  source?: ValueSource;
  format: 'text' | 'json';
}

interface VerifyOptions {
  source?: ValueSource;
  hashFile?: string;
}

const sourceOption = (): Option =>
  new Option('-s, --source <where>', 'where the values come from (settles plaintext vs hash, NT vs LM)').choices(SOURCES);

export function registerHash(program: Command): void {
  const hash = program.command('hash').description('Identify stored password hashes and verify a password against one.');
  hash
    .command('identify')
    .description('Read stored values on stdin, one per line; print scheme, parameters and storage findings.')
    .addOption(sourceOption())
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText('after', `
Blank lines are skipped, except with --source shadow: there an empty field is an account without
a password. With --source shadow, account states are named as \`pwguard audit\` names them: \`!\`,
\`!!\`, \`*\`, \`*LK*\` are locked accounts (exit 0), \`!\` before a hash is locked with its old hash
judged, an empty field is an account with no password (a finding). Plaintext and digests are never printed.
Schemes: ${SCHEMES.map((s) => s.id).join(', ')}.
Exit status: 0 every value well stored (or a locked account), 1 a finding or a malformed/unknown value, 2 usage error.

Example:
  cut -d: -f2 /etc/shadow | pwguard hash identify --source shadow --format json`)
    .action(async (opts: HashOptions) => {
      process.exitCode = await runIdentify(opts);
    });
  hash
    .command('verify')
    .description('Read a password on stdin and check it against the stored value in --hash-file FILE.')
    .argument('[stored]', 'the stored value on the command line (discouraged: other users can read it in ps and /proc)')
    .option('--hash-file <file>', 'read the stored value (crypt string, {SCHEME}value, NT hex with --source sambaNTPassword) from the first line of FILE')
    .addOption(sourceOption())
    .addHelpText('after', `
The password is read from standard input; one trailing newline (\\n or \\r\\n) or NUL is not part of it. The stored value
comes from --hash-file FILE (a file, or a pipe such as bash's <(...)); STORED on the command line
still works but prints a warning, since any local user can read a command line.
Exit status: 0 match, 1 no match, 2 malformed value, unsupported scheme or usage error.

Example:
  printf '%s\\n' "$password" | pwguard hash verify --hash-file <(printf '%s\\n' "$stored")`)
    .action(async (stored: string | undefined, opts: VerifyOptions) => {
      process.exitCode = await runVerify(stored, opts);
    });
}

/** The JSON form of one identified line (documented in docs/hashes.md). */
export function describeValue(line: number, id: Identification): Record<string, unknown> {
  if (id.status === 'unknown') return { line, status: 'unknown' };
  if (id.status === 'malformed') return { line, status: 'malformed', scheme: id.schemeId, reason: id.reason };
  const s = id.scheme;
  return {
    line, status: 'ok', scheme: s.id, salted: s.salted, params: s.params,
    ...(s.digest ? { breachLookup: s.digest.kind } : {}),
    findings: s.findings,
  };
}


export async function runIdentify(opts: HashOptions): Promise<number> {
  const lines = await readStdinLines();
  const shadow = opts.source === 'shadow';
  const idOpts = opts.source ? { source: opts.source } : {};
  const described = lines
    .map((value, i) => ({ value, line: i + 1 }))
    // A shadow field is empty for an account without a password: that line is an answer too.
    .filter((v) => shadow || v.value.trim() !== '')
    .map((v) => (shadow ? describeShadowField(v.line, v.value) : describeValue(v.line, identify(v.value, idOpts))));
  const out = opts.format === 'json' ? `${JSON.stringify({ values: described })}\n` : described.map((d) => `${textLine(d)}\n`).join('');
  process.stdout.write(out);
  const clean = described.every((d) => d.state !== 'no_password' && (d.status === 'no_hash' || (d.status === 'ok' && (d.findings as unknown[]).length === 0)));
  return clean ? EXIT.ok : EXIT.findings;
}

/**
 * A shadow(5) password field, read as the audit reads it (shadowField): an account state
 * (`locked`: `!`, `!!`, `*`, `*LK*`; `no_password`: the empty field) and the hash it holds, if any
 * (status `no_hash` when it holds none; a `!`+hash field is locked with its old hash judged).
 */
export function describeShadowField(line: number, field: string): Record<string, unknown> {
  const { state, hash } = shadowField(field);
  if (hash === null) return { line, state, status: 'no_hash' };
  return { ...describeValue(line, identify(hash, { source: 'shadow' })), state };
}

const STATE_TEXT: Readonly<Record<string, string>> = {
  locked: 'locked account',
  no_password: 'no password: the account may log in without one',
};

function textLine(d: Record<string, unknown>): string {
  const state = typeof d.state === 'string' ? STATE_TEXT[d.state] : undefined;
  if (d.status === 'no_hash') return `line ${String(d.line)}: ${state ?? String(d.state)}${d.state === 'locked' ? ' (no password hash)' : ''}`;
  const head = state ? `line ${String(d.line)}: ${state}; its old hash (usermod -U brings it back):` : `line ${String(d.line)}:`;
  if (d.status === 'unknown') return `${head} unknown scheme`;
  if (d.status === 'malformed') return `${head} malformed ${String(d.scheme)}: ${String(d.reason)}`;
  const params = Object.entries(d.params as Record<string, unknown>).map(([k, v]) => `${k}=${String(v)}`);
  const facts = [d.salted ? 'salted' : 'unsalted', ...params].join(', ');
  const findings = (d.findings as Array<{ code: string; message: string }>).map((f) => `\n  ${f.code}: ${f.message}`).join('');
  return `${head} ${String(d.scheme)} (${facts})${findings || ' ok'}`;
}

/** The stored value: from --hash-file (first line), or from argv with a warning (argv is public). */
function storedValue(argv: string | undefined, hashFile: string | undefined): string {
  if (argv !== undefined && hashFile !== undefined) throw new UserError('hash verify: give the stored value once: --hash-file FILE or STORED, not both');
  if (hashFile !== undefined) {
    const value = (readTextFile(hashFile, 'hash file').split(/\r?\n/)[0] ?? '');
    if (value === '') throw new UserError(`hash verify: hash file ${hashFile}: its first line is empty`);
    return value;
  }
  if (argv === undefined) throw new UserError('hash verify: give the stored value with --hash-file FILE');
  process.stderr.write('pwguard: warning: a stored value on the command line can be read by any local user (ps, /proc); use --hash-file FILE\n');
  return argv;
}

export async function runVerify(argv: string | undefined, opts: VerifyOptions): Promise<number> {
  const stored = storedValue(argv, opts.hashFile);
  const options = opts.source ? { source: opts.source } : {};
  const id = identify(stored, options);
  // Say which scheme, never the value: the message may land in a log.
  if (id.status === 'unknown') throw new UserError('hash verify: the stored value is of no known scheme');
  if (id.status === 'malformed') throw new UserError(`hash verify: malformed ${id.schemeId} value: ${id.reason}`);
  const password = passwordFromInput(await readStdinBytes());
  const result = await verify(password, stored, options);
  if (result === 'unsupported') {
    const support = cryptSupport();
    const why = support.ok ? 'this variant cannot be verified here' : support.reason;
    throw new UserError(`hash verify: ${id.scheme.id} not checked: ${why}`);
  }
  if (result === 'malformed') throw new UserError(`hash verify: malformed ${id.scheme.id} value`);
  process.stdout.write(result === 'match' ? 'match\n' : 'no match\n');
  return result === 'match' ? EXIT.ok : EXIT.findings;
}
