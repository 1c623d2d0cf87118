// The documented JSON schema (schema.ts, shown in docs/audit.md) against real reports: real hashes
// made by openssl, the real verifier pool, the JSON as `--format json` writes it.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  auditAccounts, checkReport, createBackend, exitStatusMarkdown, formatReport, mergeAccounts, mergeReports, parseHtpasswd, parseShadow, schemaMarkdown, type Backend,
} from '@pwguard/audit';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const openssl = (...args: string[]): string => execFileSync('openssl', ['passwd', ...args]).toString().trim();
let backend: Backend;
let json: Record<string, unknown>;

beforeAll(async () => {
  backend = await createBackend({ jobs: 2 });
  const same = openssl('-1', 'sunshine');
  const shadow = parseShadow([
    `bob:${openssl('-1', 'password')}:19000:0:99999:7:::`,
    `lk:!${openssl('-5', 'kV9#tq2!Lp0zR')}:19000:0:99999:7:::`,
    'st:*:19000:0:99999:7:::',
    'heidi::19000:0:99999:7:::',
    `s1:${same}:19000:0:99999:7:::`,
    `s2:${same}:19000:0:99999:7:::`,
    'odd:$9$nonsense:19000:0:99999:7:::',
  ].join('\n'), '/etc/shadow', new Map()).accounts;
  const ht = parseHtpasswd(`web:${openssl('-apr1', 'qwerty')}\n`, '/srv/.htpasswd').accounts;
  const report = await auditAccounts(mergeAccounts([...shadow, ...ht]), [{ where: '/srv/.htpasswd', line: 2, message: 'expected user:hash' }], {
    backend, maxGuesses: 60, showPasswords: true, judge: async (pw) => ({ ok: pw.length > 12, enforced: true, reasons: [{ code: 'too_short', message: 'short' }], score: 0, guessesLog10: 1, feedback: { warning: null, suggestions: [] } }),
  });
  json = JSON.parse(formatReport(report, 'json')) as Record<string, unknown>;
});
afterAll(async () => {
  await backend.close();
});

describe('the documented JSON schema', () => {
  it('a real report, with every kind of account, validates against it', () => {
    expect(checkReport(json)).toEqual([]);
    const codes = new Set((json.accounts as Array<{ findings: Array<{ code: string }> }>).flatMap((a) => a.findings.map((f) => f.code)));
    for (const c of ['weak_password', 'policy_rejects', 'no_password', 'shared_password', 'storage', 'locked', 'not_found', 'not_checked']) expect(codes).toContain(c);
    expect(json.status).toBe('action_needed');
  });

  it('a merged report validates too', () => {
    expect(checkReport(JSON.parse(formatReport(mergeReports([{ report: json as never, where: 'a.json' }]), 'json')))).toEqual([]);
  });

  it('catches what issue 14 found: a number as a string, a text fragment for a boolean, an unknown field', () => {
    const broken = structuredClone(json) as { accounts: Array<{ user: string; findings: Array<Record<string, unknown>> }>; extra?: number };
    const lk = broken.accounts.find((a) => a.user === 'lk');
    const locked = lk?.findings.find((f) => f.code === 'locked') as Record<string, unknown>;
    const notFound = lk?.findings.find((f) => f.code === 'not_found') as Record<string, unknown>;
    locked.hashKept = ' (no password hash)';
    notFound.tried = '16';
    broken.extra = 1;
    const errors = checkReport(broken);
    const at = broken.accounts.indexOf(lk as never);
    expect(errors).toEqual(expect.arrayContaining([
      expect.stringMatching(new RegExp(`^accounts\\[${at}\\]\\.findings\\[\\d\\]\\.hashKept: expected boolean, got string`)),
      expect.stringMatching(new RegExp(`^accounts\\[${at}\\]\\.findings\\[\\d\\]\\.tried: expected integer, got string "16"`)),
      'extra: not in the schema',
    ]));
  });

  it('docs/audit.md shows the schema table and the exit-status table as the code has them', () => {
    const doc = readFileSync(join(root, 'docs', 'audit.md'), 'utf8');
    expect(doc).toContain(schemaMarkdown());
    expect(doc).toContain(exitStatusMarkdown());
  });
});
