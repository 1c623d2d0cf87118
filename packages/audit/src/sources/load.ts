// Read every source given for one run. A source that cannot be read stops the run (SourceError);
// a bad line inside a source is reported and the rest is still read.
import type { RawAccount } from '../account.js';
import { parseHtpasswd } from './htpasswd.js';
import { readLdap, type LdapSourceOptions } from './ldap.js';
import { readSourceFile } from './files.js';
import { decodeUtf8, type SourceProblem } from './problems.js';
import { parsePasswd, parseShadow } from './shadow.js';

export interface SourceOptions {
  readonly shadow?: string;
  /** GECOS source; defaults to /etc/passwd when the shadow file is /etc/shadow. */
  readonly passwd?: string;
  readonly htpasswd?: readonly string[];
  readonly ldap?: LdapSourceOptions;
  readonly now?: Date;
}

export async function loadSources(opts: SourceOptions): Promise<{ raw: RawAccount[]; problems: SourceProblem[] }> {
  const raw: RawAccount[] = [];
  const problems: SourceProblem[] = [];
  if (opts.shadow !== undefined) {
    const passwdPath = opts.passwd ?? (opts.shadow === '/etc/shadow' ? '/etc/passwd' : undefined);
    let gecos = new Map<string, string>();
    if (passwdPath !== undefined) {
      const p = parsePasswd(decodeUtf8(await readSourceFile(passwdPath, 'passwd file'), passwdPath, problems), passwdPath);
      gecos = p.gecos;
      problems.push(...p.problems);
    }
    const text = decodeUtf8(await readSourceFile(opts.shadow, 'shadow file'), opts.shadow, problems);
    const s = parseShadow(text, opts.shadow, gecos, opts.now);
    raw.push(...s.accounts);
    problems.push(...s.problems);
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
