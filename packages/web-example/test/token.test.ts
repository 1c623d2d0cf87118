import { describe, expect, test } from '@jest/globals';
import { issueResetToken, UsedTokens, verifyResetToken, weakKeyReason } from '../src/token.js';

const KEY = Buffer.from('0123456789abcdef0123456789abcdef');
const NOW = Date.UTC(2026, 0, 1);

describe('reset tokens', () => {
  test('a token verifies under its key until it expires, and names its user', () => {
    const t = issueResetToken(KEY, 'alice', 900, NOW);
    expect(verifyResetToken(KEY, t, NOW + 899_000)).toMatchObject({ ok: true, claims: { user: 'alice' } });
    expect(verifyResetToken(KEY, t, NOW + 900_000)).toEqual({ ok: false, why: 'expired' });
  });

  test('another key, an edited body or a cut signature is refused', () => {
    const t = issueResetToken(KEY, 'alice', 900, NOW);
    const [body, sig] = t.split('.') as [string, string];
    const bob = Buffer.from(Buffer.from(body, 'base64url').toString().replace('alice', 'bob__')).toString('base64url');
    expect(verifyResetToken(Buffer.from('another key, 32 bytes long......'), t, NOW).ok).toBe(false);
    expect(verifyResetToken(KEY, `${bob}.${sig}`, NOW)).toEqual({ ok: false, why: 'bad_signature' });
    expect(verifyResetToken(KEY, `${body}.${sig.slice(0, 10)}`, NOW)).toEqual({ ok: false, why: 'bad_signature' });
    expect(verifyResetToken(KEY, 'no-dot-at-all', NOW)).toEqual({ ok: false, why: 'malformed' });
  });

  test('user names that could reach an LDAP filter unescaped are not issued', () => {
    for (const user of ['', 'a)(uid=*', 'alice bob', 'x'.repeat(65), 'ålice']) {
      expect(() => issueResetToken(KEY, user, 60, NOW)).toThrow(RangeError);
    }
  });

  test('each token can be spent once; distinct tokens for one user are distinct', () => {
    const used = new UsedTokens();
    const a = verifyResetToken(KEY, issueResetToken(KEY, 'alice', 60, NOW), NOW);
    const b = verifyResetToken(KEY, issueResetToken(KEY, 'alice', 60, NOW), NOW);
    if (!a.ok || !b.ok) throw new Error('tokens did not verify');
    expect(used.spend(a.claims, NOW)).toBe(true);
    expect(used.has(a.claims)).toBe(true);
    expect(used.spend(a.claims, NOW)).toBe(false);
    expect(used.spend(b.claims, NOW)).toBe(true);
  });
});

describe('weakKeyReason', () => {
  test('a short key or one of few distinct bytes is weak; 16 random bytes are not', () => {
    expect(weakKeyReason(Buffer.alloc(15, 1).map((_, i) => i))).toMatch(/holds 15 bytes/);
    expect(weakKeyReason(Buffer.alloc(64, 0x41))).toMatch(/distinct bytes/);
    expect(weakKeyReason(Buffer.from('abcabcabcabcabcabcabc'))).toMatch(/distinct bytes/);
    expect(weakKeyReason(KEY)).toBeUndefined();
    expect(weakKeyReason(Buffer.from(Array.from({ length: 16 }, (_, i) => 0x80 + i)))).toBeUndefined();
  });
});
