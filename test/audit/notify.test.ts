// pwguard audit --notify as an administrator runs it: the built CLI audits the bundled sample (and a
// real slapd) and hands its messages to Postfix's own /usr/sbin/sendmail, pointed by MAIL_CONFIG at
// a throwaway Postfix (test/support/postfix.ts) that delivers them to a Maildir. What arrived is
// what is checked: one message per account that needs action, to the right address, no password,
// no hash, no guess source; a re-run mails nobody again.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { postfixMissing, SENDMAIL, startPostfix, type DeliveredMail, type Postfix } from '../support/postfix.js';
import { slappasswd, slapdMissing, startSlapd, type Slapd } from '../support/slapd.js';

jest.setTimeout(300_000);

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = join(root, 'packages', 'cli', 'dist', 'main.js');
const S = join(root, 'packages', 'audit', 'samples');
const tmp = mkdtempSync(join(tmpdir(), 'pwguard-notify-cli-'));

// The planted passwords of packages/audit/samples/make-samples.sh, and every stored hash.
const PLANTED_PASSWORDS = ['alice123', 'password1', 'letmein', 'Walker1', 'qwerty', 'dragon', 'sunshine', 'iloveyou', 'monkey'];
const HASHES = ['shadow', 'htpasswd'].flatMap((f) => readFileSync(join(S, f), 'utf8').split('\n'))
  .map((l) => l.split(':')[1]?.replace(/^!/, '') ?? '').filter((h) => h.length > 8);
const sample = ['--shadow', join(S, 'shadow'), '--passwd', join(S, 'passwd'), '--htpasswd', join(S, 'htpasswd'), '--max-guesses', '60', '-j', '2'];

interface Run { status: number | null; stdout: string; stderr: string }

function pwguard(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', PWGUARD_CONFIG: '', ...env } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    p.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    p.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

interface Acct { user: string; state: string; weak: boolean; needsAction: boolean; found: unknown }

function expectNothingSecret(mail: DeliveredMail): void {
  for (const pw of PLANTED_PASSWORDS) expect(mail.raw).not.toContain(pw);
  for (const h of HASHES) expect(mail.raw).not.toContain(h);
  expect(mail.raw).not.toMatch(/\$(y|1|5|6|2b|2y|apr1)\$|\{SHA\}|common password|wordlist|context|#\d/);
}

const missing = postfixMissing();
const withPostfix = missing ? describe.skip : describe;
if (missing) process.stderr.write(`test/audit/notify.test.ts: Postfix tests skipped: ${missing}\n`);

withPostfix('pwguard audit --notify --apply through a real Postfix', () => {
  let mta: Postfix;
  beforeAll(async () => {
    mta = await startPostfix({ domains: ['example.org', 'mail.example.net'] });
  });
  afterAll(async () => {
    await mta?.stop();
  });

  /** Send one marker message and wait for it: everything queued before it has been delivered. */
  async function drain(): Promise<DeliveredMail[]> {
    const before = mta.messages().length;
    execFileSync(SENDMAIL, ['-t', '-oi'], { input: `To: marker@example.org\nSubject: marker ${before}\n\nmarker\n`, env: { ...process.env, ...mta.env } });
    const all = await mta.waitForMessages(before + 1);
    return all.filter((m) => !m.headers.get('subject')?.startsWith('marker'));
  }

  const out = join(tmp, 'sample', 'report.json');
  const run = (): Promise<Run> => {
    execFileSync('mkdir', ['-p', dirname(out)]);
    return pwguard(['audit', ...sample, '--format', 'json', '--output', out, '--notify', '--mail-domain', 'example.org', '--site-name', 'Example Lab', '--deadline', '1 July 2025', '--apply'], mta.env);
  };

  it('mails each account that needs action once, to USER@DOMAIN, with no password, hash or guess source', async () => {
    const r = await run();
    expect(r.status).toBe(1);
    const report = JSON.parse(readFileSync(out, 'utf8')) as { accounts: Acct[] };
    const told = report.accounts.filter((a) => a.needsAction && (a.state === 'active' || a.state === 'no_password')).map((a) => a.user);
    const weakActive = report.accounts.filter((a) => a.weak && a.state !== 'locked' && a.state !== 'expired').map((a) => a.user);
    expect(weakActive.length).toBeGreaterThanOrEqual(5);
    expect(told).toEqual(expect.arrayContaining(weakActive));
    const notTold = report.accounts.filter((a) => a.needsAction && !told.includes(a.user)).map((a) => a.user);
    expect(notTold).toContain('grace');
    expect(r.stderr).toContain(`notify: ${told.length} sent, 0 failed, ${notTold.length} not mailed; record: ${join(dirname(out), 'pwguard-notified.jsonl')}\n`);
    expect(r.stderr).toContain('notify: not mailed: grace: the account is locked: its user cannot log in to change the password\n');

    const mails = await drain();
    expect(mails.map((m) => m.headers.get('delivered-to')).sort()).toEqual(told.map((u) => `${u}@example.org`).sort());
    for (const m of mails) {
      const user = (m.headers.get('delivered-to') ?? '').split('@')[0] as string;
      expect(m.headers.get('to')).toBe(`${user}@example.org`);
      expect(m.headers.get('subject')).toBe('Example Lab: please change your password');
      expect(m.headers.get('auto-submitted')).toBe('auto-generated');
      expect(m.body).toContain(`password of your account "${user}":\n\n- `);
      expect(m.body).toContain('Please choose a new password by 1 July 2025.');
      expectNothingSecret(m);
    }
    const erin = mails.find((m) => m.headers.get('delivered-to') === 'erin@example.org');
    expect(erin?.body).toMatch(/^Hello Erin Walker,\n/);
    expect(erin?.body).toContain('- Your password was guessed: it is among those attackers try first.\n');

    const record = join(dirname(out), 'pwguard-notified.jsonl');
    expect(statSync(record).mode & 0o777).toBe(0o600);
    const lines = readFileSync(record, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { user: string; to: string; findings: string });
    expect(lines.map((l) => l.user).sort()).toEqual([...told].sort());
    for (const pw of PLANTED_PASSWORDS) expect(readFileSync(record, 'utf8')).not.toContain(pw);
  });

  it('a re-run mails nobody again', async () => {
    const before = (await drain()).length;
    const r = await run();
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/\nnotify: 0 sent, 0 failed, \d+ not mailed; record: /);
    expect(r.stderr).toMatch(/notify: not mailed: alice: already told on \d{4}-\d\d-\d\dT[\d:.]+Z about the same findings \(--notify-again mails anyway\)\n/);
    expect((await drain()).length).toBe(before);
  });

  it('sendmail refusing a message: the error, exit 2, and no record line for it', async () => {
    const fake = join(tmp, 'refusing-sendmail');
    writeFileSync(fake, '#!/bin/sh\ncat >/dev/null\necho "sendmail: fatal: queue file write error" >&2\nexit 75\n', { mode: 0o755 });
    const record = join(tmp, 'refused.jsonl');
    const r = await pwguard(['audit', '--htpasswd', join(S, 'htpasswd'), '--max-guesses', '20', '--format', 'json', '--notify', '--mail-domain', 'example.org', '--notify-record', record, '--sendmail', fake, '--apply']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`notify: FAILED: web1 <web1@example.org>: ${fake} exited with status 75: sendmail: fatal: queue file write error\n`);
    expect(existsSync(record)).toBe(false);
  });

  const ldapMissing = slapdMissing();
  (ldapMissing ? it.skip : it)(`the LDAP mail attribute is the address, and it stays out of the report${ldapMissing ? ` (skipped: ${ldapMissing})` : ''}`, async () => {
    let ldap: Slapd | undefined;
    try {
      ldap = await startSlapd({
        users: [
          { uid: 'ann', cn: 'Ann Lee', mail: 'ann.lee@mail.example.net', userPassword: [slappasswd('{SSHA}', 'password')] },
          { uid: 'ben', userPassword: [slappasswd('{SHA}', 'monkey')] },
          // strong, and stored well: nothing to tell
          { uid: 'kim', cn: 'Kim Park', mail: 'kim.park@mail.example.net', userPassword: [`{CRYPT}${execFileSync('mkpasswd', ['-m', 'sha-512', 'Zz-9-strong-enough-Qa']).toString().trim()}`] },
        ],
      });
      const before = (await drain()).length;
      const record = join(tmp, 'ldap.jsonl');
      const r = await pwguard(['audit', '--ldap', ldap.url, '--base', ldap.suffix, '--ca-file', ldap.caFile, '--bind-dn', ldap.auditDn, '--bind-password-file', ldap.auditPasswordFile,
        '--max-guesses', '100', '--no-judge', '--format', 'json', '--notify', '--address-from', 'ldap', '--notify-record', record, '--apply'], mta.env);
      expect(r.status).toBe(1);
      expect(r.stdout).not.toContain('mail.example.net');
      expect(r.stderr).toContain('notify: sent: ann <ann.lee@mail.example.net>\n');
      expect(r.stderr).toContain('notify: not mailed: ben: no address (no LDAP mail)\n');
      const mails = (await drain()).slice(before);
      expect(mails.map((m) => m.headers.get('delivered-to'))).toEqual(['ann.lee@mail.example.net']);
      expect(mails[0]?.body).toMatch(/^Hello Ann Lee,\n/);
      expect(mails[0]?.raw).not.toMatch(/\{SSHA\}|\{SHA\}|monkey/);
    } finally {
      await ldap?.stop();
    }
  });
});

describe('pwguard audit --notify, dry run and bad input (no mail server needed)', () => {
  const ht = ['audit', '--htpasswd', join(S, 'htpasswd'), '--max-guesses', '20', '--format', 'json'];

  it('a dry run lists who would be mailed and writes the messages for review, sending nothing', async () => {
    const dir = join(tmp, 'review');
    const record = join(tmp, 'dry.jsonl');
    const r = await pwguard([...ht, '--notify', '--mail-domain', 'example.org', '--site-name', 'Example Lab', '--notify-dir', dir, '--notify-record', record, '--sendmail', '/nonexistent/sendmail']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe([
      'notify (dry run; add --apply to send through /nonexistent/sendmail): 4 message(s), 0 account(s) not mailed',
      '  would mail: bob <bob@example.org>', '  would mail: web1 <web1@example.org>', '  would mail: web2 <web2@example.org>', '  would mail: web3 <web3@example.org>',
      `  the messages are in ${dir} for review`, '',
    ].join('\n'));
    expect(readdirSync(dir).sort()).toEqual(['001-bob.eml', '002-web1.eml', '003-web2.eml', '004-web3.eml']);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const web1 = readFileSync(join(dir, '002-web1.eml'), 'utf8');
    expect(statSync(join(dir, '002-web1.eml')).mode & 0o777).toBe(0o600);
    expect(web1).toMatch(/^To: web1@example.org\nSubject: Example Lab: please change your password\n/);
    expect(web1).not.toMatch(/iloveyou|\$apr1\$|common password|#\d/);
    expect(existsSync(record)).toBe(false);
  });

  it.each([
    [['--notify', join(tmp, 'no-such-template'), '--mail-domain', 'example.org'], `pwguard: cannot read notify template ${join(tmp, 'no-such-template')}: ENOENT`],
    [['--notify'], 'pwguard: --notify needs an address for each user: --mail-domain DOMAIN (USER@DOMAIN) or --ldap (the mail attribute)'],
    [['--notify', '--mail-domain', 'exa mple.org'], 'pwguard: --mail-domain exa mple.org: expected a domain name like example.org'],
    [['--notify', '--mail-domain', 'example.org', '--address-from', 'ldap'], 'pwguard: --notify needs an address for each user: --mail-domain DOMAIN (USER@DOMAIN) or --ldap (the mail attribute)'],
    [['--notify', '--mail-domain', 'example.org', '--address-from', 'nis'], 'pwguard: --address-from nis: expected ldap, domain or both in order, e.g. ldap,domain'],
    [['--notify', '--mail-domain', 'example.org', '--sendmail', 'sendmail'], 'pwguard: --sendmail sendmail: expected an absolute path, e.g. /usr/sbin/sendmail'],
    [['--notify', '--mail-domain', 'example.org', '--sendmail', '/nonexistent/sendmail', '--apply'], 'pwguard: --notify --apply: cannot run /nonexistent/sendmail: ENOENT (install a mail server such as postfix, or give --sendmail PATH)'],
    [['--mail-domain', 'example.org'], 'pwguard: --mail-domain needs --notify'],
    [['--apply'], 'pwguard: --apply only goes with --expire or --notify'],
  ])('%j: one line, exit 2, before any guessing', async (args, message) => {
    const r = await pwguard([...ht, ...args]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`${message}\n`);
    expect(r.stdout).toBe('');
  });

  it('a template error names the file and the line', async () => {
    const t = join(tmp, 'bad-template.txt');
    writeFileSync(t, 'To: {to}\nSubject: {site}\n\nHello {username},\n');
    const r = await pwguard([...ht, '--notify', t, '--mail-domain', 'example.org']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`pwguard: ${t}:4: unknown placeholder {username} (known: user, to, site, count, deadline, name, findings, action)\n`);
  });
});
