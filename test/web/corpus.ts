// The cross-entry-point corpus: hand-picked passwords that hit every rule, plus seeded
// combinations of words, digits and symbols. No empty password and none ending in NUL or a
// newline: the PAM hook's protocol drops one such byte (and treats empty stdin as an error).

export const STORE_WORDS: ReadonlyArray<readonly [string, number]> = [
  ['Summer2024!!', 1234], ['correcthorsebatterystaple', 99], ['Tr0ub4dor&3xyz', 5], ['P@ssw0rd-2023', 50_000],
  ['letmein-please-now', 7], ['Zebra!Cactus!Harbor', 1], ['Blue-Moon-Rising-88', 3], ['kangaroo-kettle-1999', 12],
];

export const BANNED = ['acme', 'widget'];
export const USER = 'daemon';

/**
 * Passwords every entry point must refuse: U+FDFA (one code point, 18 letters under NFKC), and
 * breached or banned words laced with invisible code points (ZWJ, soft hyphen, bidi mark).
 */
export const REFUSED_EVERYWHERE: readonly string[] = [
  '\ufdfa', '\ufb03'.repeat(4), [...'Summer2024!!'].join('\u200d'), [...'password12345'].join('\u200d'),
  'my-ac\u00adme-pass-77', 'Tr0ub4dor\u200e&3xyz',
];

/**
 * Refused everywhere as `predictable`: common words with the likeliest rules (capital, year, "!"),
 * and a famous phrase. (Summer2024!! and correcthorsebatterystaple are in the breach store here.)
 */
export const PREDICTABLE: readonly string[] = ['Autumn2025!!', 'Chocolate2024!', 'Summer2023!!', 'correct horse battery staple', 'P4ssw0rd2024'];

const HAND: readonly string[] = [
  // too short, and weak short ones
  'a', 'abc', 'hunter2', 'Passw0rd', '12345678', 'Qx7!', 'letmein1',
  // the user's own words (user daemon, GECOS "daemon") and the site's (org_words)
  'daemon-rocks-2024!', 'Xdaemon99xx!!q', 'd4em0n-Secret-Word', 'pwguard-rules-99!', 'Example#Corp2025', 'my-3xample-life!',
  // banned words
  'AcmeWidget!2025x', 'my-acme-pass-77', 'W1dget-Factory-Gate',
  // repeats (max_repeat = 3) and sequences (max_sequence = 4)
  'aaaaBBBB1234!!x', 'zzzzzz-Qwerty-9x', 'abcdef-Horse-77!', 'Pass-98765-word', 'mmm-Three-Okay-42',
  // one character class (min_classes = 2)
  'alllowercaseletterstogether', 'ONLYUPPERCASEWORDSHERE',
  // too long (max_length = 64)
  'x'.repeat(65), 'Ab1!'.repeat(20), `${'Long-enough-but-fine-'.repeat(3)}x`,
  // Unicode: NFKC, combining marks, astral characters, other scripts
  'pässwörd-Ünïcödé-42', 'ｆｕｌｌｗｉｄｔｈ１２３４ｘｙｚ', '🔑🔑-emoji-Key-73-zz', 'пароль-секрет-2024', '密码是安全的吗-Q9-长城',
  'cafe\u0301-Noir-Saturday-3', 'Ⅻ-roman-Numeral-Clock',
  // judged as hashed: NFKC expansion adds no length, invisible code points hide no word
  ...REFUSED_EVERYWHERE,
  // a NUL inside
  'abc\u0000def-ghi-123',
  // in the breach store
  ...STORE_WORDS.map(([w]) => w),
  // long enough but easy to guess
  'password12345', 'qwertyuiop123', 'iloveyou2024!', 'monkey-monkey-1', 'baseball-baseball', 'Football2020!!',
  // what the attacker model guesses early (min_guess_rank)
  ...PREDICTABLE, 'nomead2024!',
  // strong
  'Tangerine-Orbit-Quilt-93', 'glacier marmalade kettle 1987', 'v7#Kq!2mZ@pL9$wR', 'Sixteen-Purple-Otters-Sing', 'Hx9-pond-Velvet-Ox-31',
];

const WORDS = ['river', 'Falcon', 'copper', 'Meadow', 'quartz', 'lantern', 'Summer', 'dragon', 'pepper', 'Orbit', 'acme', 'Daemon', 'maple', 'Zephyr', 'cobalt', 'nimbus'];
const SEPS = ['', '-', '_', '.', ' ', '!', '#'];

/** A small seeded generator (mulberry32), so the corpus is the same on every run. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generated(n: number): string[] {
  const r = rng(7);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const out: string[] = [];
  while (out.length < n) {
    const words = Array.from({ length: 1 + Math.floor(r() * 3) }, () => pick(WORDS));
    const digits = r() < 0.7 ? String(Math.floor(r() * 10_000)) : '';
    const pw = words.join(pick(SEPS)) + pick(SEPS) + digits + (r() < 0.3 ? pick(['!', '?', '$$', '1111', '4321']) : '');
    if (!out.includes(pw) && !HAND.includes(pw)) out.push(pw);
  }
  return out;
}

export const CORPUS: readonly string[] = [...HAND, ...generated(100 - HAND.length)];
