import { describe, expect, it } from '@jest/globals';
import { planExpire, REPORT_SCHEMA, summarize, type AccountReport, type AuditReport } from '@pwguard/audit';

function reportOf(user: string, source: string): AuditReport {
  const accounts: AccountReport[] = [{
    user, sources: [source], state: 'active', weak: true, needsAction: true,
    found: { how: 'common', band: 'top10', attribute: 'shadow' }, coverage: { tried: 2, planned: 10, complete: true }, findings: [],
  }];
  return {
    schema: REPORT_SCHEMA, generatedAt: 'now', shard: null, passwordsShown: false, accounts, problems: [],
    summary: summarize(accounts, { guessesTried: 2, seconds: 0, stopReason: null, maxGuesses: 10, guessLists: [] }, 0),
  };
}

describe('planExpire', () => {
  it('ends chage options with -- so a login name is never read as an option', () => {
    expect(planExpire(reportOf('-Rx', 'shadow:/etc/shadow:3'))[0]?.argv).toEqual(['chage', '-d', '0', '--', '-Rx']);
    expect(planExpire(reportOf('--help', 'shadow:/mnt/root/etc/shadow:3'))[0]?.argv).toEqual(['chage', '-R', '/mnt/root', '-d', '0', '--', '--help']);
  });
});
