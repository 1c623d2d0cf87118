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

/** What a shadow(5) password field says: the account state, and the hash in it, if any. */
export interface ShadowField {
  /** no_password: the empty field (login without a password); locked: `!`, `!!`, `*`, `*LK*`, `!`+hash. */
  readonly state: 'active' | 'locked' | 'no_password';
  /** The stored hash to judge: the whole field, or the one kept behind `!` (unlocking brings it back). */
  readonly hash: string | null;
}

/** The one reading of a shadow password field: the audit and `hash identify --source shadow` share it. */
export function shadowField(pw: string): ShadowField {
  if (pw === '') return { state: 'no_password', hash: null };
  if (!pw.startsWith('!') && !pw.startsWith('*')) return { state: 'active', hash: pw };
  const rest = pw.replace(/^!+/, '');
  // `!` + a real hash: locked, but unlocking (usermod -U) brings the old password back.
  const kept = pw.startsWith('!') && rest !== '' && !rest.startsWith('*');
  return { state: 'locked', hash: kept ? rest : null };
}

function shadowAccount(user: string, f: string[], source: SourceRef, now: Date): RawAccount {
  const pw = f[1] as string;
  const credentials: Credential[] = [];
  const flags: AccountFlag[] = [];
  const field = shadowField(pw);
  if (field.state !== 'active') flags.push({ flag: field.state, source });
  if (field.hash !== null) credentials.push({ source, stored: field.hash, attribute: 'shadow', ...(field.state === 'locked' ? { locked: true } : {}) });
  if (f[2] === '0') flags.push({ flag: 'must_change', source });
  const expire = f[7] as string;
  if (expire !== '' && Number(expire) * DAY_MS <= now.getTime()) {
    flags.push({ flag: 'expired', source, date: new Date(Number(expire) * DAY_MS).toISOString().slice(0, 10) });
  }
  const lastChange = Number(f[2]);
  return { user, source, credentials, flags, ...(f[2] !== '' && lastChange > 0 ? { lastChangeDays: lastChange } : {}) };
}
