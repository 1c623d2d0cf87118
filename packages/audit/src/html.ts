// The HTML report (--format html): one self-contained file for the people who decide, rendered
// from the same report object as the other formats. Inline CSS, charts drawn here as inline SVG,
// no script and no external asset (a Content-Security-Policy forbids both, so a string that escaped
// escaping still could not run). Never a password (not even with --show-passwords), never a hash,
// never the line a guess came from: list ranks are shown as bands ("top 100").
import type { FindingCode as StorageCode } from '@pwguard/hashes';
import { groupDigits, renderTemplate, type TemplateValues } from '@pwguard/strength';
import { needsAction, type Finding, type FindingCode } from './findings.js';
import { leastLists, type AccountReport, type AuditReport, type FoundBand } from './report.js';
import { AUDIT_STATUS, statusLine, statusOf } from './status.js';

/** Every English text of the HTML report; `{n|one|other}` agrees with the number (template.ts). */
const TEXT = {
  title: 'Password audit',
  lead: '{act} of {accounts} {accounts|account needs|accounts need} action; {weak} weak {weak|password|passwords} found.',
  leadNone: 'No account needs action among the {accounts} {accounts|account|accounts} audited.',
  cardAccounts: '{n|account|accounts} audited',
  cardAction: '{n|needs|need} action',
  cardWeak: 'weak {n|password|passwords} found',
  cardIncomplete: 'not fully tested',
  cardNotChecked: 'not checked',
  cardProblems: 'input {n|problem|problems}',
  generated: 'Generated {when:plain}',
  shard: 'This report covers shard {index:plain} of {count:plain} of the accounts only.',
  merged: 'Merged from shards {shards:plain} of {count:plain}.',
  guessing: 'Up to {max} {max|guess|guesses} per account from: {lists}. {tried} {tried|guess|guesses} tried in {seconds:plain} s.',
  stopped: 'Guessing stopped early ({reason:plain}): {n} {n|account was|accounts were} not fully tested. A password not found there is not a strong password.',
  listCommon: 'the built-in common-password list',
  listWordlist: 'site wordlist {path:plain}',
  listNone: 'no list',
  hWeak: 'Weak passwords found, and how',
  hFindings: 'Accounts per finding that needs action',
  hStorage: 'How passwords are stored: findings by scheme',
  hCoverage: 'Guessing coverage within the budget',
  hAccounts: 'Accounts, most urgent first',
  hProblems: 'Input problems',
  none: 'None.',
  hSchemes: 'Coverage per scheme',
  colScheme: 'Scheme', colAccounts: 'Accounts', colFound: 'Found', colComplete: 'Every planned guess tried', colStopped: 'Stopped early', colTriedOf: 'Guesses tried of planned (not found)',
  schemeNone: 'no password hash',
  next: 'Next: {text:plain}',
  lastChange: 'password changed {date:plain}',
  hLists: 'How far each guess list got (the least-tested account)',
  colList: 'List', colWordsTried: 'Words tried as written', colCandidates: 'Candidates tried (word x rule)',
  coverageTried: 'For the {n} {n|account|accounts} with a hash that was not guessed: {tried} of {planned} planned guesses tried ({pct:plain}%).',
  problemsAt: '{where:plain}: {n} {n|problem|problems}: {messages:plain}',
  footer: 'Made by pwguard. This report never shows a password or a password hash; where a password was found in a list, only its band in the list is shown.',
  colAccount: 'Account', colAction: 'Action', colState: 'State', colFindings: 'Findings', colGuesses: 'Guesses tried', colSources: 'Stored in',
  guessesFound: 'password found',
  guessesOf: '{tried} of {planned}',
  // how a weak password was found: chart labels and the account's finding
  howEmpty: 'Empty password',
  howNoPassword: 'No password at all',
  howContext: "The user's own name or details",
  howCommonTop: 'Common-password list, top {band}',
  howCommonDeep: 'Common-password list, beyond the top {band}',
  howMangled: 'A common password with small changes',
  howWordlist: 'Site wordlist {path:plain}',
  howBreached: 'Hash in the breach store',
  howCleartext: 'Clear text the policy rejects',
  foundEmpty: 'The password is empty: anyone can log in.',
  foundContext: "Password guessed from the user's own name or details.",
  foundCommonTop: 'Password guessed: it is among the top {band} of the common-password list.',
  foundCommonDeep: 'Password guessed: it is in the common-password list, beyond the top {band}.',
  foundMangled: 'Password guessed: a common password with small changes (capitals, digits, a year or a symbol).',
  foundWordlist: 'Password guessed: it is in the site wordlist {path:plain}.',
  foundCleartext: 'Password stored in clear text, and the policy rejects it.',
  coverFound: 'Password found',
  coverComplete: 'Every planned guess tried, not found',
  coverStopped: 'Stopped early (budget)',
  coverNotChecked: 'Not checked (unverifiable value)',
  coverNothing: 'No password hash to guess',
  actNow: 'act now', act: 'act', review: 'review', noAction: 'no action',
  stateActive: 'active', stateLocked: 'locked', stateExpired: 'expired', stateNoPassword: 'no password',
} as const;

type TextKey = keyof typeof TEXT;

/** Short chart labels per finding code; the full sentences stay in findings.ts. */
const FINDING_LABEL: Record<FindingCode, string> = {
  weak_password: 'Password guessed', breached_hash: 'Hash in the breach store', policy_rejects: "Rejected by today's policy",
  no_password: 'No password at all', shared_password: 'Same password as another account', lm_present: 'LM hash stored',
  storage: 'Weak storage', locked: 'Locked', expired: 'Expired', must_change: 'Change already forced',
  not_checked: 'Not checked', not_found: 'Not guessed', breach_unchecked: 'Breach check could not run',
};

/** Short chart labels per storage issue (@pwguard/hashes); its table has the full sentences. */
const STORAGE_LABEL: Record<StorageCode, string> = {
  cleartext: 'clear text', unsalted: 'unsalted fast digest', fast_digest: 'single-round digest',
  des_truncation: 'DES: 8 characters, fast', legacy_scheme: 'obsolete scheme', md5crypt: 'fast MD5 rounds',
  low_rounds: 'too few rounds', low_cost: 'cost too low', low_iterations: 'too few iterations',
  lm_present: 'LM hash', bcrypt_2x: 'buggy bcrypt $2x$',
};

/** Rank bands: a rank is the line of a list, so only its band is shown. */
const BANDS = [10, 100, 1000, 10_000];

type Tone = 'bad' | 'warn' | 'ok' | 'info' | 'muted';

interface Bar {
  readonly label: string;
  readonly value: number;
  readonly tone: Tone;
}

export function formatHtml(r: AuditReport): string {
  const accounts = [...r.accounts].sort(bySeverity);
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="referrer" content="no-referrer"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${t('title')}</title><style>${CSS}</style></head><body><main>`,
    header(r),
    cards(r),
    section('hWeak', chart('hWeak', weakBars(r.accounts))),
    section('hFindings', chart('hFindings', findingBars(r))),
    section('hStorage', storage(r.accounts)),
    section('hCoverage', coverage(r.accounts) + schemeCoverage(r.accounts) + listCoverage(r.accounts)),
    section('hAccounts', accountTable(accounts)),
    problems(r),
    `<footer>${t('footer')}</footer>`,
    '</main></body></html>',
    '',
  ].join('\n');
}

function header(r: AuditReport): string {
  const s = r.summary;
  const lists = s.guessLists.map(listName);
  const meta = [t('generated', { when: when(r.generatedAt) })];
  if (r.shard) meta.push(t('shard', r.shard));
  if (r.shardsMerged?.length) meta.push(t('merged', { shards: r.shardsMerged.map((x) => x.index).join(', '), count: r.shardsMerged[0]?.count }));
  meta.push(t('guessing', { max: s.maxGuesses, lists: lists.length ? lists : [text('listNone')], tried: s.guessesTried, seconds: s.seconds }));
  const lead = s.needsAction > 0 ? t('lead', { act: s.needsAction, accounts: s.accounts, weak: s.weak }) : t('leadNone', { accounts: s.accounts });
  const stop = s.stopReason ? `<p class="note">${t('stopped', { reason: s.stopReason, n: s.incomplete })}</p>` : '';
  const st = r.status ?? statusOf(r);
  const status = `<p class="status tone-${AUDIT_STATUS[st].exit === 0 ? 'ok' : st === 'incomplete' ? 'warn' : 'bad'}">${esc(statusLine(r))}</p>`;
  return `<header><h1>${t('title')}</h1>${status}<p class="lead tone-${s.needsAction > 0 ? 'bad' : 'ok'}">${lead}</p>${meta.map((m) => `<p class="meta">${m}</p>`).join('')}${stop}</header>`;
}

function cards(r: AuditReport): string {
  const s = r.summary;
  const items: Array<[number, TextKey, Tone]> = [
    [s.accounts, 'cardAccounts', 'info'],
    [s.needsAction, 'cardAction', s.needsAction ? 'bad' : 'ok'],
    [s.weak, 'cardWeak', s.weak ? 'bad' : 'ok'],
    [s.incomplete, 'cardIncomplete', s.incomplete ? 'warn' : 'muted'],
    [s.notChecked, 'cardNotChecked', s.notChecked ? 'warn' : 'muted'],
    [s.problems, 'cardProblems', s.problems ? 'warn' : 'muted'],
  ];
  const one = ([n, key, tone]: [number, TextKey, Tone]): string =>
    `<div class="card tone-${tone}"><div class="num">${groupDigits(n)}</div><div class="what">${t(key, { n })}</div></div>`;
  return `<section class="cards">${items.map(one).join('')}</section>`;
}

function weakBars(accounts: readonly AccountReport[]): Bar[] {
  const counts = new Map<string, Bar & { order: number }>();
  const add = ([label, order]: [string, number]): void => {
    counts.set(label, { label, order, tone: 'bad', value: (counts.get(label)?.value ?? 0) + 1 });
  };
  for (const a of accounts) {
    if (a.found) add(howLabel(a.found));
    else if (a.weak && a.state === 'no_password') add([text('howNoPassword'), 1]);
  }
  return [...counts.values()].sort((x, y) => x.order - y.order || (x.label < y.label ? -1 : 1));
}

/** The chart label of how a password was found, and its place: the likeliest guesses first. */
function howLabel(f: NonNullable<AccountReport['found']>): [string, number] {
  switch (f.how) {
    case 'empty': return [text('howEmpty'), 0];
    case 'context': return [text('howContext'), 2];
    case 'common': return f.band === 'mangled' ? [text('howMangled'), 9] : [band(f.band, 'howCommonTop', 'howCommonDeep'), 3 + bandIndex(f.band)];
    case 'wordlist': return [text('howWordlist', { path: f.list ?? '' }), 10];
    case 'breached_hash': return [text('howBreached'), 11];
    case 'cleartext': return [text('howCleartext'), 12];
  }
}

/** The report's band (report.ts: the rank itself is not in a report without --show-passwords). */
const BAND_LIMIT: Partial<Record<FoundBand, number>> = { top10: 10, top100: 100, top1000: 1000, top10000: 10_000 };

function bandIndex(b: FoundBand): number {
  const i = BANDS.indexOf(BAND_LIMIT[b] ?? -1);
  return i < 0 ? BANDS.length : i;
}

function band(b: FoundBand, top: TextKey, deep: TextKey): string {
  const limit = BAND_LIMIT[b];
  return limit === undefined ? text(deep, { band: BANDS[BANDS.length - 1] }) : text(top, { band: limit });
}

function findingBars(r: AuditReport): Bar[] {
  return Object.entries(r.summary.findings)
    .filter(([code, n]) => n > 0 && isCode(code) && needsAction({ code, message: '' }))
    .map(([code, n]) => ({ label: FINDING_LABEL[code as FindingCode], value: n, tone: 'bad' as const }))
    .sort((x, y) => y.value - x.value);
}

function storage(accounts: readonly AccountReport[]): string {
  const groups = new Map<string, { scheme: string; issue: string; users: number; texts: Set<string> }>();
  for (const a of accounts) {
    for (const f of a.findings.filter((x) => x.code === 'storage')) {
      const scheme = String(f.scheme ?? '?');
      const issue = String(f.issue ?? '?');
      const key = `${scheme}\0${issue}`;
      const g = groups.get(key) ?? { scheme, issue, users: 0, texts: new Set<string>() };
      g.users++;
      g.texts.add(String(f.issueText ?? ''));
      groups.set(key, g);
    }
  }
  const list = [...groups.values()].sort((x, y) => y.users - x.users || (x.scheme < y.scheme ? -1 : 1));
  const label = (g: { scheme: string; issue: string }): string => `${g.scheme}: ${STORAGE_LABEL[g.issue as StorageCode] ?? g.issue}`;
  const bars = list.map((g) => ({ label: label(g), value: g.users, tone: 'warn' as const }));
  if (!bars.length) return chart('hStorage', bars);
  const rows = list.map((g) => `<tr><td>${esc(g.scheme)}</td><td class="n">${g.users}</td><td>${[...g.texts].map(esc).join('<br>')}</td></tr>`);
  return `${chart('hStorage', bars)}<table class="legend"><tr><th>Scheme</th><th class="n">Accounts</th><th>Why it matters</th></tr>${rows.join('')}</table>`;
}

type Cover = 'coverFound' | 'coverComplete' | 'coverStopped' | 'coverNotChecked' | 'coverNothing';

function coverOf(a: AccountReport): Cover {
  if (a.found) return 'coverFound';
  if (a.coverage) return a.coverage.complete ? 'coverComplete' : 'coverStopped';
  return a.findings.some((f) => f.code === 'not_checked') ? 'coverNotChecked' : 'coverNothing';
}

function coverage(accounts: readonly AccountReport[]): string {
  const tones: Record<Cover, Tone> = { coverFound: 'bad', coverComplete: 'ok', coverStopped: 'warn', coverNotChecked: 'warn', coverNothing: 'muted' };
  const bars = (Object.keys(tones) as Cover[]).map((k) => ({ label: text(k), tone: tones[k], value: accounts.filter((a) => coverOf(a) === k).length }));
  const open = accounts.filter((a) => !a.found && a.coverage);
  const tried = open.reduce((n, a) => n + (a.coverage?.tried ?? 0), 0);
  const planned = open.reduce((n, a) => n + (a.coverage?.planned ?? 0), 0);
  const pct = planned ? Math.floor((1000 * tried) / planned) / 10 : 100;
  const note = open.length ? `<p>${t('coverageTried', { n: open.length, tried, planned, pct })}</p>` : '';
  return chart('hCoverage', bars.filter((b) => b.value > 0)) + note;
}

/**
 * Coverage reached per scheme within the budget: a slow scheme (yescrypt, bcrypt) gets fewer guesses
 * than a fast one in the same time, and this is where that shows. An account counts under the
 * scheme of the stored password its coverage is about (`scheme` in the report).
 */
function schemeCoverage(accounts: readonly AccountReport[]): string {
  const rows = new Map<string, { n: number; found: number; complete: number; stopped: number; tried: number; planned: number }>();
  for (const a of accounts) {
    if (!a.coverage && !a.found) continue;
    const key = a.scheme ?? text('schemeNone');
    const r = rows.get(key) ?? { n: 0, found: 0, complete: 0, stopped: 0, tried: 0, planned: 0 };
    r.n++;
    if (a.found) r.found++;
    else if (a.coverage?.complete) r.complete++;
    else r.stopped++;
    if (!a.found && a.coverage) {
      r.tried += a.coverage.tried;
      r.planned += a.coverage.planned;
    }
    rows.set(key, r);
  }
  if (!rows.size) return '';
  const head = `<tr><th>${t('colScheme')}</th><th class="n">${t('colAccounts')}</th><th class="n">${t('colFound')}</th><th class="n">${t('colComplete')}</th><th class="n">${t('colStopped')}</th><th class="n">${t('colTriedOf')}</th></tr>`;
  const body = [...rows].sort((x, y) => y[1].stopped - x[1].stopped || (x[0] < y[0] ? -1 : 1)).map(([scheme, r]) => {
    const pct = r.planned ? Math.floor((1000 * r.tried) / r.planned) / 10 : 100;
    const of = r.planned ? `${t('guessesOf', { tried: r.tried, planned: r.planned })} (${pct}%)` : '&#8212;';
    return `<tr class="scheme"><td>${esc(scheme)}</td><td class="n">${groupDigits(r.n)}</td><td class="n">${groupDigits(r.found)}</td><td class="n">${groupDigits(r.complete)}</td>` +
      `<td class="n${r.stopped ? ' tone-warn' : ''}">${groupDigits(r.stopped)}</td><td class="n">${of}</td></tr>`;
  });
  return `<h3>${t('hSchemes')}</h3><table class="legend schemes">${head}${body.join('')}</table>`;
}

/** Per guess list, how far the least-tested account got: a site wordlist never reached shows here. */
function listCoverage(accounts: readonly AccountReport[]): string {
  const lists = leastLists(accounts);
  if (!lists.length) return '';
  const head = `<tr><th>${t('colList')}</th><th class="n">${t('colWordsTried')}</th><th class="n">${t('colCandidates')}</th></tr>`;
  const body = lists.map((l) => `<tr class="list"><td>${esc(listName(l.list))}</td><td class="n${l.wordsTried < l.words ? ' tone-warn' : ''}">${t('guessesOf', { tried: l.wordsTried, planned: l.words })}</td><td class="n">${groupDigits(l.candidatesTried)}</td></tr>`);
  return `<h3>${t('hLists')}</h3><table class="legend lists">${head}${body.join('')}</table>`;
}

/** Needs action first: weak and usable, then weak, then other action; then not fully tested. */
function severity(a: AccountReport): number {
  if (a.needsAction && a.weak) return a.state === 'active' || a.state === 'no_password' ? 0 : 1;
  if (a.needsAction) return 2;
  const c = coverOf(a);
  return c === 'coverStopped' ? 3 : c === 'coverNotChecked' ? 4 : 5;
}

function bySeverity(x: AccountReport, y: AccountReport): number {
  const actions = (a: AccountReport): number => a.findings.filter(needsAction).length;
  return severity(x) - severity(y) || actions(y) - actions(x) || (x.user < y.user ? -1 : x.user > y.user ? 1 : 0);
}

const ACTION: Array<[TextKey, Tone]> = [['actNow', 'bad'], ['act', 'bad'], ['act', 'bad'], ['review', 'warn'], ['review', 'warn'], ['noAction', 'ok']];
const STATE: Record<AccountReport['state'], TextKey> = { active: 'stateActive', locked: 'stateLocked', expired: 'stateExpired', no_password: 'stateNoPassword' };

function accountTable(accounts: readonly AccountReport[]): string {
  const head = (['colAccount', 'colAction', 'colState', 'colFindings', 'colGuesses', 'colSources'] as const).map((k) => `<th>${t(k)}</th>`).join('');
  const rows = accounts.map((a) => {
    const [act, tone] = ACTION[severity(a)] as [TextKey, Tone];
    const findings = [...a.findings].sort((x, y) => Number(needsAction(y)) - Number(needsAction(x)));
    const next = [...new Set(findings.filter(needsAction).map((f) => f.suggestion).filter((x): x is string => typeof x === 'string'))];
    const items = findings.map((f) => `<li class="${needsAction(f) ? 'act' : 'info'}">${esc(findingText(a, f))}</li>`).join('') +
      next.map((x) => `<li class="next">${t('next', { text: x })}</li>`).join('');
    return `<tr class="sev-${severity(a)}"><td class="user">${esc(a.user)}</td><td><span class="pill tone-${tone}">${t(act)}</span></td>` +
      `<td>${t(STATE[a.state] ?? 'stateActive')}${a.lastChange ? `<div class="changed">${t('lastChange', { date: a.lastChange })}</div>` : ''}</td><td><ul>${items}</ul></td><td class="n">${guesses(a)}</td><td class="src">${sources(a)}</td></tr>`;
  });
  return `<table class="accounts"><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** The finding in plain words; a guessed password is described by how, never by its rank. */
function findingText(a: AccountReport, f: Finding): string {
  if (f.code !== 'weak_password' || !a.found) return String(f.message);
  switch (a.found.how) {
    case 'empty': return text('foundEmpty');
    case 'context': return text('foundContext');
    case 'common': return a.found.band === 'mangled' ? text('foundMangled') : band(a.found.band, 'foundCommonTop', 'foundCommonDeep');
    case 'wordlist': return text('foundWordlist', { path: a.found.list ?? '' });
    case 'cleartext': return text('foundCleartext');
    case 'breached_hash': return String(f.message);
  }
}

function guesses(a: AccountReport): string {
  if (a.found) return t('guessesFound');
  if (!a.coverage) return '&#8212;';
  const { tried, planned } = a.coverage;
  const pct = planned ? Math.min(100, Math.round((100 * tried) / planned)) : 100;
  return `${t('guessesOf', { tried, planned })}<div class="meter"><div style="width:${pct}%"></div></div>`;
}

/** Where the account is stored: the kind and file name (full path on hover), never a line number. */
function sources(a: AccountReport): string {
  const shown = a.sources.map((label) => {
    const m = /^(shadow|htpasswd):(.*):\d+$/.exec(String(label));
    if (!m) return esc(String(label));
    const path = m[2] as string;
    const [kind, name] = [m[1] as string, path.slice(path.lastIndexOf('/') + 1)];
    return `<span title="${esc(path)}">${esc(name === kind ? kind : `${kind} (${name})`)}</span>`;
  });
  return [...new Set(shown)].join('<br>');
}

function problems(r: AuditReport): string {
  const list = r.problems ?? [];
  if (!list.length) return '';
  const byWhere = new Map<string, string[]>();
  for (const p of list) {
    const msgs = byWhere.get(String(p.where));
    if (msgs) msgs.push(String(p.message));
    else byWhere.set(String(p.where), [String(p.message)]);
  }
  const items = [...byWhere].map(([where, msgs]) => `<li>${t('problemsAt', { where, n: msgs.length, messages: [...new Set(msgs)].join('; ') })}</li>`);
  return section('hProblems', `<ul>${items.join('')}</ul>`);
}

function section(h: TextKey, body: string): string {
  return `<section><h2>${t(h)}</h2>${body}</section>`;
}

const W = 760;
const LABEL_W = 330;
const ROW = 30;
const TONE: Record<Tone, string> = { bad: '#b42318', warn: '#b54708', ok: '#067647', info: '#175cd3', muted: '#667085' };

/** A horizontal bar chart as inline SVG; the figures are also in its text, for screen readers. */
function chart(title: TextKey, bars: readonly Bar[]): string {
  if (!bars.length) return `<p class="none">${t('none')}</p>`;
  const max = Math.max(...bars.map((b) => b.value), 1);
  const room = W - LABEL_W - 70;
  const rows = bars.map((b, i) => {
    const y = i * ROW;
    const w = Math.max(2, Math.round((room * b.value) / max));
    const label = b.label.length > 46 ? `${b.label.slice(0, 45)}\u2026` : b.label;
    return `<g><title>${esc(b.label)}: ${b.value}</title>` +
      `<text x="${LABEL_W - 10}" y="${y + 19}" text-anchor="end" class="l">${esc(label)}</text>` +
      `<rect x="${LABEL_W}" y="${y + 5}" width="${w}" height="20" rx="3" fill="${TONE[b.tone]}"/>` +
      `<text x="${LABEL_W + w + 8}" y="${y + 20}" class="v">${groupDigits(b.value)}</text></g>`;
  });
  const h = bars.length * ROW + 6;
  return `<svg class="chart" role="img" aria-label="${t(title)}" viewBox="0 0 ${W} ${h}" width="${W}" height="${h}" xmlns="http://www.w3.org/2000/svg"><title>${t(title)}</title>${rows.join('')}</svg>`;
}

function listName(l: string): string {
  if (l === 'common') return text('listCommon');
  return l.startsWith('wordlist:') ? text('listWordlist', { path: l.slice('wordlist:'.length) }) : l;
}

function when(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function isCode(code: string): code is FindingCode {
  return Object.hasOwn(FINDING_LABEL, code);
}

/** A text of the table, filled; not yet escaped. */
function text(key: TextKey, values: TemplateValues = {}): string {
  return renderTemplate(TEXT[key], values);
}

/** A text of the table, filled and escaped for HTML. */
function t(key: TextKey, values: TemplateValues = {}): string {
  return esc(text(key, values));
}

/**
 * Escape for HTML text and attribute values. Control characters, bidirectional overrides and lone
 * surrogates are shown as visible escapes (`\x1B`, `\u202E`), so a user name cannot hide or
 * reorder what is around it.
 */
function esc(s: string): string {
  return String(s)
    .replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\p{Surrogate}]/gu, (c) => {
      const n = c.charCodeAt(0);
      return n < 0x100 ? `\\x${n.toString(16).toUpperCase().padStart(2, '0')}` : `\\u${n.toString(16).toUpperCase()}`;
    })
    .replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const CSS = `
:root{color-scheme:light;--ink:#101828;--soft:#475467;--line:#eaecf0;--bg:#f9fafb}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif}
main{max-width:1040px;margin:0 auto;padding:32px 28px 48px;background:#fff;min-height:100vh}
h1{font-size:28px;margin:0 0 6px}
h2{font-size:19px;margin:36px 0 12px;padding-bottom:6px;border-bottom:2px solid var(--line)}
.status{font-size:15px;font-weight:700;margin:4px 0 6px}
.lead{font-size:19px;font-weight:600;margin:4px 0 10px}
.meta{color:var(--soft);margin:2px 0;font-size:14px}
.note{background:#fffaeb;border-left:4px solid #b54708;padding:8px 12px;margin:12px 0 0}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px;margin:24px 0 8px}
.card{border:1px solid var(--line);border-top:5px solid currentColor;border-radius:8px;padding:12px 14px}
.card .num{font-size:34px;font-weight:700;line-height:1.1}
.card .what{color:var(--soft);font-size:14px}
.tone-bad{color:#b42318}.tone-warn{color:#b54708}.tone-ok{color:#067647}.tone-info{color:#175cd3}.tone-muted{color:#667085}
.chart{max-width:100%;height:auto;display:block}
.chart .l{font-size:14px;fill:var(--ink)}.chart .v{font-size:14px;font-weight:700;fill:var(--ink)}
table{border-collapse:collapse;width:100%;font-size:14px}
th{white-space:nowrap;text-align:left;background:#f2f4f7;color:var(--soft);font-weight:600;padding:8px 10px;border-bottom:1px solid var(--line)}
td{padding:8px 10px;border-bottom:1px solid var(--line);vertical-align:top}
td.n,th.n{text-align:right;white-space:nowrap}
.legend{margin-top:12px}
.accounts td.user{font-weight:600;font-family:ui-monospace,"DejaVu Sans Mono",monospace;word-break:break-all}
.accounts ul{margin:0;padding-left:18px}.accounts li.info{color:var(--soft)}.accounts li.next{color:#175cd3}
.accounts .changed{color:var(--soft);font-size:13px;white-space:nowrap}
.accounts td.src{color:var(--soft);font-size:13px;white-space:nowrap}
.pill{display:inline-block;padding:1px 9px;border-radius:10px;border:1px solid currentColor;font-size:13px;font-weight:600;white-space:nowrap}
.meter{height:6px;background:var(--line);border-radius:3px;margin-top:4px;min-width:80px}.meter div{height:6px;background:#175cd3;border-radius:3px}
.none{color:var(--soft)}
footer{margin-top:40px;color:var(--soft);font-size:13px;border-top:1px solid var(--line);padding-top:12px}
@media print{body{background:#fff}main{padding:0}section,tr,.card{break-inside:avoid}}
`;
