// Finding and reading the policy file: --config, then $PWGUARD_CONFIG, then the default path (a
// missing default means built-in defaults); PAM-style `key=value` arguments win over the file;
// relative paths in the file are resolved against the file's folder.
import { dirname, resolve } from 'node:path';
import { parseArgs, parseConfigText, PolicyError, POLICY_KEYS, resolvePolicy, type LoadedPolicy, type Policy } from '@pwguard/strength';
import { ConfigError } from './errors.js';
import { isMissingFile, readSmallFile } from './files.js';

export const DEFAULT_CONFIG = '/etc/security/pwguard.conf';
/** A policy is a few dozen lines; more than this is not a config file (a log, /dev/zero). */
export const MAX_CONFIG_BYTES = 1024 * 1024;

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

/** Which config file applies: --config, then $PWGUARD_CONFIG, then the default. */
export function configPath(options: PolicyOptions = {}): { path: string; explicit: boolean } {
  const env = options.env ?? process.env;
  const explicit = options.config ?? (env.PWGUARD_CONFIG || undefined);
  return { path: explicit ?? DEFAULT_CONFIG, explicit: explicit !== undefined };
}

export function loadPolicy(options: PolicyOptions = {}): Loaded {
  const { path, explicit } = configPath(options);
  let text: string | null = null;
  try {
    text = readSmallFile(path, 'config file', MAX_CONFIG_BYTES);
  } catch (err) {
    if (explicit || !isMissingFile(err)) throw err;
  }
  try {
    const fileSettings = text === null ? [] : parseConfigText(text, path);
    const argSettings = parseArgs(options.args ?? [], 'argument');
    const loaded = resolvePolicy(fileSettings, argSettings);
    const policy = resolvePaths(loaded.policy, text === null ? process.cwd() : dirname(resolve(path)));
    return { policy, origins: loaded.origins, path: text === null ? null : path };
  } catch (err) {
    if (err instanceof PolicyError) throw new ConfigError(`config error: ${err.message}`, { cause: err });
    throw err;
  }
}

function resolvePaths(policy: Policy, base: string): Policy {
  const out: Record<string, unknown> = { ...policy };
  for (const spec of POLICY_KEYS) {
    const v = out[spec.key];
    if (spec.type.kind === 'path' && typeof v === 'string' && v !== '') out[spec.key] = resolve(base, v);
  }
  return Object.freeze(out) as unknown as Policy;
}
