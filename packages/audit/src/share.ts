// Shared passwords: which accounts have the same stored value or the same found password. One run
// groups them in memory; shards of one audit (--shard K/N --share-key FILE) each write keyed digests
// (HMAC-SHA-256 under a per-audit secret) so `report merge` can group accounts across shards
// without any report holding a password or a hash that could be guessed against (docs/audit.md).
import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { finding } from './findings.js';
import { severityOf, type AccountReport } from './report.js';

/** Bytes of secret in a share key file (written as 64 hex digits on one line). */
export const SHARE_KEY_BYTES = 32;
/** Bytes kept of each digest: 128 bits, no accidental collision among billions of values. */
const DIGEST_BYTES = 16;

export class ShareKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShareKeyError';
  }
}

export class ShareKey {
  /** Names the key without revealing it: every shard of one audit must show the same id. */
  readonly id: string;

  constructor(private readonly secret: Buffer) {
    this.id = this.hmac('key-id');
  }

  /** Digest of one stored value (scheme and the whole stored string, salt included). */
  stored(schemeId: string, stored: string): string {
    return this.hmac(`stored\0${schemeId}\0${stored}`);
  }

  /** Digest of one found password. */
  password(password: string): string {
    return this.hmac(`password\0${password}`);
  }

  private hmac(text: string): string {
    return createHmac('sha256', this.secret).update(text).digest().subarray(0, DIGEST_BYTES).toString('base64url');
  }
}

/** A new key file's text: 64 random hex digits and a newline. */
export function newShareKeyText(): string {
  return `${randomBytes(SHARE_KEY_BYTES).toString('hex')}\n`;
}

/**
 * Read a share key file: one line of 64 hex digits, not readable by others (mode 0600, 0400, or
 * 0640/0440 for a group such as a Kubernetes fsGroup). Errors name the file and never show its text.
 */
export function readShareKey(path: string): ShareKey {
  let text: string;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new ShareKeyError(`share key ${path}: not a regular file`);
    if ((st.mode & 0o007) !== 0) throw new ShareKeyError(`share key ${path}: readable by others (mode ${(st.mode & 0o777).toString(8)}): chmod 600 it`);
    text = readFileSync(path, 'latin1');
  } catch (err) {
    if (err instanceof ShareKeyError) throw err;
    throw new ShareKeyError(`share key ${path}: cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  const line = text.split(/\r?\n/)[0]?.trim() ?? '';
  if (!/^[0-9a-fA-F]{64}$/.test(line)) {
    throw new ShareKeyError(`share key ${path}: line 1 must be ${SHARE_KEY_BYTES * 2} hex digits (make one with \`pwguard report new-key FILE\`)`);
  }
  return new ShareKey(Buffer.from(line, 'hex'));
}

/** Names listed in one shared_password finding; `count` is always the full number. */
export const MAX_SHARED_NAMES = 100;

export interface SharedWith {
  /** How many other accounts share a password or stored value with this one. */
  readonly count: number;
  /** The first MAX_SHARED_NAMES of them, sorted. */
  readonly names: string[];
}

/**
 * Group users by the keys they hold (raw values in one run, digests across shards): for every user
 * that shares a key with another, the others. Memory and time stay linear in the accounts however
 * large a group is (one initial password on 10k accounts would be 10^8 names if each account listed
 * every other): equal groups (a copied hash that was also guessed) count once, and each account
 * lists at most MAX_SHARED_NAMES names.
 */
export function sharedWith(entries: Iterable<{ user: string; keys: Iterable<string> }>): Map<string, SharedWith> {
  const groups = new Map<string, Set<string>>();
  for (const { user, keys } of entries) {
    for (const k of keys) {
      let g = groups.get(k);
      if (!g) groups.set(k, (g = new Set()));
      g.add(user);
    }
  }
  // Distinct groups of two or more, members sorted; per user, the groups it is in.
  const distinct = new Map<string, string[]>();
  const userGroups = new Map<string, string[][]>();
  for (const users of groups.values()) {
    if (users.size < 2) continue;
    const sorted = [...users].sort();
    const id = sorted.join('\0');
    if (distinct.has(id)) continue;
    distinct.set(id, sorted);
    for (const u of sorted) {
      const gs = userGroups.get(u);
      if (gs) gs.push(sorted);
      else userGroups.set(u, [sorted]);
    }
  }
  const out = new Map<string, SharedWith>();
  for (const [user, gs] of userGroups) {
    if (gs.length === 1) {
      const g = gs[0] as string[];
      out.set(user, { count: g.length - 1, names: firstOthers(g, user) });
      continue;
    }
    // In several groups (rare): the count needs the union; the names only each group's first ones.
    const all = new Set<string>();
    for (const g of gs) for (const u of g) if (u !== user) all.add(u);
    const names = [...new Set(gs.flatMap((g) => firstOthers(g, user)))].sort().slice(0, MAX_SHARED_NAMES);
    out.set(user, { count: all.size, names });
  }
  return out;
}

function firstOthers(sorted: readonly string[], user: string): string[] {
  const out: string[] = [];
  for (const u of sorted) {
    if (u === user) continue;
    out.push(u);
    if (out.length === MAX_SHARED_NAMES) break;
  }
  return out;
}

/** Add the shared_password finding to an account report (it needs action). */
export function markShared(report: AccountReport, others: SharedWith): void {
  const { count, names } = others;
  report.findings.push(finding('shared_password', { count, sharedWith: names }, { users: names.slice(0, 10).join(', ') + (count > 10 ? ', ...' : '') }));
  (report as { needsAction: boolean }).needsAction = true;
  (report as { severity: AccountReport['severity'] }).severity = severityOf(report);
}
