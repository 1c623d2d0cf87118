import { describe, expect, it } from '@jest/globals';
import { asReport, inShard, mergeReports, parseShard, REPORT_SCHEMA, statusOf, summarize, type AccountReport, type AuditReport } from '@pwguard/audit';

function account(user: string, weak: boolean): AccountReport {
  return {
    user, sources: [`shadow:/etc/shadow:1`], state: 'active', severity: weak ? 'weak_usable' : 'ok', scheme: 'sha512crypt', schemes: ['sha512crypt'], lastChange: null, weak, needsAction: weak,
    found: weak ? { how: 'common', band: 'top10', attribute: 'shadow' } : null,
    coverage: { tried: 10, planned: 10, complete: true, lists: [] },
    findings: weak ? [{ code: 'weak_password', message: 'Password guessed (among the 10 most common passwords).' }] : [],
  };
}

function report(shard: { index: number; count: number } | null, accounts: AccountReport[]): AuditReport {
  const summary = summarize(accounts, { inputAccounts: 3, guessesTried: 10 * accounts.length, seconds: 1, stopReason: null, maxGuesses: 10, guessLists: ['common'] }, 0);
  return {
    schema: REPORT_SCHEMA, status: statusOf({ summary }), generatedAt: '2026-01-01T00:00:00Z', shard, passwordsShown: false, accounts, problems: [], summary, expirePlan: [],
  };
}

describe('--shard K/N', () => {
  it('parses K/N and refuses nonsense', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    for (const bad of ['0/4', '5/4', '1/0', 'a/b', '1-4', '']) expect(parseShard(bad)).toBeUndefined();
  });

  it('puts every user in exactly one shard, the same one every time', () => {
    const users = Array.from({ length: 500 }, (_v, i) => `user${i}`);
    const parts = [1, 2, 3].map((index) => users.filter((u) => inShard(u, { index, count: 3 })));
    expect(parts.reduce((n, p) => n + p.length, 0)).toBe(500);
    expect(new Set(parts.flat()).size).toBe(500);
    for (const p of parts) expect(p.length).toBeGreaterThan(100);
    expect(users.filter((u) => inShard(u, { index: 2, count: 3 }))).toEqual(parts[1]);
  });
});

describe('report merge', () => {
  it('joins shards, sorts accounts, recomputes the summary', () => {
    const m = mergeReports([
      { report: report({ index: 2, count: 2 }, [account('zed', true)]), where: 'b.json' },
      { report: report({ index: 1, count: 2 }, [account('amy', false), account('bob', true)]), where: 'a.json' },
    ]);
    // Most urgent first (the weak ones), then by name.
    expect(m.accounts.map((a) => a.user)).toEqual(['bob', 'zed', 'amy']);
    expect(m.status).toBe('action_needed');
    expect(m.expirePlan.map((x) => x.description)).toEqual(['chage -d 0 -- bob', 'chage -d 0 -- zed']);
    expect(m.summary).toMatchObject({ accounts: 3, weak: 2, needsAction: 2, guessesTried: 30 });
    expect(m.shardsMerged).toEqual([{ index: 1, count: 2 }, { index: 2, count: 2 }]);
    // Shards made without --share-key: cross-shard shared passwords are not looked for, and merge says so.
    expect(m.problems.map((p) => p.message)).toEqual(['b.json, a.json made without --share-key: shared passwords are only found within each shard, not across shards']);
  });

  it('names missing shards, and refuses duplicates and mixed shard counts', () => {
    const m = mergeReports([{ report: report({ index: 1, count: 3 }, [account('amy', false)]), where: 'a.json' }]);
    expect(m.problems.map((p) => p.message)).toEqual(['shard(s) 2, 3 of 3 missing: the merged report does not cover every account']);
    expect(() => mergeReports([
      { report: report({ index: 1, count: 2 }, [account('amy', false)]), where: 'a.json' },
      { report: report({ index: 1, count: 2 }, [account('bob', false)]), where: 'b.json' },
    ])).toThrow('b.json: shard 1/2 is also in a.json');
    expect(() => mergeReports([
      { report: report({ index: 1, count: 2 }, [account('amy', false)]), where: 'a.json' },
      { report: report({ index: 2, count: 3 }, [account('bob', false)]), where: 'b.json' },
    ])).toThrow(/different shard counts/);
    expect(() => mergeReports([
      { report: report(null, [account('amy', false)]), where: 'a.json' },
      { report: report(null, [account('amy', false)]), where: 'b.json' },
    ])).toThrow('b.json: account amy is also in a.json (overlapping shards?)');
  });

  it('refuses something that is not an audit report', () => {
    expect(() => asReport({ hello: 1 }, 'x.json')).toThrow(`x.json: not a pwguard audit report (schema ${REPORT_SCHEMA})`);
    expect(() => asReport({ schema: REPORT_SCHEMA }, 'y.json')).toThrow('y.json: report has no accounts or summary');
  });
});
