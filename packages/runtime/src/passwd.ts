// The passwd database, for an account's GECOS words. One precedence for every entry point:
// /etc/passwd first (no process to start, and "files" comes first in every stock nsswitch.conf),
// then NSS through getent(1) for accounts from LDAP, sssd and the like.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface PasswdEntry {
  readonly name: string;
  readonly uid: number;
  readonly gecos: string;
  readonly home: string;
}

/** The user's passwd entry, or null when neither /etc/passwd nor NSS knows the user. */
export function lookupUser(name: string, files: { passwd?: string; getent?: string } = {}): PasswdEntry | null {
  if (name === '' || /[:\n\0]/.test(name)) return null; // not a user name; NSS would not find it either
  return fromFile(name, files.passwd ?? '/etc/passwd') ?? fromNss(name, files.getent ?? '/usr/bin/getent');
}

function fromFile(name: string, path: string): PasswdEntry | null {
  try {
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      if (line.startsWith(`${name}:`)) return parsePasswdLine(line);
    }
  } catch {
    // unreadable: ask NSS
  }
  return null;
}

function fromNss(name: string, getent: string): PasswdEntry | null {
  const res = spawnSync(getent, ['passwd', '--', name], { encoding: 'utf8', timeout: 5000 });
  return res.status === 0 ? parsePasswdLine(res.stdout.split('\n')[0] ?? '') : null;
}

export function parsePasswdLine(line: string): PasswdEntry | null {
  const f = line.split(':');
  if (f.length < 7 || !f[0]) return null;
  return { name: f[0], uid: Number(f[2]), gecos: f[4] ?? '', home: f[5] ?? '' };
}
