// The Node side of the policy: find and read the config file, resolve relative paths, read the
// banned-words file, open the breach store, and build the one checker every command uses.
import { closeSync, constants, existsSync, fstatSync, openSync, readFileSync, readSync, type Stats } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  CheckError, createChecker, loadZxcvbn, parseConfigText, parseArgs, resolvePolicy, PolicyError, POLICY_KEYS,
  type BreachLookup, type Checker, type LoadedPolicy, type Policy, type ZxcvbnLoader,
} from '@pwguard/strength';
import { openBreachLookup } from '@pwguard/breach';
import { checkoutBundleDir, rankedLoader, RANKED_FILE } from '@pwguard/pam';
import { UserError } from './errors.js';
import { readTextFile } from './io.js';

export const DEFAULT_CONFIG = '/etc/security/pwguard.conf';
/** A policy is a few dozen lines; more than this is not a config file (a log, /dev/zero). */
const MAX_CONFIG_BYTES = 1024 * 1024;

export interface PolicyOptions {
  /** --config FILE (wins over PWGUARD_CONFIG and the default path). */
  readonly config?: string;
  /** Extra `key=value` settings that win over the file (PAM arguments). */
  readonly args?: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
}

export interface Loaded extends LoadedPolicy {
  /** The config file read, or null when built-in defaults apply. */
  readonly path: string | null;
}

export function loadPolicy(options: PolicyOptions = {}): Loaded {
  const env = options.env ?? process.env;
  const explicit = options.config ?? (env.PWGUARD_CONFIG || undefined);
  const path = explicit ?? DEFAULT_CONFIG;
  let text: string | null = null;
  try {
    text = readConfigText(path);
  } catch (err) {
    if (err instanceof UserError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (explicit !== undefined || code !== 'ENOENT') {
      throw new UserError(`cannot read config file ${path}: ${code ?? String(err)}`);
    }
  }
  try {
    const fileSettings = text === null ? [] : parseConfigText(text, path);
    const argSettings = parseArgs(options.args ?? [], 'argument');
    const loaded = resolvePolicy(fileSettings, argSettings);
    const policy = resolvePaths(loaded.policy, text === null ? process.cwd() : dirname(resolve(path)));
    return { policy, origins: loaded.origins, path: text === null ? null : path };
  } catch (err) {
    if (err instanceof PolicyError) throw new UserError(`config error: ${err.message}`);
    throw err;
  }
}

/** The config's text: a regular file of at most MAX_CONFIG_BYTES (a FIFO would block, /dev/zero never end). */
function readConfigText(path: string): string {
  // O_NONBLOCK: opening a FIFO waits for a writer without it; a regular file ignores the flag.
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new UserError(`config file ${path} is not a regular file (${fileKind(st)})`);
    const buf = Buffer.allocUnsafe(MAX_CONFIG_BYTES + 1);
    let n = 0;
    for (let r = 1; r > 0 && n < buf.length; n += r) r = readSync(fd, buf, n, buf.length - n, null);
    if (n > MAX_CONFIG_BYTES) throw new UserError(`config file ${path} is larger than ${MAX_CONFIG_BYTES / 1024 / 1024} MiB`);
    return buf.toString('utf8', 0, n);
  } finally {
    closeSync(fd);
  }
}

function fileKind(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  return st.isSocket() ? 'a socket' : 'not a file';
}

function resolvePaths(policy: Policy, base: string): Policy {
  const out: Record<string, unknown> = { ...policy };
  for (const spec of POLICY_KEYS) {
    const v = out[spec.key];
    if (spec.type.kind === 'path' && typeof v === 'string' && v !== '') out[spec.key] = resolve(base, v);
  }
  return Object.freeze(out) as unknown as Policy;
}

/** Words of banned_words_file: one per line, `#` comments and blank lines skipped. */
export function readBannedWords(path: string): string[] {
  if (path === '') return [];
  return readTextFile(path, 'banned_words_file').split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
}

export interface LoadedChecker {
  readonly checker: Checker;
  readonly loaded: Loaded;
  /** What the breach rule uses, for `policy show`. */
  readonly breachDescription: string;
}

export async function loadChecker(options: PolicyOptions = {}): Promise<LoadedChecker> {
  const loaded = loadPolicy(options);
  const { policy } = loaded;
  const breach = policy.breach_check ? openPolicyBreach(policy.breach_store) : undefined;
  const checker = createChecker(policy, { breach, bannedWords: readBannedWords(policy.banned_words_file), zxcvbn: fastZxcvbn() });
  return { checker, loaded, breachDescription: breach?.description ?? 'off (breach_check = 0)' };
}

/**
 * zxcvbn from the prebuilt ranked-dictionary file that the PAM hook's build makes (same scores as
 * loadZxcvbn, tested in test/pam/ranked-equivalence), so a fresh `pwguard check` does not build
 * zxcvbn's 236k-word maps; without the file, or with a damaged one, the standard loader.
 */
function fastZxcvbn(): ZxcvbnLoader {
  const file = join(checkoutBundleDir(), RANKED_FILE);
  return existsSync(file) ? rankedLoader(() => readFileSync(file), loadZxcvbn) : loadZxcvbn;
}

/**
 * The policy's breach_store (empty: the built-in list). An unusable store is a CheckError: the PAM
 * hook applies on_error to it, the CLI reports it as one line (program.ts).
 */
export function openPolicyBreach(path: string): BreachLookup {
  try {
    return openBreachLookup(path === '' ? undefined : path);
  } catch (err) {
    throw new CheckError(`cannot open breach_store ${path}: ${err instanceof Error ? err.message : String(err)}`, 'breach_unavailable');
  }
}
