import * as common from '@zxcvbn-ts/language-common';
import { createChecker, CheckError } from '../src/checker.js';
import { DEFAULT_POLICY, type Policy } from '../src/policy.js';
import { defaultRules } from '../src/default-rules.js';
import type { BreachLookup, CheckContext } from '../src/verdict.js';

// A breach list over zxcvbn's ranked common passwords: the same source as the built-in list.
const ranked = (common.dictionary as Record<string, string[]>)['passwords-common'] ?? [];
const rank = new Map(ranked.map((w, i) => [w, i + 1]));
const commonList: BreachLookup = {
  description: 'zxcvbn common passwords',
  count: async (p) => (rank.has(p) ? Math.max(1, Math.round(1e6 / (rank.get(p) ?? 1))) : 0),
};
// The attacker model's year rules as of a fixed date, so the table's years do not age out.
const checker = createChecker(DEFAULT_POLICY, { breach: commonList, guessRules: defaultRules(new Date('2026-06-01T00:00:00Z')) });
const random = (n: number, alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!@#$%^&*()_+-=') =>
  Array.from({ length: n }, (_v, i) => alphabet[(i * 7919 + n * 31 + ((i * i) % 13)) % alphabet.length]).join('');

type Row = [password: string, ok: boolean, codes: string[], context?: CheckContext];
const alice: CheckContext = { user: 'alice', gecos: 'Alice Liddell,Room 7,555-0100' };

const TABLE: Row[] = [
  ['Password1!', false, ['too_short']],
  ['P@ssw0rd2024', false, ['predictable']],
  ['Summer2024!', false, ['too_short']],
  ['qwertyuiop123', false, ['breached']],
  ['tiger banana window seventy', true, []], // four random common words
  ['корова молоко трава солнце', true, []], // Cyrillic passphrase
  ['a'.repeat(300), false, ['too_long']],
  ['password'.repeat(20), false, ['weak_score']],
  [random(10000), false, ['too_long']],
  ['alice-secret-99', false, ['contains_context'], alice],
  ['Al1ce2024', false, ['too_short', 'contains_context'], alice],
  ['liddell-tea-party-1865', false, ['contains_context'], alice],
  ['wonderland-rabbit-hole', true, [], alice],
  ['BobSmith!2024xyz', false, ['contains_context'], { user: 'bob', gecos: 'Bob Smith' }],
  ['password', false, ['too_short', 'breached']],
  ['123456789012', false, ['breached']],
  ['iloveyou1234', false, ['predictable']],
  ['letmein12345', false, ['predictable']],
  ['trustno1trustno1', false, ['predictable']],
  ['abcdefghijkl', false, ['weak_score']],
  ['aaaaaaaaaaaa', false, ['weak_score']],
  ['qwertyqwerty', false, ['predictable']],
  ['1q2w3e4r5t6y', false, ['breached']],
  ['Welcome12345', false, ['weak_score']],
  ['Football2024', false, ['predictable']],
  ['Monkey123456', false, ['weak_score']],
  ['zaq12wsxcde3', false, ['breached']],
  ['passwordpassword', false, ['breached']],
  ['P@ssword12345', false, ['weak_score']],
  ['Qwerty123456!', false, ['predictable']],
  ['hunter2hunter2', false, ['predictable']],
  ['1234567890123456', false, ['weak_score']],
  ['0987654321qwerty', false, ['weak_score']],
  ['asdfghjkl;asdfghjkl', false, ['weak_score']],
  ['iloveyouiloveyou', false, ['predictable']],
  ['baseball12345', false, ['predictable']],
  ['superman2020!', false, ['weak_score']],
  ['starwars1977!', false, ['weak_score']],
  ['1qaz2wsx3edc4rfv', false, ['breached']],
  ['correct horse battery staple', false, ['predictable']], // the famous example: attackers try it early
  ['Xk9#mQ2$vL8@nR4!', true, []],
  ['vR7!pL2#qZ9$wM4&', true, []],
  ['glacier-ostrich-lantern-47', true, []],
  ['purple elephant dances quietly', true, []],
  ['my dog has fleas in winter', true, []],
  ['Tr0ub4dor&3xyz', true, []],
  ['dfg84kLm!2pQ', true, []],
  ['ZSx7^fgT!ok3aa', true, []],
  ['blue-sky-green-grass', true, []],
  ['9 lives of a very old cat', true, []],
  ['日本語のパスワードはとても長い', true, []],
  ['Mañana-Pingüino-42-Jalapeño', true, []],
  ['ώρα για καφέ και βιβλίο', true, []],
  ['correct horse battery staple ', true, [], alice],
  [random(200), true, []],
  ['', false, ['too_short']],
];

describe('verdicts under the default policy', () => {
  const label = (p: string) => (p.length > 40 ? `${p.slice(0, 12)}... (${p.length} chars)` : p);
  // Every row gets all five values: jest would take a missing one for a done() callback.
  const rows: Array<[string, string, boolean, string[], CheckContext]> = TABLE.map(([p, ok, codes, ctx]) => [label(p), p, ok, codes, ctx ?? {}]);
  it.each(rows)('%s', async (_label, password, ok, codes, context) => {
    const v = await checker.check(password, context);
    expect(v.reasons.map((r) => r.code)).toEqual(codes);
    expect(v.ok).toBe(ok);
    expect(v.enforced).toBe(true);
  });

  it('has at least 50 rows', () => expect(TABLE.length).toBeGreaterThanOrEqual(50));
});

describe('verdict details', () => {
  it('scores accepted passwords and gives zxcvbn feedback for weak ones', async () => {
    const strong = await checker.check('glacier-ostrich-lantern-47');
    expect(strong.score).toBeGreaterThanOrEqual(3);
    expect(strong.guessesLog10).toBeGreaterThan(10);
    const weak = await checker.check('Monkey123456');
    expect(weak.score).toBeLessThan(3);
    expect(weak.reasons[0]).toMatchObject({ code: 'weak_score', min: 3 });
    expect(weak.feedback.suggestions.length + (weak.feedback.warning ? 1 : 0)).toBeGreaterThan(0);
  });

  it('says how often a breached password was seen, and honours breach_min_count', async () => {
    const v = await checker.check('1qaz2wsx3edc4rfv');
    const breached = v.reasons.find((r) => r.code === 'breached');
    expect(breached?.count).toBe(await commonList.count('1qaz2wsx3edc4rfv'));
    expect(breached?.message).toMatch(/^Seen [\d,]+ times in data breaches/);
    const lenient = createChecker({ ...DEFAULT_POLICY, breach_min_count: 1e9 }, { breach: commonList });
    expect((await lenient.check('1qaz2wsx3edc4rfv')).reasons.map((r) => r.code)).not.toContain('breached');
  });

  it('never puts the password in a reason', async () => {
    for (const [password, , , context] of TABLE) {
      const v = await checker.check(password, context);
      if (password.length >= 4) expect(JSON.stringify(v.reasons)).not.toContain(password);
    }
  });

  it('fails closed when the breach lookup fails', async () => {
    const broken: BreachLookup = { description: 'broken', count: async () => { throw new Error('store unreadable'); } };
    await expect(createChecker(DEFAULT_POLICY, { breach: broken }).check('glacier-ostrich-lantern-47')).rejects.toThrow(CheckError);
  });
});

describe('encoding and bounds', () => {
  it('refuses invalid UTF-8 and NUL bytes without crashing', async () => {
    expect((await checker.checkBytes(Uint8Array.from([0x70, 0xff, 0xfe, 0x41]))).reasons[0]?.code).toBe('invalid_encoding');
    expect((await checker.checkBytes(new TextEncoder().encode('glacier\0ostrich-lantern'))).reasons[0]?.code).toBe('contains_nul');
  });

  it('counts code points, not UTF-16 units: 11 emoji are 11 characters', async () => {
    const v = await checker.check('😀'.repeat(11));
    expect(v.reasons[0]).toMatchObject({ code: 'too_short', length: 11 });
  });

  it('refuses over max_length at once, and still rejects long weak passwords under it', async () => {
    expect((await checker.check('x'.repeat(257))).reasons.map((r) => r.code)).toEqual(['too_long']);
    expect((await checker.check('password'.repeat(32))).ok).toBe(false); // 256 characters, repetitive
    expect((await checker.check('ab'.repeat(128))).ok).toBe(false);
  });
});

describe('enforcing and enforce_for_root', () => {
  const warnOnly: Policy = { ...DEFAULT_POLICY, enforcing: false };
  it('enforcing = 0 still reports reasons but does not enforce them', async () => {
    const v = await createChecker(warnOnly, { breach: commonList }).check('Football2024');
    expect(v.ok).toBe(false);
    expect(v.enforced).toBe(false);
  });
  it('root gets warnings only, unless enforce_for_root', async () => {
    expect((await checker.check('Football2024', { byRoot: true })).enforced).toBe(false);
    const strict = createChecker({ ...DEFAULT_POLICY, enforce_for_root: true }, { breach: commonList });
    expect((await strict.check('Football2024', { byRoot: true })).enforced).toBe(true);
  });
  it('banned words and organisation words are refused like the user name', async () => {
    const site = createChecker({ ...DEFAULT_POLICY, org_words: ['Acmecorp'] }, { bannedWords: ['marmalade'] });
    expect((await site.check('i-love-MARMALADE-toast')).reasons.map((r) => r.code)).toEqual(['contains_banned']);
    expect((await site.check('welcome-to-4cmec0rp-now')).reasons.map((r) => r.code)).toEqual(['contains_context']);
    expect((await site.check('marmalad3')).reasons.map((r) => r.code)).toContain('contains_banned');
  });
});

describe('what is hashed is what is judged (Unicode)', () => {
  const codes = async (password: string, c = checker) => (await c.check(password)).reasons.map((r) => r.code);
  const zwj = (text: string) => [...text].join('\u200d');

  it('refuses U+FDFA alone as too short: one code point, though NFKC makes 18 letters of it', async () => {
    const v = await checker.check('\ufdfa');
    expect(v.ok).toBe(false);
    expect(v.reasons).toEqual([expect.objectContaining({ code: 'too_short', length: 1 })]);
  });

  it('judges a string of ligatures on its own length', async () => {
    const v = await checker.check('\ufb03'.repeat(4)); // 'ffi' x 4 under NFKC
    expect(v.reasons[0]).toMatchObject({ code: 'too_short', length: 4 });
  });

  it('does not let NFKC expansion reach max_length', async () => {
    const v = await checker.check('\ufdfa'.repeat(15)); // 270 code points under NFKC, 15 as given
    expect(v.ok).toBe(false);
    expect(v.reasons.map((r) => r.code)).toEqual(['weak_score']);
  });

  it('refuses password1234 laced with zero-width joiners, as the breached password it is', async () => {
    const v = await checker.check(zwj('password1234'));
    expect(v.ok).toBe(false);
    expect(v.reasons.map((r) => r.code)).toEqual(['breached']);
  });

  it('does not count invisible code points toward the length', async () => {
    expect((await checker.check('Xk9#mQ2$vL8\u200d')).reasons[0]).toMatchObject({ code: 'too_short', length: 11 });
    expect((await checker.check('Xk9#mQ2$vL8\u200e\u202e\ufe0f\ufeff')).reasons[0]).toMatchObject({ code: 'too_short', length: 11 });
  });

  it('refuses a banned or context word with a soft hyphen or bidi mark inside', async () => {
    const site = createChecker(DEFAULT_POLICY, { bannedWords: ['marmalade'] });
    expect(await codes('i-love-marma\u00adlade-toast', site)).toEqual(['contains_banned']);
    expect((await checker.check('liddell\u200e-tea-party-1865', alice)).reasons.map((r) => r.code)).toEqual(['contains_context']);
  });

  it('looks up the password as given and without its invisible code points; a hit on either refuses', async () => {
    const asked: string[] = [];
    const recording: BreachLookup = { description: 'recording', count: async (p) => (asked.push(p), commonList.count(p)) };
    const v = await createChecker(DEFAULT_POLICY, { breach: recording }).check(zwj('password1234'));
    expect(asked).toEqual([zwj('password1234'), 'password1234']);
    expect(v.reasons.map((r) => r.code)).toEqual(['breached']);
    asked.length = 0;
    await createChecker(DEFAULT_POLICY, { breach: recording }).check('glacier-ostrich-lantern-47');
    expect(asked).toEqual(['glacier-ostrich-lantern-47']); // one lookup when the forms agree
  });

  it('scores the weaker of the forms: full-width letters are read as the word they show', async () => {
    expect(await codes('Ｆｏｏｔｂａｌｌ２０２４')).toEqual(['predictable']);
    expect(await codes('Ｍｏｎｋｅｙ１２３４５６')).toEqual(['weak_score']);
  });

  it('still accepts normal long passphrases, composed or decomposed, with or without an emoji sequence', async () => {
    for (const p of ['glacier-ostrich-lantern-47', 'Mañana-Pingüino-42-Jalapeño'.normalize('NFD'), 'tiger 🏳️‍🌈 banana window seventy']) {
      expect([p, await codes(p)]).toEqual([p, []]);
    }
  });
});

describe('the old password as context', () => {
  const OLD = 'Vivid-Otter-Plaza-71';
  it('refuses the old password with small changes, with its own reason code and no password in the reason', async () => {
    const v = await checker.check('Vivid-Otter-Plaza-72', { user: 'alice', oldPassword: OLD });
    expect(v.ok).toBe(false);
    expect(v.reasons).toEqual([{ code: 'too_similar_to_old', min: 5, message: 'Too similar to your current password: change at least 5 characters, and do not reuse it as a part.' }]);
    expect(JSON.stringify(v)).not.toContain('Plaza');
  });

  it('accepts a new password unlike the old one, and ignores an absent or empty old one', async () => {
    expect((await checker.check('Mauve-Tractor-Quill-8812', { oldPassword: OLD })).ok).toBe(true);
    expect((await checker.check('Vivid-Otter-Plaza-72', {})).ok).toBe(true);
    expect((await checker.check('Vivid-Otter-Plaza-72', { oldPassword: '' })).ok).toBe(true);
  });

  it('difok comes from the policy: 0 refuses only the same password', async () => {
    const lax = createChecker({ ...DEFAULT_POLICY, difok: 0 }, { breach: commonList });
    expect((await lax.check('Vivid-Otter-Plaza-72', { oldPassword: OLD })).ok).toBe(true);
    const same = await lax.check(OLD, { oldPassword: OLD });
    expect(same.reasons.map((r) => r.message)).toEqual(['Too similar to your current password: change at least 1 character, and do not reuse it as a part.']);
  });
});
