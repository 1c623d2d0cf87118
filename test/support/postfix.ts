// A throwaway Postfix for tests: its own config, queue and mailboxes in one temp dir, never the
// system's /etc/postfix. Messages come in through Postfix's real sendmail (postdrop, pickup,
// cleanup, qmgr) and the virtual(8) agent delivers every recipient in `domains` to one Maildir,
// so a test reads what an MTA really delivered (with Delivered-To: the envelope recipient). No
// network: nothing listens, and any other domain bounces.
//
//   const mta = await startPostfix({ domains: ['example.org'] });
//   spawn('pwguard', [...], { env: { ...mta.env } })     // MAIL_CONFIG points sendmail at it
//   const mails = await mta.waitForMessages(3);
//   await mta.stop();
//
// Needs the Debian package postfix (its postinst starts nothing here: policy-rc.d, no systemd).
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SENDMAIL = '/usr/sbin/sendmail';

export interface DeliveredMail {
  readonly file: string;
  /** Header names in lower case; folded lines unfolded. The first of each name. */
  readonly headers: ReadonlyMap<string, string>;
  readonly body: string;
  readonly raw: string;
}

export interface Postfix {
  readonly dir: string;
  /** Environment for a process whose /usr/sbin/sendmail should deliver here. */
  readonly env: { MAIL_CONFIG: string };
  /** Every message delivered so far, oldest first. */
  messages(): DeliveredMail[];
  /** Wait until at least n messages have been delivered (the test's timeout is the bound). */
  waitForMessages(n: number): Promise<DeliveredMail[]>;
  stop(): Promise<void>;
}

/** Why Postfix tests cannot run here, or undefined when they can. */
export function postfixMissing(): string | undefined {
  if (process.getuid?.() !== 0) return 'a throwaway Postfix needs root (postfix -c DIR start-fg)';
  for (const b of ['/usr/sbin/postfix', SENDMAIL, '/usr/sbin/postdrop']) if (!existsSync(b)) return `${b} is missing (Debian package postfix)`;
  try {
    execFileSync('id', ['-u', 'postfix'], { stdio: 'ignore' });
  } catch {
    return 'no postfix user (Debian package postfix)';
  }
  return undefined;
}

function uidOf(user: string): number {
  return Number(execFileSync('id', ['-u', user]).toString().trim());
}

function mainCf(w: string, domains: readonly string[]): string {
  return `# throwaway config written by test/support/postfix.ts
compatibility_level = 3.6
queue_directory = ${w}/queue
data_directory = ${w}/data
mail_owner = postfix
setgid_group = postdrop
myhostname = pwguard-test.invalid
mydestination =
inet_interfaces = loopback-only
alias_maps =
alias_database =
virtual_mailbox_domains = ${domains.join(' ')}
virtual_mailbox_base = ${w}/mail
virtual_mailbox_maps = static:inbox/
virtual_uid_maps = static:${uidOf('nobody')}
virtual_gid_maps = static:${uidOf('nobody')}
maillog_file = ${w}/maillog
maillog_file_prefixes = ${w}
default_transport = error:this test delivers no outside mail
`;
}

// No smtpd: mail comes in only through sendmail. Nothing chrooted: the queue is in a temp dir.
const MASTER_CF = `# throwaway config written by test/support/postfix.ts
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
proxymap  unix  -       -       n       -       -       proxymap
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
virtual   unix  -       n       n       -       -       virtual
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
`;

export async function startPostfix(options: { domains: readonly string[] }): Promise<Postfix> {
  const missing = postfixMissing();
  if (missing) throw new Error(missing);
  const w = mkdtempSync(join(tmpdir(), 'pwguard-postfix-'));
  chmodSync(w, 0o755); // the daemons run as postfix and nobody: they must reach the queue and mailbox
  const conf = join(w, 'conf');
  for (const d of ['conf', 'queue', 'data', 'mail']) mkdirSync(join(w, d));
  chownSync(join(w, 'data'), uidOf('postfix'), -1);
  chownSync(join(w, 'mail'), uidOf('nobody'), -1);
  writeFileSync(join(conf, 'main.cf'), mainCf(w, options.domains));
  writeFileSync(join(conf, 'master.cf'), MASTER_CF);
  const env = { MAIL_CONFIG: conf };
  // `check` creates the queue directories, so sendmail can queue before the daemons are up.
  execFileSync('/usr/sbin/postfix', ['-c', conf, 'check'], { stdio: 'pipe' });
  const child = spawn('/usr/sbin/postfix', ['-c', conf, 'start-fg'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (b: Buffer) => (output += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (output += b.toString()));
  const exited = new Promise<void>((r) => child.once('close', () => r()));
  const inbox = join(w, 'mail', 'inbox', 'new');

  const messages = (): DeliveredMail[] => {
    if (!existsSync(inbox)) return [];
    return readdirSync(inbox).sort((a, b) => deliveredAt(a) - deliveredAt(b)).map((f) => parseMail(join(inbox, f)));
  };
  const log = (): string => `${output}${existsSync(join(w, 'maillog')) ? readFileSync(join(w, 'maillog'), 'utf8').slice(-3000) : ''}`;

  return {
    dir: w,
    env,
    messages,
    async waitForMessages(n) {
      for (;;) {
        const got = messages();
        if (got.length >= n) return got;
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`postfix stopped with ${got.length} of ${n} messages delivered:\n${log()}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        execFileSync('/usr/sbin/postfix', ['-c', conf, 'stop'], { stdio: 'ignore' });
        await exited;
      }
      rmSync(w, { recursive: true, force: true });
    },
  };
}

/** Postfix's Maildir names: SECONDS.V<dev>I<inode>M<microseconds>.host */
function deliveredAt(name: string): number {
  return Number(name.split('.')[0]) * 1e6 + Number(/M(\d+)/.exec(name)?.[1] ?? 0);
}

function parseMail(file: string): DeliveredMail {
  const raw = readFileSync(file, 'utf8');
  const cut = raw.indexOf('\n\n');
  const headers = new Map<string, string>();
  for (const h of raw.slice(0, cut).replace(/\n[ \t]+/g, ' ').split('\n')) {
    const i = h.indexOf(':');
    const name = h.slice(0, i).toLowerCase();
    if (!headers.has(name)) headers.set(name, h.slice(i + 1).trim());
  }
  return { file, headers, body: raw.slice(cut + 2), raw };
}
