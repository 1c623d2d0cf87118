// THE table of audit run statuses and their exit codes: cron reads the exit code, people read the
// report's first line, programs read the JSON `status`. `audit --help`, `report merge --help` and
// docs/audit.md's exit-code table derive from it. Codes 0-2 are as they always were; 3 and 4 were
// added so that a run that did not cover its plan, or had nothing usable to audit, is never 0.
import type { AuditReport } from './report.js';

export const AUDIT_STATUS = {
  clean: { exit: 0, head: 'OK', text: 'nothing needs action: every planned guess was tried' },
  action_needed: { exit: 1, head: 'ACTION NEEDED', text: 'findings: weak, shared or missing passwords, weak storage, ...' },
  error: { exit: 2, head: 'ERROR', text: 'error: bad usage, unreadable source, LDAP error, interrupted, breach check failed (breach_unchecked)' },
  incomplete: { exit: 3, head: 'INCOMPLETE', text: 'incomplete coverage: stopped (--budget) before every planned guess; nothing else needs action' },
  unusable_input: { exit: 4, head: 'UNUSABLE INPUT', text: 'unusable input: no account could be read (only input problems, or empty sources)' },
} as const;

export type AuditStatus = keyof typeof AUDIT_STATUS;

/** The status a finished report stands for (an interrupt or a failed breach lookup is `error`). */
export function statusOf(r: Pick<AuditReport, 'summary'>): AuditStatus {
  const s = r.summary;
  if (s.stopReason === 'interrupted' || (s.findings.breach_unchecked ?? 0) > 0) return 'error';
  if (s.accounts === 0 && s.inputAccounts === 0) return 'unusable_input';
  if (s.needsAction > 0) return 'action_needed';
  if (s.incomplete > 0) return 'incomplete';
  return 'clean';
}

/** The exit-code table as text (for --help), one line per status, lowest code first. */
export function exitStatusHelp(indent = '  '): string {
  return Object.values(AUDIT_STATUS).map((s) => `${indent}${s.exit}  ${s.text}`).join('\n');
}

/** The table as Markdown, the form docs/audit.md shows (a test keeps them equal). */
export function exitStatusMarkdown(): string {
  return ['| exit | status | meaning |', '|---|---|---|', ...Object.entries(AUDIT_STATUS).map(([k, s]) => `| ${s.exit} | \`${k}\` | ${s.text} |`)].join('\n');
}

/** The report's first line: its status in capitals, then what it means for this run. */
export function statusLine(r: Pick<AuditReport, 'summary' | 'problems'>): string {
  const st = statusOf(r);
  const s = r.summary;
  const code = `(exit ${AUDIT_STATUS[st].exit})`;
  const partial = s.incomplete > 0 ? `guessing stopped${s.stopReason ? ` (${s.stopReason})` : ''} before ${s.incomplete} account(s) got every planned guess: "not found" is not "strong"` : '';
  switch (st) {
    case 'unusable_input':
      return `UNUSABLE INPUT: no account could be read from the sources (${s.problems} input problem(s)); nothing was audited ${code}`;
    case 'error':
      return s.stopReason === 'interrupted'
        ? `ERROR: interrupted before every planned guess was tried ${code}`
        : `ERROR: the breach check could not run for ${s.findings.breach_unchecked ?? 0} account(s) ${code}`;
    case 'action_needed':
      return `ACTION NEEDED: ${s.needsAction} account(s) need action${partial ? `; also ${partial}` : ''} ${code}`;
    case 'incomplete':
      return `INCOMPLETE: ${partial} ${code}`;
    default:
      return `OK: no account needs action; every planned guess was tried ${code}`;
  }
}
