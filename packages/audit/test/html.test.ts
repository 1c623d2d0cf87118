import { describe, expect, it } from '@jest/globals';
import { finding, formatReport, REPORT_SCHEMA, summarize, type AccountReport, type AuditReport } from '@pwguard/audit';

const coverage = { tried: 400, planned: 400, complete: true };

function account(user: string, over: Partial<AccountReport> = {}): AccountReport {
  return {
    user, sources: [`shadow:/etc/shadow:${user.length}`], state: 'active', severity: 'ok', scheme: 'sha512crypt', schemes: ['sha512crypt'], lastChange: null,
    weak: false, needsAction: false, found: null, coverage, findings: [], ...over,
  };
}

const common = account('bob', {
  weak: true, needsAction: true, coverage: { tried: 9, planned: 400, complete: true },
  found: { how: 'common', band: 'top10000', rank: 1234, attribute: 'shadow', password: 'qwerty-planted' },
  findings: [
    finding('weak_password', { how: 'common password', rankText: ' #1,234', foundBy: 'common', rank: 1234 }),
    finding('storage', { issue: 'md5crypt', scheme: 'md5crypt', issueText: 'md5crypt/apr1: a fixed 1000 MD5 rounds, fast to guess on current hardware' }),
  ],
});
const context = account('erin', {
  weak: true, needsAction: true, found: { how: 'context', band: 'context', rank: 7, attribute: 'shadow' },
  findings: [finding('weak_password', { how: "from the user's own name", rankText: '', foundBy: 'context', rank: 7 })],
});
const site = account('walt', {
  weak: true, needsAction: true, found: { how: 'wordlist', band: 'wordlist', rank: 3, list: '/srv/<site>.txt', attribute: 'htpasswd' }, sources: ['htpasswd:/srv/www/.htpasswd:4'],
  findings: [finding('weak_password', { how: 'wordlist /srv/<site>.txt', rankText: ' #3', foundBy: 'wordlist', rank: 3 })],
});
const stopped = account('ivan', {
  scheme: 'yescrypt', schemes: ['yescrypt'], lastChange: '2024-10-04',
  coverage: { tried: 100, planned: 400, complete: false, lists: [{ list: 'common', words: 49233, wordsTried: 80, candidatesTried: 99 }, { list: 'wordlist:/srv/<site>.txt', words: 4, wordsTried: 0, candidatesTried: 0 }] },
  findings: [finding('not_found', { tried: '100', ofPlanned: ' of 400 planned', state: 'guessing stopped early' })],
});
const nasty = account('<script>alert(1)</script>\u001b[31m\u202eevil"&\'', {
  needsAction: true,
  findings: [finding('storage', { issue: 'low_cost', scheme: 'bcrypt', issueText: 'cost too low: bcrypt cost 5; at least 10 (<OWASP>)' })],
});
const fine = account('aaron', { findings: [finding('not_found', { tried: '400', ofPlanned: '', state: 'not in the lists tried, which does not make it strong' })] });

function report(accounts: AccountReport[], over: Partial<AuditReport> = {}): AuditReport {
  return {
    schema: REPORT_SCHEMA, generatedAt: '2026-03-01T08:30:00.000Z', shard: null, passwordsShown: true, accounts,
    problems: [{ where: '/srv/<site>.txt', line: 17, message: 'not valid UTF-8: line skipped' }],
    summary: summarize(accounts, { guessesTried: 1600, seconds: 2.5, stopReason: 'budget', maxGuesses: 400, guessLists: ['common', 'wordlist:/srv/<site>.txt'] }, 1),
    ...over,
  };
}

const all = [fine, stopped, nasty, site, context, common];
const html = formatReport(report(all), 'html');

describe('html report', () => {
  it('shows the run status first and the coverage reached per scheme within the budget (issue 13)', () => {
    expect(html).toMatch(/<header><h1>Password audit<\/h1><p class="status tone-bad">ACTION NEEDED: 4 account\(s\) need action; also guessing stopped \(budget\) before 1 account\(s\) got every planned guess/);
    expect(html).toContain('<h3>Coverage per scheme</h3>');
    expect(html).toContain('<td>active<div class="changed">password changed 2024-10-04</div></td>');
    // what to do next, per account that needs action
    expect(html).toContain('<li class="next">Next: A password change stores it with the current scheme');
    expect(html).toContain('<tr class="scheme"><td>yescrypt</td><td class="n">1</td><td class="n">0</td><td class="n">0</td><td class="n tone-warn">1</td><td class="n">100 of 400 (25%)</td></tr>');
    expect(html).toContain('<tr class="list"><td>site wordlist /srv/&#60;site&#62;.txt</td><td class="n tone-warn">0 of 4</td><td class="n">0</td></tr>');
    expect(html).toContain('<tr class="list"><td>the built-in common-password list</td><td class="n tone-warn">80 of 49,233</td><td class="n">99</td></tr>');
    expect(html).toContain('<tr class="scheme"><td>sha512crypt</td><td class="n">5</td><td class="n">3</td><td class="n">2</td><td class="n">0</td><td class="n">800 of 800 (100%)</td></tr>');
  });

  it('is one self-contained page: no script, no external asset, a CSP that forbids both', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
    expect(html).not.toMatch(/<script|\bsrc=|\bhref=|url\(|@import|<link|<iframe|<object/i);
    expect(html.match(/<svg class="chart"/g)?.length).toBe(4);
  });

  it('escapes every string: a user name with markup, control characters and a bidi override', () => {
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;\\x1B[31m\\u202Eevil&#34;&#38;&#39;');
    expect(html).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(html).toContain('at least 10 (&#60;OWASP&#62;)');
    expect(html).toContain('Site wordlist /srv/&#60;site&#62;.txt');
    expect(html).not.toContain('<site>');
  });

  it('never shows a password, even when the report holds one, nor a list rank or a guess source line', () => {
    expect(html).not.toContain('qwerty-planted');
    expect(html).not.toMatch(/1,?234|#3\b|:17\b/);
    expect(html).toContain('among the top 10,000 of the common-password list');
    expect(html).toContain('Common-password list, top 10,000');
    expect(html).toContain('/srv/&#60;site&#62;.txt: 1 problem: not valid UTF-8: line skipped');
  });

  it('summary figures and charts: weak by how, findings, storage by scheme, coverage', () => {
    expect(html).toContain('4 of 6 accounts need action; 3 weak passwords found.');
    expect(html).toMatch(/<div class="num">6<\/div><div class="what">accounts audited/);
    expect(html).toMatch(/<div class="num">1<\/div><div class="what">not fully tested/);
    expect(html).toContain('Guessing stopped early (budget): 1 account was not fully tested.');
    const weak = [...html.matchAll(/class="l">([^<]*)<\/text><rect[^>]*fill="#b42318"\/><text[^>]*>(\d+)/g)].map((m) => `${m[1]}=${m[2]}`);
    expect(weak.slice(0, 3)).toEqual(['The user&#39;s own name or details=1', 'Common-password list, top 10,000=1', 'Site wordlist /srv/&#60;site&#62;.txt=1']);
    expect(html).toContain('>md5crypt: fast MD5 rounds</text>');
    expect(html).toContain('>bcrypt: cost too low</text>');
    expect(html).toContain('>Stopped early (budget)</text>');
    expect(html).toContain('100 of 400');
  });

  it('lists accounts most urgent first: weak and usable, other action, not fully tested, the rest', () => {
    const users = [...html.matchAll(/<td class="user">([^<]*)<\/td>/g)].map((m) => m[1]);
    expect(users).toEqual(['bob', 'erin', 'walt', '&#60;script&#62;alert(1)&#60;/script&#62;\\x1B[31m\\u202Eevil&#34;&#38;&#39;', 'ivan', 'aaron']);
    expect(html).toContain('<td class="src"><span title="/etc/shadow">shadow</span></td>'); // no line: noise to a reader
    expect(html).toContain('<span title="/srv/www/.htpasswd">htpasswd (.htpasswd)</span>');
  });

  it('an empty report renders without NaN or undefined', () => {
    const empty = formatReport(report([], { problems: [] }), 'html');
    expect(empty).toContain('No account needs action among the 0 accounts audited.');
    expect(empty).not.toMatch(/NaN|undefined|Infinity/);
  });
});
