// The browser's breach lookup: k-anonymity as in Have I Been Pwned's range API. Only the first
// 5 hex digits of the password's SHA-1 leave the browser; the match happens here.
import type { BreachLookup } from '@pwguard/strength';
// The one browser-safe module of @pwguard/breach (its index opens files): the same fingerprint
// code the store was built with, so both sides cut digests alike.
import { fingerprintHex } from '../../../breach/dist/lead.js';
import type { RangeMatch } from '../range-match.js';

export function rangeLookup(match: RangeMatch, origin = ''): BreachLookup {
  const ranges = new Map<string, Promise<Map<string, number>>>();
  return {
    description: `k-anonymity range queries to ${origin || 'this site'}/range`,
    async count(password: string): Promise<number> {
      const hex = await sha1Hex(password);
      const prefix = hex.slice(0, 5);
      let range = ranges.get(prefix);
      if (!range) {
        range = fetchRange(origin, prefix);
        ranges.set(prefix, range);
        range.catch(() => ranges.delete(prefix));
      }
      const key = match.kind === 'suffix' ? hex.slice(5) : fingerprintHex(match, hex).toUpperCase();
      return (await range).get(key) ?? 0;
    },
  };
}

export async function sha1Hex(password: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-1', new TextEncoder().encode(password)));
  let hex = '';
  for (const b of digest) hex += b.toString(16).padStart(2, '0');
  return hex.toUpperCase();
}

/** `KEY:COUNT` lines; padding lines have count 0. A key listed twice keeps its largest count. */
async function fetchRange(origin: string, prefix: string): Promise<Map<string, number>> {
  const res = await fetch(`${origin}/range/${prefix}`);
  if (!res.ok) throw new Error(`GET /range answered ${res.status}`);
  const counts = new Map<string, number>();
  for (const line of (await res.text()).split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const key = line.slice(0, colon).toUpperCase();
    const n = Number.parseInt(line.slice(colon + 1), 10);
    if (Number.isFinite(n) && n > (counts.get(key) ?? 0)) counts.set(key, n);
  }
  return counts;
}
