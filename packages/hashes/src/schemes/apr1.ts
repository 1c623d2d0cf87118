// Apache's apr1: md5crypt with the magic `$apr1$`. libxcrypt does not know it: the addon computes
// it in C over Node's own OpenSSL MD5, and this TypeScript version (written from the algorithm's
// description) is the fallback without the addon. With magic `$1$` it is cross-checked against
// libxcrypt in tests, and against the addon's apr1 on the htpasswd/openssl fixtures.
import { hash, timingSafeEqual } from 'node:crypto';
import { finding } from '../findings.js';
import { cryptAddon } from '../native.js';
import { itoa64Encode } from '../encoding.js';
import type { Parsed, Scheme } from '../types.js';

const md5 = (...parts: Uint8Array[]): Buffer => hash('md5', Buffer.concat(parts), 'buffer') as unknown as Buffer;

/** md5crypt(password, salt) with the given magic (`$1$` or `$apr1$`): the full crypt string. */
export function md5cryptWithMagic(password: Uint8Array, salt: string, magic: string): string {
  const pw = Buffer.from(password);
  const s = Buffer.from(salt.slice(0, 8), 'latin1');
  const alt = md5(pw, s, pw);
  const parts: Uint8Array[] = [pw, Buffer.from(magic, 'latin1'), s];
  for (let left = pw.length; left > 0; left -= 16) parts.push(alt.subarray(0, Math.min(left, 16)));
  for (let i = pw.length; i > 0; i >>= 1) parts.push(i & 1 ? Buffer.of(0) : pw.subarray(0, 1));
  let f = md5(...parts);
  // 1000 rounds whose input order depends on the round number: the only "cost" of this scheme.
  for (let i = 0; i < 1000; i++) {
    const round: Uint8Array[] = [i & 1 ? pw : f];
    if (i % 3) round.push(s);
    if (i % 7) round.push(pw);
    round.push(i & 1 ? f : pw);
    f = md5(...round);
  }
  const b = (i: number): number => f[i] ?? 0;
  const out =
    itoa64Encode((b(0) << 16) | (b(6) << 8) | b(12), 4) +
    itoa64Encode((b(1) << 16) | (b(7) << 8) | b(13), 4) +
    itoa64Encode((b(2) << 16) | (b(8) << 8) | b(14), 4) +
    itoa64Encode((b(3) << 16) | (b(9) << 8) | b(15), 4) +
    itoa64Encode((b(4) << 16) | (b(10) << 8) | b(5), 4) +
    itoa64Encode(b(11), 2);
  return `${magic}${salt.slice(0, 8)}$${out}`;
}

const SHAPE = /^\$apr1\$([^$]{0,8})\$[./0-9A-Za-z]{22}$/;

export const APR1: Scheme = {
  id: 'apr1',
  speed: 'fast',
  legacy: true,
  description: 'Apache apr1 `$apr1$` (md5crypt variant, htpasswd -m)',
  claims: (stored) => stored.startsWith('$apr1$'),
  parse(stored): Parsed {
    if (!SHAPE.test(stored)) return { ok: false, reason: 'not a well-formed apr1 string' };
    return { ok: true, info: { id: 'apr1', salted: true, params: {}, findings: [finding('md5crypt')] } };
  },
  addon: 'preferred',
  async verify(password, stored) {
    // The addon's C loop is ~20x faster than 1000 JS-level MD5 calls.
    const addon = cryptAddon();
    const viaAddon = addon ? addon.verify(password, stored) : -1;
    if (viaAddon !== -1) return viaAddon === 1;
    const salt = SHAPE.exec(stored)?.[1] ?? '';
    const computed = Buffer.from(md5cryptWithMagic(password, salt, '$apr1$'), 'latin1');
    const expected = Buffer.from(stored, 'latin1');
    return computed.length === expected.length && timingSafeEqual(computed, expected);
  },
};
