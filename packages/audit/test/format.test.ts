import { describe, expect, it } from '@jest/globals';
import { formatReport, parseDuration, REPORT_SCHEMA, summarize, type AccountReport, type AuditReport } from '@pwguard/audit';

const weak: AccountReport = {
  user: '=cmd|calc', sources: ['htpasswd:/x:1'], state: 'active', weak: true, needsAction: true,
  found: { how: 'common', band: 'top10', rank: 3, attribute: 'htpasswd', password: 'qwerty' }, coverage: { tried: 3, planned: 100, complete: false },
  findings: [{ code: 'weak_password', message: 'Password guessed (among the 10 most common passwords).' }],
};

function rep(shown: boolean): AuditReport {
  const accounts = [shown ? weak : { ...weak, found: { how: 'common' as const, band: 'top10' as const, attribute: 'htpasswd' } }];
  return {
    schema: REPORT_SCHEMA, generatedAt: 'now', shard: null, passwordsShown: shown, accounts, problems: [{ where: '/x', line: 4, message: 'expected user:hash' }],
    summary: summarize(accounts, { guessesTried: 3, seconds: 0.1, stopReason: null, maxGuesses: 100, guessLists: ['common'] }, 1),
  };
}

describe('formats', () => {
  it('table: summary first, then accounts that need action, then input problems', () => {
    const t = formatReport(rep(false), 'table');
    expect(t.split('\n')[0]).toBe('pwguard audit: 1 account(s), 1 weak, 1 need action, 0 not checked');
    expect(t).toContain('Accounts that need action:\n  =cmd|calc\n    - Password guessed (among the 10 most common passwords).');
    expect(t).toContain('Input problems:\n  /x:4: expected user:hash');
    expect(t).not.toContain('qwerty');
  });

  it('csv: header, neutralised formula cells, password column only when shown', () => {
    const c = formatReport(rep(false), 'csv').split('\n');
    expect(c[0]).toBe('user,state,weak,needs_action,found_by,band,breach_count,tried,planned,complete,findings,sources');
    expect(c[1]?.startsWith("'=cmd|calc,active,true,true,common,top10,,3,100,false,weak_password,")).toBe(true);
    expect(formatReport(rep(true), 'csv').split('\n')[1]?.endsWith(',qwerty')).toBe(true);
  });

  it('json: the documented top-level shape', () => {
    const j = JSON.parse(formatReport(rep(false), 'json')) as Record<string, unknown>;
    expect(Object.keys(j).sort()).toEqual(['accounts', 'generatedAt', 'passwordsShown', 'problems', 'schema', 'shard', 'summary']);
  });

  it('parses budgets', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('45')).toBe(45_000);
    expect(parseDuration('soon')).toBeUndefined();
  });

  it('csv: input problems are rows too (state input_problem)', () => {
    const c = formatReport(rep(false), 'csv').split('\n');
    expect(c[2]).toBe(',input_problem,,,,,,,,,expected user:hash,/x:4');
    expect(formatReport(rep(true), 'csv').split('\n')[2]).toBe(',input_problem,,,,,,,,,expected user:hash,/x:4,');
  });

  it('table and csv: control characters in names are shown escaped, never sent to the terminal', () => {
    const evil = '\u001b]0;pwned\u0007\u001b[2Jbob\u202e';
    const accounts = [{ ...weak, user: evil, found: { how: 'common' as const, band: 'top10' as const, attribute: 'htpasswd' } }];
    const r: AuditReport = {
      ...rep(false), accounts, problems: [{ where: '/x', line: 2, message: `user "${evil}" appears again (first entry kept)` }],
      summary: summarize(accounts, { guessesTried: 3, seconds: 0.1, stopReason: null, maxGuesses: 100, guessLists: ['common'] }, 1),
    };
    for (const format of ['table', 'csv'] as const) {
      const text = formatReport(r, format);
      expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
      expect(text).toContain('\\x1b]0;pwned\\x07\\x1b[2Jbob\\u{202e}');
    }
  });
});
