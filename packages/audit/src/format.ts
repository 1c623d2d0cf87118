// Output formats: table (a summary, then the accounts that need action), JSON (the report object,
// schema in docs/audit.md), CSV (one row per account, then one per input problem), HTML (html.ts: a
// self-contained page to read).
import { needsAction } from './findings.js';
import { formatHtml } from './html.js';
import { leastLists, type AccountReport, type AuditReport, type ListCoverage } from './report.js';
import { statusLine } from './status.js';

export type ReportFormat = 'table' | 'json' | 'csv' | 'html';

export function formatReport(r: AuditReport, format: ReportFormat): string {
  if (format === 'json') return `${JSON.stringify(r, null, 2)}\n`;
  if (format === 'csv') return formatCsv(r);
  if (format === 'html') return formatHtml(r);
  return formatTable(r);
}

function formatTable(r: AuditReport): string {
  const s = r.summary;
  const lines: string[] = [];
  const shard = r.shard ? ` (shard ${r.shard.index}/${r.shard.count})` : '';
  lines.push(statusLine(r));
  lines.push(`pwguard audit${shard}: ${s.accounts} account(s), ${s.weak} weak, ${s.needsAction} need action, ${s.notChecked} not checked`);
  const by = Object.entries(s.foundBy).filter(([, n]) => n > 0).map(([k, n]) => `${k.replace('_', ' ')} ${n}`);
  if (by.length) lines.push(`  found by: ${by.join(', ')}`);
  lines.push(`  guesses: ${s.guessesTried.toLocaleString('en-US')} in ${s.seconds} s, up to ${s.maxGuesses.toLocaleString('en-US')} per account (lists: ${s.guessLists.join(', ') || 'none'})`);
  const least = leastLists(r.accounts);
  if (least.length) lines.push(`  lists reached (least-tested account; words tried as written): ${listsText(least)}`);
  if (s.stopReason) lines.push(`  stopped early (${s.stopReason}): ${s.incomplete} account(s) not fully tested; "not found" is not "strong"`);
  if (s.problems) lines.push(`  ${s.problems} input problem(s): see below`);
  const act = r.accounts.filter((a) => a.needsAction);
  if (act.length) {
    lines.push('', 'Accounts that need action:');
    for (const a of act) lines.push(...accountLines(a));
  } else {
    lines.push('', s.accounts === 0 ? 'No account was audited.' : 'No account needs action.');
  }
  const partial = r.accounts.filter((a) => !a.needsAction && a.coverage && !a.coverage.complete);
  if (partial.length) {
    lines.push('', 'Not fully tested (budget):');
    for (const a of partial) {
      lines.push(`  ${a.user}: top ${a.coverage?.tried.toLocaleString('en-US')} of ${a.coverage?.planned.toLocaleString('en-US')} guesses tried${a.coverage?.lists.length ? `; ${listsText(a.coverage.lists)}` : ''}`);
    }
    lines.push('  next: run again with a larger --budget, or with --checkpoint FILE and later --resume');
  }
  const plan = r.expirePlan ?? [];
  if (plan.length) {
    lines.push('', `Expire plan (pwguard audit --expire --apply does it):`);
    for (const x of plan) lines.push(`  ${x.description}`);
  }
  if (r.problems.length) {
    lines.push('', 'Input problems:');
    for (const p of r.problems) lines.push(`  ${p.where}${p.line !== undefined ? `:${p.line}` : ''}: ${p.message}`);
  }
  return `${lines.map(printable).join('\n')}\n`;
}

/**
 * Text for a terminal: control characters (ESC starts a terminal escape sequence), DEL, C1 and
 * bidi controls become visible \xNN / \u{NNNN}. User names and paths come from files and
 * directories that others may write.
 */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => {
    const n = c.charCodeAt(0);
    return n < 0x100 ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u{${n.toString(16)}}`;
  });
}

function accountLines(a: AccountReport): string[] {
  const changed = a.lastChange ? `  (last change ${a.lastChange})` : '';
  const head = `  ${a.user}${a.state !== 'active' ? ` [${a.state}]` : ''}${changed}${a.found?.password !== undefined ? `  password: ${a.found.password}` : ''}`;
  const out = [head];
  for (const f of a.findings) if (needsAction(f) || f.code === 'locked') out.push(`    - ${f.message}`);
  for (const next of suggestions(a)) out.push(`    next: ${next}`);
  return out;
}

/** The account's suggested steps, each once, in finding order. */
function suggestions(a: AccountReport): string[] {
  return [...new Set(a.findings.filter(needsAction).map((f) => f.suggestion).filter((x): x is string => typeof x === 'string'))];
}

/** What a list is called in text: the built-in ones by name, a --wordlist by its path. */
export function listName(list: string): string {
  if (list === 'common') return 'built-in common list';
  if (list === 'keyboard') return 'keyboard walks';
  if (list === 'org_words') return 'policy org_words';
  return list.replace(/^wordlist:/, '');
}

function listsText(lists: readonly ListCoverage[]): string {
  return lists.map((l) => `${listName(l.list)}: ${l.wordsTried.toLocaleString('en-US')} of ${l.words.toLocaleString('en-US')} tried`).join(', ');
}


const CSV_COLUMNS = [
  'user', 'state', 'weak', 'needs_action', 'found_by', 'band', 'breach_count', 'tried', 'planned', 'complete', 'findings', 'sources',
  'severity', 'scheme', 'last_change', 'lists', 'next', 'expire',
];

function formatCsv(r: AuditReport): string {
  const cols = r.passwordsShown ? [...CSV_COLUMNS, 'password'] : CSV_COLUMNS;
  const rows = r.accounts.map((a) => {
    const base = [
      a.user, a.state, String(a.weak), String(a.needsAction), a.found?.how ?? '', a.found?.band ?? '',
      a.found?.breachCount ?? '', a.coverage?.tried ?? '', a.coverage?.planned ?? '', a.coverage ? String(a.coverage.complete) : '',
      [...new Set(a.findings.map((f) => f.code))].join(';'), a.sources.join(';'),
      a.severity ?? '', a.scheme ?? '', a.lastChange ?? '',
      (a.coverage?.lists ?? []).map((l) => `${l.list}=${l.wordsTried}/${l.words}`).join(';'),
      suggestions(a).join(' | '),
      (r.expirePlan ?? []).filter((x) => x.user === a.user).map((x) => x.description).join(' | '),
    ];
    return r.passwordsShown ? [...base, a.found?.password ?? ''] : base;
  });
  // Input problems are rows too (state `input_problem`, the message under findings, the place
  // under sources): a CSV-only reader must not miss that lines were skipped.
  for (const p of r.problems) {
    const row = ['', 'input_problem', '', '', '', '', '', '', '', '', p.message, `${p.where}${p.line !== undefined ? `:${p.line}` : ''}`, '', '', '', '', '', ''];
    rows.push(r.passwordsShown ? [...row, ''] : row);
  }
  return [cols, ...rows].map((row) => row.map((v) => csvCell(printable(String(v)))).join(',')).join('\n') + '\n';
}

/** Quote when needed; a leading =+-@ is neutralised so spreadsheets do not run it as a formula. */
function csvCell(v: string): string {
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
