// `key = value` configuration, as in /etc/security/pwquality.conf. One parser serves the config
// file, PAM module-style arguments (`key=value` words) and the CLI. Errors name file, line and key.

import { KEY_SPECS, POLICY_KEYS, type KeySpec, type Policy, type PolicyKey } from './policy.js';

export class PolicyError extends Error {
  constructor(
    readonly source: string,
    readonly line: number | null,
    readonly key: string | null,
    readonly problem: string,
  ) {
    super(`${source}${line !== null ? `:${line}` : ''}: ${key !== null ? `${key}: ` : ''}${problem}`);
    this.name = 'PolicyError';
  }
}

/** The effective policy and, for every key, where its value came from. */
export interface LoadedPolicy {
  readonly policy: Policy;
  /** e.g. `default`, `profile nist`, `/etc/security/pwguard.conf:12`, `PAM argument`. */
  readonly origins: Readonly<Record<PolicyKey, string>>;
}

/** One setting as read, before it is applied. */
export interface Setting {
  readonly key: string;
  readonly value: string;
  readonly origin: string;
  readonly source: string;
  readonly line: number | null;
}

/**
 * Parse `key = value` text: full-line `#` comments; a bare key means `key = 1` (pwquality style)
 * unless `bareKeys` is false. The syntax of every pwguard config file; which keys mean what is the
 * caller's (the policy's key table here, the web example's LDAP settings there).
 */
export function parseConfigText(text: string, source: string, options: { bareKeys?: boolean } = {}): Setting[] {
  const settings: Setting[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const eq = trimmed.indexOf('=');
    const key = (eq < 0 ? trimmed : trimmed.slice(0, eq)).trim();
    const value = eq < 0 ? '1' : trimmed.slice(eq + 1).trim();
    if (!/^[a-z_][a-z0-9_]*$/.test(key) || (eq < 0 && options.bareKeys === false)) {
      throw new PolicyError(source, line, null, `not a "key = value" line`);
    }
    settings.push({ key, value, origin: `${source}:${line}`, source, line });
  });
  return settings;
}

/** Parse PAM module-style arguments (`min_length=15 enforce_for_root`). */
export function parseArgs(args: readonly string[], source: string): Setting[] {
  return args.map((arg) => {
    const eq = arg.indexOf('=');
    const key = eq < 0 ? arg : arg.slice(0, eq);
    const value = eq < 0 ? '1' : arg.slice(eq + 1);
    if (!/^[a-z_][a-z0-9_]*$/.test(key)) throw new PolicyError(source, null, null, `bad argument "${arg}"`);
    return { key, value, origin: source, source, line: null };
  });
}

/**
 * Resolve settings (later ones win) into a policy. The profile is applied first, so an explicit
 * key always beats the profile's value wherever it appears.
 */
export function resolvePolicy(...groups: readonly Setting[][]): LoadedPolicy {
  const explicit = new Map<PolicyKey, { value: Policy[PolicyKey]; origin: string }>();
  for (const s of groups.flat()) {
    const spec = KEY_SPECS.get(s.key);
    if (!spec) throw new PolicyError(s.source, s.line, s.key, `unknown key (known: ${POLICY_KEYS.map((k) => k.key).join(', ')})`);
    explicit.set(spec.key, { value: parseValue(spec, s), origin: s.origin });
  }
  const profile = (explicit.get('profile')?.value ?? 'default') as Policy['profile'];
  const values: Record<string, unknown> = {};
  const origins: Record<string, string> = {};
  for (const spec of POLICY_KEYS) {
    const set = explicit.get(spec.key);
    if (set) {
      values[spec.key] = set.value;
      origins[spec.key] = set.origin;
    } else if (profile === 'nist' && spec.nist !== undefined) {
      values[spec.key] = spec.nist;
      origins[spec.key] = 'profile nist';
    } else {
      values[spec.key] = spec.default;
      origins[spec.key] = 'default';
    }
  }
  const policy = values as unknown as Policy;
  if (policy.max_length < policy.min_length) {
    const at = explicit.get('max_length') ? 'max_length' : 'min_length';
    throw new PolicyError(origins[at] ?? 'policy', null, at, `max_length (${policy.max_length}) is below min_length (${policy.min_length})`);
  }
  return { policy: Object.freeze(policy), origins: origins as Record<PolicyKey, string> };
}

function parseValue(spec: KeySpec, s: Setting): Policy[PolicyKey] {
  const bad = (why: string): never => {
    throw new PolicyError(s.source, s.line, s.key, `${why} (got "${s.value}")`);
  };
  const t = spec.type;
  switch (t.kind) {
    case 'int': {
      if (!/^-?\d+$/.test(s.value)) bad('expected a whole number');
      const n = Number(s.value);
      if (n < t.min || n > t.max) bad(`must be between ${t.min} and ${t.max}`);
      return n;
    }
    case 'bool': {
      const v = s.value.toLowerCase();
      if (['1', 'yes', 'true', 'on'].includes(v)) return true;
      if (['0', 'no', 'false', 'off'].includes(v)) return false;
      return bad('expected 1 or 0');
    }
    case 'enum':
      if (!t.values.includes(s.value)) bad(`expected one of ${t.values.join(', ')}`);
      return s.value as Policy[PolicyKey];
    case 'path':
      // Relative paths are resolved against the config file's folder by the loader (Node side).
      return s.value;
    case 'words':
      return Object.freeze(s.value.split(/[\s,]+/).filter((w) => w !== ''));
  }
}

/**
 * Render a policy as a config file (for `pwguard policy show`): each key's help from the key table
 * as a comment above it, then `key = value` and, in one column after the longest of those, where
 * the value came from.
 */
export function formatPolicy(loaded: LoadedPolicy): string {
  const rows = POLICY_KEYS.map((spec) => {
    const v = loaded.policy[spec.key];
    const text = typeof v === 'boolean' ? (v ? '1' : '0') : Array.isArray(v) ? v.join(', ') : String(v);
    return { help: spec.help, setting: `${spec.key} = ${text}`, origin: loaded.origins[spec.key] };
  });
  const width = Math.max(...rows.map((r) => r.setting.length)) + 2;
  return rows.map((r) => `# ${r.help}\n${r.setting.padEnd(width)}# ${r.origin}`).join('\n');
}
