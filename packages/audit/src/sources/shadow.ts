// /etc/shadow and /etc/passwd. Account states are not hashes: an empty field means no password,
// `!`/`!!`/`*`/`*LK*` mean no password login, `!`+hash is locked but the hash is still audited.
import type { AccountFlag, Credential, RawAccount, SourceRef } from '../account.js';
import { numberedLines, type SourceProblem } from './problems.js';

export interface ParsedSource {
  readonly accounts: RawAccount[];
  readonly problems: SourceProblem[];
  /** shadow: every login field read, malformed lines too (to match passwd against). */
  readonly logins?: ReadonlySet<string>;
}

const DAY_MS = 86_400_000;

/** GECOS (full name, room, phones) by login name, and the line of each login, from passwd(5) text. */
export function parsePasswd(text: string, where: string): { gecos: Map<string, string>; users: Map<string, number>; problems: SourceProblem[] } {
  const gecos = new Map<string, string>();
  const users = new Map<string, number>();
  const problems: SourceProblem[] = [];
  for (const { line, text: t } of numberedLines(text)) {
    if (t.trim() === '' || t.startsWith('#')) continue;
    const f = t.split(':');
    const bad = f.length !== 7 || !f[0] ? `expected 7 colon-separated fields, found ${f.length}` : loginProblem(f[0], users);
    if (bad) {
      problems.push({ where, line, message: bad });
      continue;
    }
    users.set(f[0] as string, line);
    if (f[4]) gecos.set(f[0] as string, f[4]);
  }
  return { gecos, users, problems };
}

/**
 * A login field that holds what looks like a stored password (a line that lost its login field)
 * is refused without quoting it: the hash would otherwise become a user name in the report.
 */
function loginProblem(name: string, seen: ReadonlyMap<string, unknown> | ReadonlySet<string>): string | undefined {
  if (/^[{!*]|\$.|\//.test(name)) return 'field 1 is not a login name (it looks like a password hash: is the login field missing?)';
  if (seen.has(name)) return `login name "${name}" appears again (first entry kept)`;
  return undefined;
}

/** Parse shadow(5) text. `now` decides which accounts have expired. */
export function parseShadow(
  text: string,
  where: string,
  gecos: ReadonlyMap<string, string> = new Map(),
  now: Date = new Date(),
): ParsedSource {
  const accounts: RawAccount[] = [];
  const problems: SourceProblem[] = [];
  const seen = new Set<string>();
  const logins = new Set<string>();
  for (const { line, text: t } of numberedLines(text)) {
    if (t.trim() === '' || t.startsWith('#')) continue;
    const f = t.split(':');
    logins.add(f[0] as string);
    const bad = shadowLineProblem(f, seen);
    if (bad) {
      problems.push({ where, line, message: bad });
      continue;
    }
    const user = f[0] as string;
    seen.add(user);
    const source: SourceRef = { kind: 'shadow', where, at: line };
    const acct = shadowAccount(user, f, source, now);
    const g = gecos.get(user);
    accounts.push(g ? { ...acct, gecos: g } : acct);
  }
  return { accounts, problems, logins };
}

function shadowLineProblem(f: string[], seen: ReadonlySet<string>): string | undefined {
  if (f.length !== 9) return `expected 9 colon-separated fields, found ${f.length}`;
  if (!f[0]) return 'empty login name';
  const login = loginProblem(f[0], seen);
  if (login) return login;
  const names = ['', '', 'last change', 'minimum age', 'maximum age', 'warning', 'inactivity', 'expiry'];
  for (let i = 2; i <= 7; i++) {
    if (!/^\d*$/.test(f[i] as string)) return `field ${i + 1} (${names[i]}) is not a number of days`;
  }
  return undefined;
}

function shadowAccount(user: string, f: string[], source: SourceRef, now: Date): RawAccount {
  const pw = f[1] as string;
  const credentials: Credential[] = [];
  const flags: AccountFlag[] = [];
  if (pw === '') {
    flags.push({ flag: 'no_password', source });
  } else if (pw.startsWith('!') || pw.startsWith('*')) {
    const rest = pw.replace(/^!+/, '');
    flags.push({ flag: 'locked', source });
    // `!` + a real hash: locked, but unlocking (usermod -U) brings the old password back.
    if (pw.startsWith('!') && rest !== '' && !rest.startsWith('*')) {
      credentials.push({ source, stored: rest, locked: true, attribute: 'shadow' });
    }
  } else {
    credentials.push({ source, stored: pw, attribute: 'shadow' });
  }
  if (f[2] === '0') flags.push({ flag: 'must_change', source });
  const expire = f[7] as string;
  if (expire !== '' && Number(expire) * DAY_MS <= now.getTime()) {
    flags.push({ flag: 'expired', source, date: new Date(Number(expire) * DAY_MS).toISOString().slice(0, 10) });
  }
  const lastChange = Number(f[2]);
  return { user, source, credentials, flags, ...(f[2] !== '' && lastChange > 0 ? { lastChangeDays: lastChange } : {}) };
}
