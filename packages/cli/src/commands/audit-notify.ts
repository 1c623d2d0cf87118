// pwguard audit --notify: tell the users whose accounts need action. A dry run unless --apply:
// it lists who would be mailed (and, with --notify-dir, writes every message for review); --apply
// hands each message to the local sendmail and records who was told, so a re-run mails nobody twice.
import { accessSync, constants, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { Option, type Command } from 'commander';
import {
  appendNotifyRecord, DEFAULT_NOTIFY_TEMPLATE, isMailDomain, isOneLine, messageFileName, NotifyError, parseNotifyTemplate, planNotify,
  readNotifyRecord, sendMail, type Account, type AddressSource, type AuditReport, type NotifyAccountInfo, type NotifyRecordEntry, type NotifyTemplate,
} from '@pwguard/audit';
import { UserError } from '../errors.js';
import { readTextFile, writePrivateFile } from '../io.js';

export const DEFAULT_SENDMAIL = '/usr/sbin/sendmail';
export const DEFAULT_NOTIFY_RECORD = '/var/lib/pwguard/notified.jsonl';

export interface NotifyCliOptions {
  /** A template file, or true for the built-in template. */
  notify?: string | true;
  notifyDir?: string;
  notifyRecord?: string;
  notifyAgain?: boolean;
  mailDomain?: string;
  addressFrom: string;
  siteName?: string;
  deadline?: string;
  sendmail: string;
}

export function addNotifyOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--notify [template]', 'mail the users of accounts that need action, from TEMPLATE; dry run unless --apply').default(undefined, 'the built-in template'))
    .option('--notify-dir <dir>', 'with --notify: also write every message to DIR (mode 0600) for review')
    .addOption(new Option('--notify-record <file>', 'with --notify: who was told and when (JSON lines, mode 0600)').default(undefined, `pwguard-notified.jsonl next to --output, else ${DEFAULT_NOTIFY_RECORD}`))
    .option('--notify-again', 'with --notify: mail users even when the record says they were told about the same findings')
    .option('--mail-domain <domain>', 'with --notify: the address is USER@DOMAIN')
    .option('--address-from <sources>', 'with --notify: where addresses come from, in order: ldap (the mail attribute), domain (--mail-domain)', 'ldap,domain')
    .addOption(new Option('--site-name <name>', 'with --notify: the site name the message uses').default(undefined, 'this host\'s name'))
    .option('--deadline <date>', 'with --notify: the date by which users should change their password')
    .option('--sendmail <path>', 'with --notify --apply: the sendmail program, run as PATH -t -oi', DEFAULT_SENDMAIL)
    .addHelpText('after', `  pwguard audit --shadow /etc/shadow --notify --mail-domain example.org --notify-dir /root/pwguard-mail
      (review the messages in /root/pwguard-mail, then run it again with --apply to send them)`);
}

export interface NotifySetup {
  readonly template: NotifyTemplate;
  readonly site: string;
  readonly deadline?: string;
  readonly mailDomain?: string;
  readonly from: AddressSource[];
  readonly recordPath: string;
  readonly record: NotifyRecordEntry[];
  readonly dir?: string;
  readonly again: boolean;
  readonly sendmail: string;
}

/** Check every notify option and read the template and the record before the audit starts. */
export function prepareNotify(opts: NotifyCliOptions & { ldap?: string; output?: string; apply?: boolean }): NotifySetup | undefined {
  if (opts.notify === undefined) {
    const stray = (['notifyDir', 'notifyRecord', 'notifyAgain', 'mailDomain', 'siteName', 'deadline'] as const).find((k) => opts[k] !== undefined);
    if (stray) throw new UserError(`--${stray.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} needs --notify`);
    return undefined;
  }
  if (opts.deadline !== undefined && !isOneLine(opts.deadline, 60)) throw new UserError('--deadline: expected one line of at most 60 characters, e.g. 2025-07-01');
  const site = opts.siteName ?? hostname();
  if (!isOneLine(site, 100)) throw new UserError('--site-name: expected one line of at most 100 characters');
  if (opts.mailDomain !== undefined && !isMailDomain(opts.mailDomain)) throw new UserError(`--mail-domain ${opts.mailDomain}: expected a domain name like example.org`);
  const from = addressSources(opts.addressFrom);
  if (!from.some((s) => (s === 'ldap' ? opts.ldap !== undefined : opts.mailDomain !== undefined))) {
    throw new UserError(`--notify needs an address for each user: --mail-domain DOMAIN (USER@DOMAIN)${from.includes('ldap') ? ' or --ldap (the mail attribute)' : ''}`);
  }
  if (!isAbsolute(opts.sendmail)) throw new UserError(`--sendmail ${opts.sendmail}: expected an absolute path, e.g. ${DEFAULT_SENDMAIL}`);
  if (opts.apply) {
    try {
      accessSync(opts.sendmail, constants.X_OK);
    } catch (err) {
      throw new UserError(`--notify --apply: cannot run ${opts.sendmail}: ${(err as NodeJS.ErrnoException).code ?? String(err)} (install a mail server such as postfix, or give --sendmail PATH)`);
    }
  }
  const template = readTemplate(opts.notify, opts.deadline !== undefined);
  const recordPath = opts.notifyRecord ?? (opts.output ? join(dirname(opts.output), 'pwguard-notified.jsonl') : DEFAULT_NOTIFY_RECORD);
  const record = notifyErrors(() => readNotifyRecord(recordPath));
  return {
    template, site, from, recordPath, record, again: opts.notifyAgain === true, sendmail: opts.sendmail,
    ...(opts.deadline !== undefined ? { deadline: opts.deadline } : {}),
    ...(opts.mailDomain !== undefined ? { mailDomain: opts.mailDomain } : {}),
    ...(opts.notifyDir !== undefined ? { dir: opts.notifyDir } : {}),
  };
}

function addressSources(text: string): AddressSource[] {
  const list = text.split(',').map((s) => s.trim());
  for (const s of list) if (s !== 'ldap' && s !== 'domain') throw new UserError(`--address-from ${text}: expected ldap, domain or both in order, e.g. ldap,domain`);
  return [...new Set(list)] as AddressSource[];
}

function readTemplate(notify: string | true, deadline: boolean): NotifyTemplate {
  if (notify === true) return notifyErrors(() => parseNotifyTemplate(DEFAULT_NOTIFY_TEMPLATE, 'built-in template', { deadline }));
  return notifyErrors(() => parseNotifyTemplate(readTextFile(notify, 'notify template'), notify, { deadline }));
}

function notifyErrors<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof NotifyError) throw new UserError(err.message);
    throw err;
  }
}

/** Plan, write for review, and (with apply) send. Returns how many messages could not be sent. */
export async function runNotify(setup: NotifySetup, report: AuditReport, accounts: readonly Account[], apply: boolean): Promise<number> {
  const now = new Date();
  const info = new Map<string, NotifyAccountInfo>(accounts.map((a) => [a.user, accountInfo(a)]));
  const { messages, skipped } = notifyErrors(() => planNotify(report, info, setup.record, {
    template: setup.template, site: setup.site, from: setup.from, again: setup.again, now,
    ...(setup.deadline !== undefined ? { deadline: setup.deadline } : {}),
    ...(setup.mailDomain !== undefined ? { mailDomain: setup.mailDomain } : {}),
  }));
  const say = (line: string): void => {
    process.stderr.write(`${line}\n`);
  };
  if (setup.dir !== undefined) writeForReview(setup.dir, messages.map((m) => m.text), messages.map((m) => m.user));
  if (!apply) {
    say(`notify (dry run; add --apply to send through ${setup.sendmail}): ${messages.length} message(s), ${skipped.length} account(s) not mailed`);
    for (const m of messages) say(`  would mail: ${m.user} <${m.to}>`);
    for (const s of skipped) say(`  not mailed: ${shown(s.user)}: ${s.reason}`);
    if (setup.dir !== undefined) say(`  the messages are in ${setup.dir} for review`);
    return 0;
  }
  let failed = 0;
  for (const m of messages) {
    try {
      await sendMail(setup.sendmail, m.text);
    } catch (err) {
      failed++;
      say(`notify: FAILED: ${m.user} <${m.to}>: ${(err as Error).message}`);
      continue;
    }
    notifyErrors(() => appendNotifyRecord(setup.recordPath, { at: new Date().toISOString(), user: m.user, to: m.to, findings: m.digest, codes: m.codes }));
    say(`notify: sent: ${m.user} <${m.to}>`);
  }
  for (const s of skipped) say(`notify: not mailed: ${shown(s.user)}: ${s.reason}`);
  say(`notify: ${messages.length - failed} sent, ${failed} failed, ${skipped.length} not mailed; record: ${setup.recordPath}`);
  return failed;
}

/** A user name as printed: one that could break the line (CR, LF, escapes) is quoted. */
function shown(user: string): string {
  return /[\u0000-\u001f\u007f]/.test(user) ? JSON.stringify(user) : user;
}

function accountInfo(a: Account): NotifyAccountInfo {
  const fullName = a.gecos?.split(',')[0]?.trim();
  return { ...(a.mail !== undefined ? { mail: a.mail } : {}), ...(fullName ? { fullName } : {}) };
}

function writeForReview(dir: string, texts: readonly string[], users: readonly string[]): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw new UserError(`--notify-dir ${dir}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  texts.forEach((text, i) => writePrivateFile(join(dir, messageFileName(i, users[i] as string)), text));
}
