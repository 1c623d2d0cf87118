// Read every source given for one run. A source that cannot be read stops the run (SourceError);
// a bad line inside a source is reported and the rest is still read.
import type { RawAccount } from '../account.js';
import { parseHtpasswd } from './htpasswd.js';
import { readLdap, type LdapSourceOptions } from './ldap.js';
import { readSourceFile } from './files.js';
import { decodeUtf8, type SourceProblem } from './problems.js';
import { parsePasswd, parseShadow, type ParsedSource } from './shadow.js';

export interface SourceOptions {
  readonly shadow?: string;
  /** GECOS source; defaults to /etc/passwd when the shadow file is /etc/shadow. */
  readonly passwd?: string;
  readonly htpasswd?: readonly string[];
  readonly ldap?: LdapSourceOptions;
  readonly now?: Date;
}

/** passwd and shadow should hold the same logins (pwck(8) checks this too): say where they differ. */
function unmatched(shadow: ParsedSource, shadowPath: string, passwd: ReadonlyMap<string, number>, passwdPath: string): SourceProblem[] {
  const out: SourceProblem[] = [];
  const inShadow = shadow.logins ?? new Set(shadow.accounts.map((a) => a.user));
  for (const a of shadow.accounts) {
    if (!passwd.has(a.user)) out.push({ where: shadowPath, line: a.source.at as number, message: `login name "${a.user}" has no line in ${passwdPath}` });
  }
  for (const [user, line] of passwd) {
    if (!inShadow.has(user)) out.push({ where: passwdPath, line, message: `login name "${user}" has no line in ${shadowPath}` });
  }
  return out;
}

export async function loadSources(opts: SourceOptions): Promise<{ raw: RawAccount[]; problems: SourceProblem[] }> {
  const raw: RawAccount[] = [];
  const problems: SourceProblem[] = [];
  if (opts.shadow !== undefined) {
    const passwdPath = opts.passwd ?? (opts.shadow === '/etc/shadow' ? '/etc/passwd' : undefined);
    let passwd: ReturnType<typeof parsePasswd> | undefined;
    if (passwdPath !== undefined) {
      passwd = parsePasswd(decodeUtf8(await readSourceFile(passwdPath, 'passwd file'), passwdPath, problems), passwdPath);
      problems.push(...passwd.problems);
    }
    const text = decodeUtf8(await readSourceFile(opts.shadow, 'shadow file'), opts.shadow, problems);
    const s = parseShadow(text, opts.shadow, passwd?.gecos ?? new Map(), opts.now);
    raw.push(...s.accounts);
    problems.push(...s.problems);
    if (passwd && passwdPath !== undefined) problems.push(...unmatched(s, opts.shadow, passwd.users, passwdPath));
  }
  for (const path of opts.htpasswd ?? []) {
    const s = parseHtpasswd(decodeUtf8(await readSourceFile(path, 'htpasswd file'), path, problems), path);
    raw.push(...s.accounts);
    problems.push(...s.problems);
  }
  if (opts.ldap) {
    const s = await readLdap(opts.ldap);
    raw.push(...s.accounts);
    problems.push(...s.problems);
  }
  return { raw, problems };
}
