// The passwd database (NSS: files, LDAP, sssd...), for GECOS. `getent` asks NSS the way login does.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface PasswdEntry {
  readonly name: string;
  readonly uid: number;
  readonly gecos: string;
  readonly home: string;
}

/** The user's passwd entry, or null when the database has no such user. */
export function lookupUser(name: string): PasswdEntry | null {
  const res = spawnSync('/usr/bin/getent', ['passwd', '--', name], { encoding: 'utf8', timeout: 5000 });
  if (res.status === 0) return parsePasswdLine(res.stdout.split('\n')[0] ?? '');
  if (res.status === 2) return null; // getent: key not found
  // No getent (or it failed): fall back to the local file.
  try {
    for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const entry = parsePasswdLine(line);
      if (entry?.name === name) return entry;
    }
  } catch {
    // unreadable: treat as unknown
  }
  return null;
}

export function parsePasswdLine(line: string): PasswdEntry | null {
  const f = line.split(':');
  if (f.length < 7 || !f[0]) return null;
  return { name: f[0], uid: Number(f[2]), gecos: f[4] ?? '', home: f[5] ?? '' };
}
