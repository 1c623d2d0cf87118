import { describe, expect, it } from '@jest/globals';
import {
  finding, formatReport, parseDuration, REPORT_SCHEMA, statusOf, summarize, type AccountReport, type AuditReport, type ReportSummary,
} from '@pwguard/audit';

const lists = [{ list: 'common', words: 49233, wordsTried: 2, candidatesTried: 2 }, { list: 'wordlist:site-words.txt', words: 4, wordsTried: 0, candidatesTried: 0 }];
const weak: AccountReport = {
  user: '=cmd|calc', sources: ['htpasswd:/x:1'], state: 'active', severity: 'weak_usable', scheme: 'apr1', schemes: ['apr1'], lastChange: null, weak: true, needsAction: true,
  found: { how: 'common', band: 'top10', rank: 3, attribute: 'htpasswd', password: 'qwerty' }, coverage: { tried: 3, planned: 100, complete: false, lists },
  findings: [finding('weak_password', { foundBy: 'common', band: 'top10' }, { how: 'among the 10 most common passwords' })],
};
const untested: AccountReport = {
  user: 'zoe', sources: ['shadow:/etc/shadow:3'], state: 'active', severity: 'review', scheme: 'yescrypt', schemes: ['yescrypt'], lastChange: '2024-10-04', weak: false, needsAction: false,
  found: null, coverage: { tried: 3, planned: 100, complete: false, lists },
  findings: [finding('not_found', { tried: 3, planned: 100, complete: false }, { tried: '3', ofPlanned: ' of 100 planned', state: 'guessing stopped early' })],
};

function summary(accounts: AccountReport[], more: Partial<ReportSummary> = {}, problems = 1): ReportSummary {
  return { ...summarize(accounts, { inputAccounts: accounts.length, guessesTried: 3, seconds: 0.1, stopReason: null, maxGuesses: 100, guessLists: ['common'] }, problems), ...more };
}

function withAccounts(accounts: AccountReport[], more: Partial<ReportSummary> = {}, problems = 1): AuditReport {
  const s = summary(accounts, more, problems);
  return { ...rep(false), accounts, summary: s, status: statusOf({ summary: s }), expirePlan: [] };
}

function rep(shown: boolean): AuditReport {
  const accounts = [shown ? weak : { ...weak, found: { how: 'common' as const, band: 'top10' as const, attribute: 'htpasswd' } }];
  const s = summary(accounts);
  return {
    schema: REPORT_SCHEMA, status: statusOf({ summary: s }), generatedAt: 'now', shard: null, passwordsShown: shown, accounts, problems: [{ where: '/x', line: 4, message: 'expected user:hash' }],
    summary: s, expirePlan: [{ user: '=cmd|calc', kind: 'none', description: '=cmd|calc: htpasswd cannot force a change' }],
  };
}

describe('formats', () => {
  it('table: summary first, then accounts that need action, then input problems', () => {
    const t = formatReport(rep(false), 'table');
    expect(t.split('\n').slice(0, 2)).toEqual(['ACTION NEEDED: 1 account(s) need action (exit 1)', 'pwguard audit: 1 account(s), 1 weak, 1 need action, 0 not checked']);
    expect(t).toContain('Accounts that need action:\n  =cmd|calc\n    - Password guessed (among the 10 most common passwords).\n    next: Force a password change');
    expect(t).toContain('Expire plan (pwguard audit --expire --apply does it):\n  =cmd|calc: htpasswd cannot force a change');
    expect(t).toContain('Input problems:\n  /x:4: expected user:hash');
    expect(t).not.toContain('qwerty');
  });

  it('csv: header, neutralised formula cells, password column only when shown', () => {
    const c = formatReport(rep(false), 'csv').split('\n');
    expect(c[0]).toBe('user,state,weak,needs_action,found_by,band,breach_count,tried,planned,complete,findings,sources,severity,scheme,last_change,lists,next,expire');
    expect(c[1]?.startsWith("'=cmd|calc,active,true,true,common,top10,,3,100,false,weak_password,htpasswd:/x:1,weak_usable,apr1,,common=2/49233;wordlist:site-words.txt=0/4,Force a password change")).toBe(true);
    expect(c[1]?.endsWith(",'=cmd|calc: htpasswd cannot force a change")).toBe(true);
    expect(formatReport(rep(true), 'csv').split('\n')[1]?.endsWith(',qwerty')).toBe(true);
  });

  it('json: the documented top-level shape', () => {
    const j = JSON.parse(formatReport(rep(false), 'json')) as Record<string, unknown>;
    expect(Object.keys(j).sort()).toEqual(['accounts', 'expirePlan', 'generatedAt', 'passwordsShown', 'problems', 'schema', 'shard', 'status', 'summary']);
    expect(Object.keys(j)[1]).toBe('status');
  });

  it('a run stopped by its budget with nothing found is INCOMPLETE (exit 3) on its first line, never "No account needs action" alone', () => {
    const r = withAccounts([untested], { stopReason: 'budget' }, 0);
    expect(r.status).toBe('incomplete');
    const t = formatReport(r, 'table').split('\n');
    expect(t[0]).toBe('INCOMPLETE: guessing stopped (budget) before 1 account(s) got every planned guess: "not found" is not "strong" (exit 3)');
    expect(t).toContain('  lists reached (least-tested account; words tried as written): built-in common list: 2 of 49,233 tried, site-words.txt: 0 of 4 tried');
    expect(t).toContain('  zoe: top 3 of 100 guesses tried; built-in common list: 2 of 49,233 tried, site-words.txt: 0 of 4 tried');
  });

  it('input that gave no account is UNUSABLE INPUT (exit 4), whatever else', () => {
    const r = withAccounts([], {}, 34);
    expect(r.status).toBe('unusable_input');
    const t = formatReport(r, 'table');
    expect(t.split('\n')[0]).toBe('UNUSABLE INPUT: no account could be read from the sources (34 input problem(s)); nothing was audited (exit 4)');
    expect(t).not.toContain('No account needs action');
    // A shard that got no account of a non-empty input is not unusable input.
    expect(statusOf({ summary: summary([], { inputAccounts: 5 }, 0) })).toBe('clean');
  });

  it('statuses: errors first, then unusable input, then action, then incomplete', () => {
    expect(statusOf({ summary: summary([weak], { stopReason: 'interrupted' }) })).toBe('error');
    expect(statusOf({ summary: summary([weak, untested], { stopReason: 'budget' }) })).toBe('action_needed');
    expect(formatReport(withAccounts([weak, untested], { stopReason: 'budget' }), 'table').split('\n')[0]).toMatch(/^ACTION NEEDED: 1 account\(s\) need action; also guessing stopped \(budget\) before 1 account/);
    expect(statusOf({ summary: summary([{ ...untested, coverage: { ...untested.coverage!, complete: true, tried: 100 } }]) })).toBe('clean');
  });

  it('parses budgets', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('45')).toBe(45_000);
    expect(parseDuration('soon')).toBeUndefined();
  });

  it('csv: input problems are rows too (state input_problem)', () => {
    const c = formatReport(rep(false), 'csv').split('\n');
    expect(c[2]).toBe(',input_problem,,,,,,,,,expected user:hash,/x:4,,,,,,');
    expect(formatReport(rep(true), 'csv').split('\n')[2]).toBe(',input_problem,,,,,,,,,expected user:hash,/x:4,,,,,,,');
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
