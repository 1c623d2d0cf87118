// Apache htpasswd files: `user:stored` lines ($apr1$, $2y$, {SHA}, DES crypt, plaintext).
import type { RawAccount } from '../account.js';
import { numberedLines } from './problems.js';
import type { ParsedSource } from './shadow.js';

export function parseHtpasswd(text: string, where: string): ParsedSource {
  const accounts: RawAccount[] = [];
  const problems: ParsedSource['problems'] = [];
  const seen = new Set<string>();
  for (const { line, text: t } of numberedLines(text)) {
    if (t.trim() === '' || t.startsWith('#')) continue;
    const colon = t.indexOf(':');
    if (colon <= 0) {
      problems.push({ where, line, message: colon === 0 ? 'empty user name' : 'expected user:hash' });
      continue;
    }
    const user = t.slice(0, colon);
    if (seen.has(user)) {
      problems.push({ where, line, message: `user "${user}" appears again (first entry kept)` });
      continue;
    }
    seen.add(user);
    const source = { kind: 'htpasswd' as const, where, at: line };
    const stored = t.slice(colon + 1);
    accounts.push(stored === ''
      ? { user, source, credentials: [], flags: [{ flag: 'no_password', source }] }
      : { user, source, credentials: [{ source, stored, attribute: 'htpasswd' }], flags: [] });
  }
  return { accounts, problems };
}
