// Shared passwords across shards: keyed digests in each shard report, grouped by `report merge`,
// on real hashes made by openssl; the merged report must equal one run over every account.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  auditAccounts, createBackend, inShard, mergeAccounts, mergeReports, newShareKeyText, parseHtpasswd, parseShadow, readShareKey,
  type AuditReport, type Backend, type RawAccount,
} from '@pwguard/audit';
import { MAX_SHARED_NAMES, sharedWith } from '../src/share.js';

const openssl = (...args: string[]): string => execFileSync('openssl', ['passwd', ...args]).toString().trim();
const sha = (pw: string): string => `{SHA}${execFileSync('python3', ['-c', 'import hashlib,base64,sys;print(base64.b64encode(hashlib.sha1(sys.argv[1].encode()).digest()).decode())', pw]).toString().trim()}`;

const tmp = mkdtempSync(join(tmpdir(), 'pwguard-share-'));
let backend: Backend;
beforeAll(async () => {
  backend = await createBackend({ jobs: 2 });
});
afterAll(async () => {
  await backend.close();
  rmSync(tmp, { recursive: true, force: true });
});

function keyFile(name: string, mode = 0o600, text = newShareKeyText()): string {
  const p = join(tmp, name);
  writeFileSync(p, text);
  chmodSync(p, mode);
  return p;
}

describe('readShareKey', () => {
  it('reads a private key file; the same file gives the same id and digests, another key others', () => {
    const a = keyFile('a.key');
    const k1 = readShareKey(a);
    const k2 = readShareKey(a);
    const other = readShareKey(keyFile('b.key'));
    expect(k1.id).toBe(k2.id);
    expect(k1.password('dragon')).toBe(k2.password('dragon'));
    expect(k1.password('dragon')).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(other.password('dragon')).not.toBe(k1.password('dragon'));
    expect(other.id).not.toBe(k1.id);
    // A stored value and a password of the same text never collide.
    expect(k1.stored('md5crypt', 'dragon')).not.toBe(k1.password('dragon'));
  });

  it('refuses a key others can read, a bad line or a missing file, naming the file and not its text', () => {
    const open = keyFile('open.key', 0o644);
    expect(() => readShareKey(open)).toThrow(`share key ${open}: readable by others (mode 644): chmod 600 it`);
    const bad = keyFile('bad.key', 0o600, 'hunter2-not-hex\n');
    expect(() => readShareKey(bad)).toThrow(`share key ${bad}: line 1 must be 64 hex digits (make one with \`pwguard report new-key FILE\`)`);
    expect(() => readShareKey(bad)).not.toThrow(/hunter2/);
    expect(() => readShareKey(join(tmp, 'none.key'))).toThrow(`share key ${join(tmp, 'none.key')}: cannot be read (ENOENT)`);
  });
});

describe('sharedWith', () => {
  it('lists at most MAX_SHARED_NAMES others with the full count, linear in a large group', () => {
    const users = Array.from({ length: 5000 }, (_v, i) => `u${String(i).padStart(4, '0')}`);
    // One initial password on 5,000 accounts, found by guessing and as one copied hash: equal groups.
    const out = sharedWith([...users.map((user) => ({ user, keys: ['h:initial', 'p:Welcome1'] })), { user: 'solo', keys: ['h:other'] }]);
    expect(out.get('u0000')).toEqual({ count: 4999, names: users.slice(1, 1 + MAX_SHARED_NAMES) });
    expect(out.get('u0050')?.names).toEqual(users.filter((u) => u !== 'u0050').slice(0, MAX_SHARED_NAMES));
    expect(out.has('solo')).toBe(false);
  });

  it('an account in two different groups: the union, counted once', () => {
    const out = sharedWith([
      { user: 'amy', keys: ['h:1', 'p:x'] }, { user: 'ben', keys: ['h:1'] }, { user: 'cat', keys: ['p:x'] }, { user: 'dan', keys: ['p:x', 'h:1'] },
    ]);
    expect(out.get('amy')).toEqual({ count: 3, names: ['ben', 'cat', 'dan'] });
    expect(out.get('ben')).toEqual({ count: 2, names: ['amy', 'dan'] });
    expect(out.get('cat')).toEqual({ count: 2, names: ['amy', 'dan'] });
  });
});

describe('shared passwords across shards', () => {
  // Same cracked password under different salts (found by guessing), one copied salted hash that is
  // not guessed, and one unsalted {SHA} value of a strong password on two accounts.
  const copied = openssl('-6', 'kV9#tq2!Lp0zR-copied');
  const shadow = [
    ...['amy', 'ben', 'cat', 'dan', 'eve'].map((u) => `${u}:${openssl('-1', 'dragon')}:1:0:99999:7:::`),
    ...['fay', 'gus'].map((u) => `${u}:${copied}:1:0:99999:7:::`),
    ...['hal', 'ivy', 'jon', 'kim'].map((u, i) => `${u}:${openssl('-1', `Strong#${i}-x9Lq`)}:1:0:99999:7:::`),
    `lee:${openssl('-1', 'monkey')}:1:0:99999:7:::`,
  ];
  const htpasswd = ['mo', 'ned', 'oz'].map((u) => `${u}:${sha(u === 'oz' ? 'dragon' : 'Unguessable#77-q')}`).join('\n');
  const accounts = (): ReturnType<typeof mergeAccounts> => {
    const raw: RawAccount[] = [...parseShadow(shadow.join('\n'), 'shadow', new Map()).accounts, ...parseHtpasswd(htpasswd, 'htpasswd').accounts];
    return mergeAccounts(raw);
  };
  const opts = { backend, maxGuesses: 60, jobs: 2, now: new Date('2026-12-02T00:00:00Z') };

  async function shards(keyPath: string | undefined): Promise<Array<{ report: AuditReport; where: string }>> {
    const key = keyPath ? readShareKey(keyPath) : undefined;
    const out = [];
    for (const index of [1, 2, 3, 4]) {
      const report = await auditAccounts(accounts(), [], { ...opts, shard: { index, count: 4 }, ...(key ? { shareKey: key } : {}) });
      out.push({ report: JSON.parse(JSON.stringify(report)) as AuditReport, where: `part-${index}.json` });
    }
    return out;
  }

  // Guess counts differ between a sharded and an unsharded run (a stored value shared by accounts in
  // several shards is guessed with each shard's members as its context): times and counts aside,
  // the reports must be equal.
  const comparable = (r: AuditReport): unknown => ({
    accounts: r.accounts.map((a) => ({ ...a, coverage: a.coverage && { ...a.coverage, lists: a.coverage.lists.map((l) => ({ list: l.list, words: l.words })) } })),
    summary: { ...r.summary, seconds: 0, guessesTried: 0 },
  });

  it('the groups span shards in this corpus (else the test proves nothing)', () => {
    const shardOf = (u: string): number => [1, 2, 3, 4].find((index) => inShard(u, { index, count: 4 })) as number;
    expect(new Set(['amy', 'ben', 'cat', 'dan', 'eve', 'oz'].map(shardOf)).size).toBeGreaterThan(1);
    expect(shardOf('fay')).not.toBe(shardOf('gus'));
    expect(shardOf('mo')).not.toBe(shardOf('ned'));
  });

  it('with one key for every shard, the merged report equals one run over every account', async () => {
    const full = await auditAccounts(accounts(), [], opts);
    const by = new Map(full.accounts.map((a) => [a.user, a]));
    expect(by.get('amy')?.findings.find((f) => f.code === 'shared_password')).toMatchObject({ sharedWith: ['ben', 'cat', 'dan', 'eve', 'oz'] });
    expect(by.get('fay')?.findings.find((f) => f.code === 'shared_password')).toMatchObject({ sharedWith: ['gus'] });
    expect(by.get('mo')?.findings.find((f) => f.code === 'shared_password')).toMatchObject({ sharedWith: ['ned'] });
    expect(by.get('lee')?.findings.some((f) => f.code === 'shared_password')).toBe(false);
    const parts = await shards(keyFile('audit.key'));
    const merged = mergeReports(parts);
    expect(merged.problems).toEqual([]);
    expect(comparable(merged)).toEqual(comparable(full));
    expect(merged.accounts.some((a) => a.shareDigests !== undefined)).toBe(false);
    expect(merged.shareKeyId).toBeUndefined();
  });

  it('no shard report holds a password, a stored hash or a salt', async () => {
    const parts = await shards(keyFile('audit2.key'));
    const text = parts.map((p) => JSON.stringify(p.report)).join('\n');
    for (const secret of ['dragon', 'monkey', 'Unguessable', 'Strong#', 'kV9#tq2']) expect(text).not.toContain(secret);
    for (const line of [...shadow, ...htpasswd.split('\n')]) {
      const stored = line.split(':')[1] as string;
      expect(text).not.toContain(stored.startsWith('{SHA}') ? stored.slice(5) : stored.split('$').filter(Boolean).slice(-2).join('$'));
      if (!stored.startsWith('{SHA}')) expect(text).not.toContain(`$${stored.split('$')[2]}$`);
    }
    expect(parts.every((p) => p.report.accounts.every((a) => a.shareDigests !== undefined))).toBe(true);
  });

  it('without a key: shared passwords only within each shard, and merge says so', async () => {
    const merged = mergeReports(await shards(undefined));
    expect(merged.problems.map((p) => p.message)).toEqual(['part-1.json, part-2.json, part-3.json, part-4.json made without --share-key: shared passwords are only found within each shard, not across shards']);
    const full = await auditAccounts(accounts(), [], opts);
    expect(comparable(merged)).not.toEqual(comparable(full));
  });

  it('refuses shards made with different keys', async () => {
    const [a, b] = [readShareKey(keyFile('k1.key')), readShareKey(keyFile('k2.key'))];
    const one = await auditAccounts(accounts(), [], { ...opts, shard: { index: 1, count: 2 }, shareKey: a });
    const two = await auditAccounts(accounts(), [], { ...opts, shard: { index: 2, count: 2 }, shareKey: b });
    expect(() => mergeReports([{ report: one, where: 'x.json' }, { report: two, where: 'y.json' }])).toThrow(/^reports were made with different --share-key files \(x\.json: \S+, y\.json: \S+\): give every shard of one audit the same key$/);
  });
});
