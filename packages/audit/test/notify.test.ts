// Composing the messages that tell users, the record of who was told, and the hand-over to
// sendmail. The real MTA is in test/audit/notify.test.ts; here the pure parts and their edges:
// header injection, template errors that name file and line, nothing secret in a message.
import { describe, expect, it } from '@jest/globals';
import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  addressFor, appendNotifyRecord, DEFAULT_NOTIFY_TEMPLATE, finding, findingDigest, findingKeys, FINDINGS, isPlainAddress, messageFileName,
  NOTIFY_TEXT, NotifyError, parseNotifyTemplate, planNotify, readNotifyRecord, sendMail, summarize,
  type AccountReport, type AuditReport, type FindingCode, type NotifyPlanOptions,
} from '@pwguard/audit';

const tmp = mkdtempSync(join(tmpdir(), 'pwguard-notify-'));
const NOW = new Date('2025-03-04T05:06:07Z');
const template = parseNotifyTemplate(DEFAULT_NOTIFY_TEMPLATE, 'built-in template', { deadline: false });
const opts: NotifyPlanOptions = { template, site: 'Example Lab', from: ['ldap', 'domain'], mailDomain: 'example.org', now: NOW };

function account(user: string, over: Partial<AccountReport> = {}): AccountReport {
  const findings = over.findings ?? [
    finding('weak_password', { how: 'wordlist /etc/pwguard/site-words.txt', rankText: ' #12', foundBy: 'wordlist', rank: 12 }),
    finding('policy_rejects', { reasons: 'too short, breached', reasonCodes: ['too_short', 'breached'] }),
  ];
  return {
    user, sources: ['shadow:/etc/shadow:3'], state: 'active', weak: true, needsAction: true,
    found: { how: 'wordlist', rank: 12, list: '/etc/pwguard/site-words.txt', attribute: 'shadow', password: 'Hunter2secret' },
    coverage: { tried: 12, planned: 2000, complete: true }, findings, ...over,
  };
}

function report(accounts: AccountReport[]): AuditReport {
  return {
    schema: 'pwguard-audit/1', generatedAt: NOW.toISOString(), shard: null, passwordsShown: true,
    summary: summarize(accounts, { guessesTried: 1, seconds: 1, stopReason: null, maxGuesses: 2000, guessLists: ['common'] }, 0),
    accounts, problems: [],
  };
}

describe('the built-in template', () => {
  it('is the one docs/audit.md shows', () => {
    const doc = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'docs', 'audit.md'), 'utf8');
    expect(/The built-in template:\n\n```\n([\s\S]*?)```\n/.exec(doc)?.[1]).toBe(DEFAULT_NOTIFY_TEMPLATE);
  });
});

describe('NOTIFY_TEXT', () => {
  it('is the table docs/audit.md shows', () => {
    const doc = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'docs', 'audit.md'), 'utf8');
    for (const [code, text] of Object.entries(NOTIFY_TEXT)) {
      if (text !== null) expect(doc).toContain(`| \`${code}\` | ${text.replace('{count} other {count|account|accounts}', '2 other accounts')} |`);
    }
  });


  it('has words for every finding that needs action, and none for the others', () => {
    for (const code of Object.keys(FINDINGS) as FindingCode[]) {
      expect([code, NOTIFY_TEXT[code] !== null]).toEqual([code, FINDINGS[code].action]);
    }
  });
});

describe('planNotify', () => {
  it('one message per account that needs action, to the LDAP mail first, else user@domain', () => {
    const r = report([account('alice'), account('bob'), account('carol', { needsAction: false, weak: false, findings: [] })]);
    const { messages, skipped } = planNotify(r, new Map([['bob', { mail: 'Bob.Smith@mail.example.net', fullName: 'Bob Smith' }]]), [], opts);
    expect(messages.map((m) => [m.user, m.to])).toEqual([['alice', 'alice@example.org'], ['bob', 'Bob.Smith@mail.example.net']]);
    expect(skipped).toEqual([]);
    const bob = messages[1]?.text ?? '';
    expect(bob).toMatch(/^To: Bob.Smith@mail.example.net\nSubject: Example Lab: please change your password\n/);
    expect(bob).toContain('\nDate: Tue, 04 Mar 2025 05:06:07 +0000\n');
    expect(bob).toContain('\nContent-Type: text/plain; charset=utf-8\n');
    expect(bob).toContain('Hello Bob Smith,');
    expect(bob).toContain('found 2 problems with the\npassword of your account "bob":\n\n- Your password was guessed');
    expect(bob).toContain('\n- Your password would not pass the password rules in force today.\n\nPlease choose a new password soon.\n');
    expect(messages[0]?.text).toContain('Hello alice,');
  });

  it('never says the password, the guess source, the rank, or who shares the password', () => {
    const shared = finding('shared_password', { count: 2, users: 'mallory, trent', sharedWith: ['mallory', 'trent'] });
    const r = report([account('alice', { findings: [...account('x').findings, shared] })]);
    const [m] = planNotify(r, new Map(), [], opts).messages;
    expect(m?.text).toContain('- The same password is set on 2 other accounts.');
    const [leaked] = planNotify(report([account('bob', { findings: [finding('breached_hash', { count: 12345 })] })]), new Map(), [], opts).messages;
    expect(leaked?.text).toContain('found 1 problem with the\npassword of your account "bob":\n\n- Your password is in lists of passwords leaked in data breaches, which\n  attackers try first.\n\n');
    expect(leaked?.text).not.toMatch(/12,?345/);
    for (const secret of ['Hunter2secret', 'site-words', 'wordlist', '#12', '12', 'mallory', 'trent', 'too short', 'breached']) expect(m?.text).not.toContain(secret);
  });

  it('skips locked and expired accounts, and accounts with no usable address, saying why', () => {
    const r = report([
      account('grace', { state: 'locked' }),
      account('trent', { state: 'expired' }),
      account('nomail'),
      account('eve\r\nBcc: all@example.org'),
      account('a,b'),
      account('ldapbad'),
    ]);
    const info = new Map([['ldapbad', { mail: 'eve@example.org\r\nBcc: all@example.org' }]]);
    const { messages, skipped } = planNotify(r, info, [], { ...opts, from: ['ldap'] });
    expect(messages).toEqual([]);
    expect(skipped).toEqual([
      { user: 'grace', reason: 'the account is locked: its user cannot log in to change the password' },
      { user: 'trent', reason: 'the account has expired: its user cannot log in to change the password' },
      { user: 'nomail', reason: 'no address (no LDAP mail)' },
      { user: 'eve\r\nBcc: all@example.org', reason: 'the user name contains a line break' },
      { user: 'a,b', reason: 'the user name is not a plain name (letters, digits, . _ - and the like)' },
      { user: 'ldapbad', reason: 'its LDAP mail is not a plain address (local@domain)' },
    ]);
  });

  it('does not mail the same user about the same findings twice, unless told to', () => {
    const r = report([account('alice'), account('bob')]);
    const first = planNotify(r, new Map(), [], opts).messages;
    const record = first.filter((m) => m.user === 'alice').map((m) => ({ at: '2025-03-01T00:00:00.000Z', user: m.user, to: m.to, findings: m.digest, codes: m.codes }));
    const again = planNotify(r, new Map(), record, opts);
    expect(again.messages.map((m) => m.user)).toEqual(['bob']);
    expect(again.skipped).toEqual([{ user: 'alice', reason: 'already told on 2025-03-01T00:00:00.000Z about the same findings (--notify-again mails anyway)' }]);
    expect(planNotify(r, new Map(), record, { ...opts, again: true }).messages.map((m) => m.user)).toEqual(['alice', 'bob']);
    // a new finding is news
    const more = report([account('alice', { findings: [...account('x').findings, finding('storage', { issue: 'md5crypt', scheme: 'md5crypt', issueText: '' })] })]);
    expect(planNotify(more, new Map(), record, opts).messages.map((m) => m.user)).toEqual(['alice']);
  });

  it('a deadline goes into {action} and {deadline}', () => {
    const t = parseNotifyTemplate('To: {to}\nSubject: by {deadline}\n\n{action}\n', 't.txt', { deadline: true });
    const [m] = planNotify(report([account('alice')]), new Map(), [], { ...opts, template: t, deadline: '1 July 2025' }).messages;
    expect(m?.text).toMatch(/^To: alice@example.org\nSubject: by 1 July 2025\n/);
    expect(m?.text).toMatch(/\n\nPlease choose a new password by 1 July 2025.\n$/);
  });

  it('a non-ASCII subject and display name are RFC 2047-encoded', () => {
    const t = parseNotifyTemplate('From: {site} <it@example.org>\nTo: {user} <{to}>\nSubject: {site}: mot de passe\n\nbody\n', 't.txt', { deadline: false });
    const [m] = planNotify(report([account('alice')]), new Map(), [], { ...opts, template: t, site: 'Société Générale des Mots de Passe Étonnamment Longs' }).messages;
    const headers = (m?.text ?? '').split('\n\n')[0] as string;
    expect(headers).toMatch(/^[\x20-\x7e\n]*$/);
    expect(headers).toContain('To: alice <alice@example.org>\n');
    const words = (name: string): string => {
      const v = /* the header and its folded lines */ new RegExp(`^${name}: ((?:.*)(?:\\n .*)*)`, 'm').exec(headers)?.[1] ?? '';
      return v.replace(/=\?UTF-8\?B\?([^?]*)\?=\s*/g, (_m, b64: string) => Buffer.from(b64, 'base64').toString('utf8'));
    };
    expect(words('Subject')).toBe('Société Générale des Mots de Passe Étonnamment Longs: mot de passe');
    expect(words('From')).toBe('Société Générale des Mots de Passe Étonnamment Longs<it@example.org>');
    for (const line of headers.split('\n')) expect(line.length).toBeLessThanOrEqual(78);
  });
});

describe('parseNotifyTemplate: errors name the file and the line', () => {
  const bad: Array<[string, string, boolean?]> = [
    ['To: {to}\nSubject: x\n\nHello {usr}\n', 't.txt:4: unknown placeholder {usr} (known: user, to, site, count, deadline, name, findings, action)'],
    ['To: {to}\nSubject: {findings}\n\nx\n', 't.txt:2: {findings} may only be used in the body'],
    ['To: {to}\nSubject: x\n\nby {deadline}\n', 't.txt:4: the template uses {deadline} but no --deadline was given'],
    ['Subject: x\n\nbody\n', 't.txt: no To: header (sendmail -t takes the recipient from To:)'],
    ['To: {to}\n\nbody\n', 't.txt: no Subject: header (sendmail -t takes the recipient from To:)'],
    ['To: {to}\nSubject: x', 't.txt: no empty line between the headers and the body'],
    ['To: {to}\nSubject: x\nbody\n', 't.txt:3: not a header line ("Name: value"); the headers end at the first empty line'],
    ['To: {to}\nnot a header\n\nbody\n', 't.txt:2: not a header line ("Name: value"); the headers end at the first empty line'],
    ['\nHello\n', 't.txt:1: the template starts with headers (To:, Subject:), then an empty line, then the body'],
    ['To: {to}\nSubject: x\n\n{user|one|other}\n', 't.txt:4: template value "user" must be a number to choose "one" or "other"'],
  ];
  it.each(bad)('%j', (text, message) => {
    expect(() => parseNotifyTemplate(text, 't.txt', { deadline: false })).toThrow(new NotifyError(message));
  });

  it('folded header lines and CRLF files are read', () => {
    const t = parseNotifyTemplate('To: {to}\r\nSubject: a long\r\n  subject\r\n\r\nbody\r\n', 't.txt', { deadline: false });
    expect(t.headers.map((h) => h.text)).toEqual(['To: {to}', 'Subject: a long\n  subject']);
    const [m] = planNotify(report([account('alice')]), new Map(), [], { ...opts, template: t }).messages;
    expect(m?.text).toMatch(/^To: alice@example.org\nSubject: a long  subject\n/);
  });
});

describe('addresses', () => {
  it.each([
    ['alice@example.org', true], ['a.b+c@mail.example.org', true], ["o'brien@example.org", true], ['alice@localhost', true],
    ['alice', false], ['@example.org', false], ['alice@example.org.', false], ['Alice <alice@example.org>', false], ['"a b"@example.org', false],
    ['a@b.org, c@d.org', false], ['a@b.org\nBcc: c@d.org', false], ['a..b@example.org', false], ['alice@-x.org', false], ['élise@example.org', false],
  ])('%j plain: %j', (address, plain) => {
    expect(isPlainAddress(address)).toBe(plain);
  });

  it('user@domain only when the user name is a plain local part', () => {
    expect(addressFor('alice', undefined, { from: ['domain'], mailDomain: 'example.org' })).toEqual({ address: 'alice@example.org' });
    expect(addressFor('alice', 'a@x.org', { from: ['domain', 'ldap'], mailDomain: 'example.org' })).toEqual({ address: 'alice@example.org' });
    expect(addressFor('.alice', undefined, { from: ['domain'], mailDomain: 'example.org' })).toEqual({ skip: 'the user name is not a plain name (letters, digits, . _ - and the like)' });
    expect(addressFor('alice', undefined, { from: ['ldap', 'domain'] })).toEqual({ skip: 'no address (no LDAP mail, no --mail-domain)' });
  });

  it('file names for review are safe', () => {
    expect(messageFileName(0, 'alice')).toBe('001-alice.eml');
    expect(messageFileName(41, '../x/y$')).toBe('042-.._x_y_.eml');
  });
});

describe('findingKeys / findingDigest', () => {
  it('keys on codes and storage issues, not on the policy reasons or anything about the password', () => {
    const a = account('alice').findings;
    const b = [finding('policy_rejects', { reasons: 'too short', reasonCodes: ['too_short'] }), finding('weak_password', { how: 'common password', rankText: ' #3', foundBy: 'common', rank: 3 })];
    expect(findingKeys(a)).toEqual(['policy_rejects', 'weak_password']);
    expect(findingDigest(findingKeys(a))).toBe(findingDigest(findingKeys(b)));
    expect(findingKeys([finding('storage', { issue: 'low_cost' }), finding('not_found', {}), finding('locked', {})])).toEqual(['storage:low_cost']);
    expect(findingDigest(['weak_password'])).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe('the record', () => {
  it('is created 0600, appended, read back; a looser existing file is tightened', () => {
    const path = join(tmp, 'sub', 'notified.jsonl');
    expect(readNotifyRecord(path)).toEqual([]);
    const e = { at: NOW.toISOString(), user: 'alice', to: 'alice@example.org', findings: 'abcd', codes: ['weak_password'] };
    appendNotifyRecord(path, e);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(tmp, 'sub')).mode & 0o777).toBe(0o700);
    chmodSync(path, 0o644);
    appendNotifyRecord(path, { ...e, user: 'bob' });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readNotifyRecord(path).map((r) => r.user)).toEqual(['alice', 'bob']);
    expect(readFileSync(path, 'utf8').split('\n')[0]).toBe('{"at":"2025-03-04T05:06:07.000Z","user":"alice","to":"alice@example.org","findings":"abcd","codes":["weak_password"]}');
  });

  it('a bad line is an error naming the file and line', () => {
    const path = join(tmp, 'bad.jsonl');
    writeFileSync(path, '{"at":"x","user":"a","findings":"b"}\nnot json\n');
    expect(() => readNotifyRecord(path)).toThrow(new NotifyError(`${path}:2: not a JSON line`));
    writeFileSync(path, '{"user":"a"}\n');
    expect(() => readNotifyRecord(path)).toThrow(new NotifyError(`${path}:1: a record line needs "at", "user" and "findings"`));
  });
});

describe('sendMail', () => {
  const script = (name: string, body: string): string => {
    const p = join(tmp, name);
    writeFileSync(p, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    return p;
  };

  it('runs PATH -t -oi with the message on stdin', async () => {
    const out = join(tmp, 'sink.txt');
    await sendMail(script('sink', `printf '%s\\n' "$*" > ${out}; cat >> ${out}`), 'To: a@example.org\nSubject: s\n\n.\nbody\n');
    expect(readFileSync(out, 'utf8')).toBe('-t -oi\nTo: a@example.org\nSubject: s\n\n.\nbody\n');
  });

  it('a failing or missing sendmail is an error with its status and first line', async () => {
    await expect(sendMail(script('fail', 'cat >/dev/null; echo "sendmail: fatal: no queue" >&2; exit 75'), 'x')).rejects.toThrow(new NotifyError(`${join(tmp, 'fail')} exited with status 75: sendmail: fatal: no queue`));
    await expect(sendMail(join(tmp, 'nonexistent'), 'x')).rejects.toThrow(new NotifyError(`cannot run ${join(tmp, 'nonexistent')}: ENOENT`));
  });
});
