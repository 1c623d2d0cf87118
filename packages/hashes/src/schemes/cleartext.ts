// Plaintext storage: {CLEARTEXT} and untagged userPassword / htpasswd values. Always a finding.
import { timingSafeEqual } from 'node:crypto';
import { finding } from '../findings.js';
import { splitTag } from './ldap-digest.js';
import type { Parsed, Scheme } from '../types.js';

function plaintextOf(stored: string): string {
  const t = splitTag(stored);
  return t?.tag === 'CLEARTEXT' ? t.rest : stored;
}

export const CLEARTEXT: Scheme = {
  id: 'cleartext',
  speed: 'digest',
  description: '{CLEARTEXT} or untagged plaintext (LDAP, htpasswd); never in /etc/shadow',
  claims(stored, source) {
    const tag = splitTag(stored);
    if (tag) return tag.tag === 'CLEARTEXT';
    if (source === 'shadow') return false;
    // An empty value is an empty plaintext only in htpasswd (`user:`); elsewhere it is no value.
    if (stored === '') return source === 'htpasswd';
    // slapd compares every untagged userPassword as plaintext, even one that looks like `$6$...`;
    // without a source, `$word$...` is more likely a crypt scheme this table does not know.
    return source === 'ldap' || !stored.startsWith('$');
  },
  parse(stored): Parsed {
    return { ok: true, info: { id: 'cleartext', salted: false, params: {}, findings: [finding('cleartext')], cleartext: plaintextOf(stored) } };
  },
  async verify(password, stored) {
    const expected = Buffer.from(plaintextOf(stored), 'utf8');
    const given = Buffer.from(password);
    // Compare equal-length buffers always, so the time does not reveal a common prefix.
    const same = given.length === expected.length;
    return timingSafeEqual(same ? given : expected, expected) && same;
  },
};
