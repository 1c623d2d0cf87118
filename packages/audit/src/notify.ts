// Telling the users: one message per account that needs action, from a template an administrator
// can read and change, handed to the local sendmail; and a record of who was told, so that a re-run
// does not mail the same account for the same findings twice.
//
// A message says what was found in plain words (NOTIFY_TEXT) and never the password, the hash or
// how the password was guessed: mail is not a secret channel, and the list or rule that found a
// password says a lot about it. Every text goes through the one template engine (renderTemplate).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, constants, fchmodSync, fstatSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { renderTemplate, templateNames, TemplateError, type TemplateValues } from '@pwguard/strength';
import type { FindingCode, Finding } from './findings.js';
import { needsAction } from './findings.js';
import type { AccountReport, AuditReport } from './report.js';

/**
 * What a user is told for each finding code; null: not a user's matter (nothing to do, or the
 * administrators' alone). Plain words, no password, no hash, no guess list, no other user's name.
 */
export const NOTIFY_TEXT: Readonly<Record<FindingCode, string | null>> = {
  weak_password: 'Your password was guessed: it is among those attackers try first.',
  breached_hash: 'Your password is in lists of passwords leaked in data breaches, which attackers try first.',
  policy_rejects: 'Your password would not pass the password rules in force today.',
  no_password: 'Your account has no password at all: it may be possible to log in as you without one.',
  shared_password: 'The same password is set on {count} other {count|account|accounts}.',
  lm_present: 'An old form of your password (an LM hash, which is cracked in seconds) is still stored.',
  storage: 'Your password is stored in an outdated form that is fast to attack.',
  locked: null,
  expired: null,
  must_change: null,
  not_checked: null,
  not_found: null,
  breach_unchecked: null,
};

/** The sentences the `{action}` placeholder can be. */
export const NOTIFY_ACTION = {
  byDeadline: 'Please choose a new password by {deadline}.',
  soon: 'Please choose a new password soon.',
} as const;

/** The built-in template (`--notify` without a file). docs/audit.md shows it. */
export const DEFAULT_NOTIFY_TEMPLATE = `To: {to}
Subject: {site}: please change your password
Auto-Submitted: auto-generated

Hello {name},

A password audit on {site} found {count} {count|problem|problems} with the
password of your account "{user}":

{findings}

{action}

A good password is long and used nowhere else: a few unrelated words are
easier to remember and harder to guess than a word with digits and symbols
added to it.

This message does not contain your password, and nobody from {site} will
ever ask you for it, by mail or by phone. If in doubt, ask the
administrators of {site} before you act on this message.

-- 
The administrators of {site}
`;

/** Placeholders a template may use; `body` ones hold free text or several lines. */
export const NOTIFY_PLACEHOLDERS: Readonly<Record<string, { readonly help: string; readonly body?: true; readonly optional?: true }>> = {
  user: { help: 'the account\'s user name' },
  to: { help: 'the address the message goes to' },
  site: { help: 'the site name (--site-name)' },
  count: { help: 'how many findings are listed' },
  deadline: { help: 'the date given with --deadline', optional: true },
  name: { help: 'the user\'s full name (GECOS or LDAP cn), else the user name', body: true },
  findings: { help: 'the findings, one "- " line each', body: true },
  action: { help: `"${NOTIFY_ACTION.byDeadline}" or "${NOTIFY_ACTION.soon}"`, body: true },
};

/** A problem with the template, an option or the record: one line naming the file and line. */
export class NotifyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotifyError';
  }
}

export interface NotifyTemplate {
  /** File path, or "built-in template". */
  readonly source: string;
  readonly headers: ReadonlyArray<{ readonly line: number; readonly text: string }>;
  readonly body: string;
}

const HEADER = /^([!-9;-~]+):([\s\S]*)$/;

/** Split and check a template before any audit runs: every error names the file and the line. */
export function parseNotifyTemplate(text: string, source: string, opts: { readonly deadline: boolean }): NotifyTemplate {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const blank = lines.findIndex((l) => l === '');
  if (blank < 0) throw new NotifyError(`${source}: no empty line between the headers and the body`);
  if (blank === 0) throw new NotifyError(`${source}:1: the template starts with headers (To:, Subject:), then an empty line, then the body`);
  const headers: Array<{ line: number; text: string }> = [];
  lines.slice(0, blank).forEach((l, i) => {
    const at = `${source}:${i + 1}`;
    if (/^[ \t]/.test(l) && headers.length > 0) {
      const last = headers[headers.length - 1] as { line: number; text: string };
      last.text += `\n${l}`;
    } else if (HEADER.test(l)) headers.push({ line: i + 1, text: l });
    else throw new NotifyError(`${at}: not a header line ("Name: value"); the headers end at the first empty line`);
  });
  const names = new Set(headers.map((h) => headerName(h.text).toLowerCase()));
  for (const need of ['to', 'subject']) if (!names.has(need)) throw new NotifyError(`${source}: no ${need === 'to' ? 'To' : 'Subject'}: header (sendmail -t takes the recipient from To:)`);
  lines.forEach((l, i) => checkPlaceholders(l, `${source}:${i + 1}`, i < blank, opts.deadline));
  return { source, headers, body: lines.slice(blank + 1).join('\n') };
}

const SAMPLE_VALUES = { user: 'user', to: 'user@example.org', site: 'site', count: 2, deadline: '2099-01-01', name: 'name', findings: '- one', action: NOTIFY_ACTION.soon };

function checkPlaceholders(line: string, at: string, inHeaders: boolean, deadline: boolean): void {
  for (const name of templateNames(line)) {
    const p = NOTIFY_PLACEHOLDERS[name];
    if (!p) throw new NotifyError(`${at}: unknown placeholder {${name}} (known: ${Object.keys(NOTIFY_PLACEHOLDERS).join(', ')})`);
    if (p.body && inHeaders) throw new NotifyError(`${at}: {${name}} may only be used in the body`);
    if (p.optional && !deadline) throw new NotifyError(`${at}: the template uses {${name}} but no --deadline was given`);
  }
  try {
    renderTemplate(line, SAMPLE_VALUES); // e.g. {user|one|other}: a plural needs a number
  } catch (err) {
    if (err instanceof TemplateError) throw new NotifyError(`${at}: ${err.message.split(' in: ')[0]}`);
    throw err;
  }
}

function headerName(h: string): string {
  return (HEADER.exec(h) as RegExpExecArray)[1] as string;
}

// ---------------------------------------------------------------------------------------------
// Addresses and header safety

const ATEXT = "A-Za-z0-9!#$%&'*+/=?^_`{|}~-";
const LOCAL_PART = new RegExp(`^[${ATEXT}]+(\\.[${ATEXT}]+)*$`);
// One label is allowed: `--mail-domain localhost` delivers to local mailboxes.
const DOMAIN = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** A plain `local@domain`: no display name, no quoting, no comments, no line break, ASCII only. */
export function isPlainAddress(address: string): boolean {
  const at = address.lastIndexOf('@');
  if (at < 1 || address.length > 254) return false;
  const local = address.slice(0, at);
  return local.length <= 64 && LOCAL_PART.test(local) && DOMAIN.test(address.slice(at + 1));
}

export function isMailDomain(domain: string): boolean {
  return DOMAIN.test(domain);
}

/** A value that may go into a header: one line, no control characters, not too long. */
export function isOneLine(text: string, max: number): boolean {
  return text.length > 0 && text.length <= max && !/[\u0000-\u001f\u007f\u2028\u2029]/.test(text);
}

export type AddressSource = 'ldap' | 'domain';

export interface AddressOptions {
  /** Tried in order: the account's LDAP `mail`, then user@mailDomain. */
  readonly from: readonly AddressSource[];
  readonly mailDomain?: string;
}

/** Where an account's message goes, or why it cannot go anywhere. */
export function addressFor(user: string, ldapMail: string | undefined, opts: AddressOptions): { address: string } | { skip: string } {
  if (/[\r\n]/.test(user)) return { skip: 'the user name contains a line break' };
  // The name may go into headers ("To: {user} <{to}>"): only characters that cannot end a header,
  // quote, comment or split an address list.
  if (user.length > 64 || !LOCAL_PART.test(user)) return { skip: 'the user name is not a plain name (letters, digits, . _ - and the like)' };
  for (const source of opts.from) {
    if (source === 'ldap' && ldapMail !== undefined) {
      return isPlainAddress(ldapMail) ? { address: ldapMail } : { skip: 'its LDAP mail is not a plain address (local@domain)' };
    }
    if (source === 'domain' && opts.mailDomain !== undefined) {
      const address = `${user}@${opts.mailDomain}`;
      return isPlainAddress(address) ? { address } : { skip: `${address} is not a plain address` };
    }
  }
  return { skip: `no address (${opts.from.map((s) => (s === 'ldap' ? 'no LDAP mail' : 'no --mail-domain')).join(', ')})` };
}

// ---------------------------------------------------------------------------------------------
// Which findings, in which words, and their digest

/**
 * The keys of the findings a user is told about: the finding code, and for storage the issue.
 * A policy change alone (another reason code) does not make the same password news again.
 */
export function findingKeys(findings: readonly Finding[]): string[] {
  const keys = findings.filter((f) => needsAction(f) && NOTIFY_TEXT[f.code] !== null).map((f) => (f.code === 'storage' ? `storage:${String(f.issue)}` : f.code));
  return [...new Set(keys)].sort();
}

/** What the record keys on, with the user: a digest of the finding keys (never the password). */
export function findingDigest(keys: readonly string[]): string {
  return createHash('sha256').update(keys.join('\n')).digest('hex').slice(0, 16);
}

/** The findings in plain words, each once, in report order. */
export function findingLines(findings: readonly Finding[]): string[] {
  const out: string[] = [];
  for (const f of findings) {
    const text = NOTIFY_TEXT[f.code];
    if (text === null || !needsAction(f)) continue;
    const line = renderTemplate(text, f);
    if (!out.includes(line)) out.push(line);
  }
  return out;
}

function bullets(lines: readonly string[]): string {
  return lines.map((l) => wrap(`- ${l}`, 72, '  ')).join('\n');
}

function wrap(text: string, width: number, indent: string): string {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line.trim() && line.length + 1 + word.length > width) {
      out.push(line);
      line = indent + word;
    } else line = line ? `${line} ${word}` : word;
  }
  out.push(line);
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Planning: who gets what

export interface NotifyRecordEntry {
  readonly at: string;
  readonly user: string;
  readonly to: string;
  /** findingDigest of `codes`. */
  readonly findings: string;
  readonly codes: readonly string[];
}

export interface NotifyMessage {
  readonly user: string;
  readonly to: string;
  readonly codes: string[];
  readonly digest: string;
  /** The whole message, headers and body, LF line ends, as sendmail -t reads it. */
  readonly text: string;
}

export interface NotifySkip {
  readonly user: string;
  readonly reason: string;
}

/** Per-account facts the report does not carry (it never holds addresses). */
export interface NotifyAccountInfo {
  readonly mail?: string;
  readonly fullName?: string;
}

export interface NotifyPlanOptions extends AddressOptions {
  readonly template: NotifyTemplate;
  readonly site: string;
  readonly deadline?: string;
  /** Mail again even when the record says this user was told about the same findings. */
  readonly again?: boolean;
  readonly now: Date;
}

/** One message per account that needs action and whose user can act on it; the rest say why not. */
export function planNotify(
  report: AuditReport,
  info: ReadonlyMap<string, NotifyAccountInfo>,
  record: readonly NotifyRecordEntry[],
  opts: NotifyPlanOptions,
): { messages: NotifyMessage[]; skipped: NotifySkip[] } {
  const told = new Map<string, NotifyRecordEntry>();
  for (const r of record) told.set(`${r.user}\n${r.findings}`, r);
  const messages: NotifyMessage[] = [];
  const skipped: NotifySkip[] = [];
  for (const a of report.accounts) {
    if (!a.needsAction) continue;
    const why = cannotAct(a);
    const codes = findingKeys(a.findings);
    if (why !== undefined || codes.length === 0) {
      skipped.push({ user: a.user, reason: why ?? 'nothing the user can change' });
      continue;
    }
    const facts = info.get(a.user) ?? {};
    const to = addressFor(a.user, facts.mail, opts);
    if ('skip' in to) {
      skipped.push({ user: a.user, reason: to.skip });
      continue;
    }
    const digest = findingDigest(codes);
    const before = told.get(`${a.user}\n${digest}`);
    if (before && !opts.again) {
      skipped.push({ user: a.user, reason: `already told on ${before.at} about the same findings (--notify-again mails anyway)` });
      continue;
    }
    const lines = findingLines(a.findings);
    const values: TemplateValues = {
      user: a.user,
      to: to.address,
      site: opts.site,
      count: lines.length,
      name: facts.fullName && isOneLine(facts.fullName, 200) ? facts.fullName : a.user,
      findings: bullets(lines),
      action: opts.deadline !== undefined ? renderTemplate(NOTIFY_ACTION.byDeadline, { deadline: opts.deadline }) : NOTIFY_ACTION.soon,
      ...(opts.deadline !== undefined ? { deadline: opts.deadline } : {}),
    };
    messages.push({ user: a.user, to: to.address, codes, digest, text: renderMessage(opts.template, values, opts.now) });
  }
  return { messages, skipped };
}

function cannotAct(a: AccountReport): string | undefined {
  if (a.state === 'locked') return 'the account is locked: its user cannot log in to change the password';
  if (a.state === 'expired') return 'the account has expired: its user cannot log in to change the password';
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// The message

const ADDRESS_HEADERS = new Set(['from', 'to', 'cc', 'bcc', 'reply-to', 'sender']);

/** Fill the template; headers are one line each, non-ASCII is RFC 2047-encoded, MIME headers added. */
export function renderMessage(t: NotifyTemplate, values: TemplateValues, now: Date): string {
  for (const [k, v] of Object.entries(values)) {
    if (!NOTIFY_PLACEHOLDERS[k]?.body && typeof v === 'string' && !isOneLine(v, 254)) {
      throw new NotifyError(`${t.source}: the value for {${k}} is not one line of at most 254 characters`);
    }
  }
  const headers = t.headers.map((h) => encodeHeader(renderTemplate(h.text, values).replace(/\n(?=[ \t])/g, '')));
  const has = new Set(headers.map((h) => headerName(h).toLowerCase()));
  const added = [
    has.has('date') ? '' : `Date: ${rfc5322Date(now)}`,
    has.has('mime-version') ? '' : 'MIME-Version: 1.0',
    has.has('content-type') ? '' : 'Content-Type: text/plain; charset=utf-8',
    has.has('content-transfer-encoding') ? '' : 'Content-Transfer-Encoding: 8bit',
  ].filter(Boolean);
  const body = renderTemplate(t.body, values);
  return `${[...headers, ...added].join('\n')}\n\n${body.endsWith('\n') ? body : `${body}\n`}`;
}

function encodeHeader(line: string): string {
  const m = HEADER.exec(line) as RegExpExecArray;
  const name = m[1] as string;
  const value = (m[2] as string).trim();
  if (/^[\x20-\x7e]*$/.test(value)) return `${name}: ${value}`;
  if (!ADDRESS_HEADERS.has(name.toLowerCase())) return `${name}: ${encodedWords(value)}`;
  const named = /^(.*?)\s*<([^<>]+)>$/.exec(value);
  if (!named || !/^[\x20-\x7e]*$/.test(named[2] as string)) throw new NotifyError(`${name}: header: an address must be plain ASCII (a display name may be any text)`);
  return `${name}: ${encodedWords((named[1] as string).replace(/^"|"$/g, ''))} <${named[2]}>`;
}

/** RFC 2047 B-encoded words (60 characters: a folded line stays within 78), never splitting a character. */
function encodedWords(text: string): string {
  const words: string[] = [];
  let chunk = '';
  for (const ch of text) {
    if (Buffer.byteLength(chunk + ch) > 36) {
      words.push(chunk);
      chunk = '';
    }
    chunk += ch;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w).toString('base64')}?=`).join('\n ');
}

function rfc5322Date(d: Date): string {
  return d.toUTCString().replace(/GMT$/, '+0000');
}

/** A file name for a message kept for review: its number and the user name, made safe. */
export function messageFileName(index: number, user: string): string {
  return `${String(index + 1).padStart(3, '0')}-${user.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 64)}.eml`;
}

// ---------------------------------------------------------------------------------------------
// The record: JSON lines, mode 0600, appended after each message sendmail accepted

export function readNotifyRecord(path: string): NotifyRecordEntry[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new NotifyError(`cannot read the notify record ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  const out: NotifyRecordEntry[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let e: Partial<NotifyRecordEntry>;
    try {
      e = JSON.parse(line) as Partial<NotifyRecordEntry>;
    } catch {
      throw new NotifyError(`${path}:${i + 1}: not a JSON line`);
    }
    if (typeof e.user !== 'string' || typeof e.findings !== 'string' || typeof e.at !== 'string') {
      throw new NotifyError(`${path}:${i + 1}: a record line needs "at", "user" and "findings"`);
    }
    out.push(e as NotifyRecordEntry);
  });
  return out;
}

/** Append one line; the file is created (and kept) mode 0600, its folder 0700 when created. */
export function appendNotifyRecord(path: string, entry: NotifyRecordEntry): void {
  let fd: number;
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    // Appended to as root, perhaps in a shared folder: never through a planted symlink (O_NOFOLLOW),
    // never into a file someone else owns (who could then read who was told).
    fd = openSync(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, 0o600);
  } catch (err) {
    throw new NotifyError(`cannot write the notify record ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.uid !== process.geteuid?.()) throw new NotifyError(`the notify record ${path} is not a regular file of this user's: refused`);
    if ((st.mode & 0o077) !== 0) fchmodSync(fd, 0o600);
    const line = { at: entry.at, user: entry.user, to: entry.to, findings: entry.findings, codes: entry.codes };
    writeSync(fd, `${JSON.stringify(line)}\n`);
  } finally {
    closeSync(fd);
  }
}

// ---------------------------------------------------------------------------------------------
// Sending

/**
 * Hand one message to sendmail (`PATH -t -oi`: recipients from the headers, a lone "." is text).
 * Resolves when sendmail accepted it (exit 0); otherwise throws a NotifyError with its status and
 * the first line it printed.
 */
export function sendMail(sendmailPath: string, message: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(sendmailPath, ['-t', '-oi'], { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => {
      if (stderr.length < 2000) stderr += b.toString();
    });
    child.on('error', (err: NodeJS.ErrnoException) => reject(new NotifyError(`cannot run ${sendmailPath}: ${err.code ?? err.message}`)));
    child.on('close', (status, signal) => {
      if (status === 0) return resolve();
      const first = stderr.split('\n').find((l) => l.trim() !== '')?.trim();
      reject(new NotifyError(`${sendmailPath} ${signal ? `was killed by ${signal}` : `exited with status ${status}`}${first ? `: ${first}` : ''}`));
    });
    child.stdin.on('error', () => undefined); // a sendmail that exits early: its status says why
    child.stdin.end(message);
  });
}
