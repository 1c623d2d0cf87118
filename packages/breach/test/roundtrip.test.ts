// Build stores from generated HIBP data in each layout and read every entry back.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { buildStore, openStore, verifyStore, type BreachStore } from '../src/index.js';
import { countCode } from '../src/countcode.js';
import { generateHibp, random32 } from '../src/gen.js';
import { ABSENT, PLANTED, tempDir } from './helpers.js';

const t = tempDir();
afterAll(() => t.cleanup());

/** Expected stored count: the log-scale code's lower bound of the true count. */
function stored(count: number, bits = 7): number {
  const code = countCode(bits);
  return code.decode(code.encode(count));
}

/** Every HASH:COUNT (or SUFFIX:COUNT) line of generated data, as full hex digest and count. */
function linesOf(path: string, prefix = ''): Array<[string, number]> {
  return readFileSync(path, 'latin1').split(/\r?\n/).filter(Boolean).map((l) => {
    const [hash, count] = l.split(':') as [string, string];
    return [prefix + hash, Number(count)];
  });
}

async function expectAllFound(store: BreachStore, entries: Array<[string, number]>): Promise<void> {
  let wrong = 0;
  for (const [hex, count] of entries) if (store.countDigest(hex) !== stored(count)) wrong++;
  expect(wrong).toBe(0);
  for (const p of PLANTED) expect(await store.count(p.password)).toBe(stored(p.count));
  for (const a of ABSENT) expect(await store.count(a)).toBe(0);
}

describe('single HASH:COUNT file', () => {
  const input = t.path('sha1.txt');
  const output = t.path('sha1.pwg');
  let store: BreachStore;

  beforeAll(async () => {
    await generateHibp({ entries: 30_000, kind: 'sha1', layout: 'file', out: input, planted: PLANTED, seed: 11 });
    const result = await buildStore({ inputs: [input], output });
    expect(result).toMatchObject({ kind: 'sha1', entries: 30_005, lines: 30_005, skipped: 0, sortedInput: true });
    expect(result.bytesPerEntry).toBeLessThan(5);
    expect(result.falsePositiveRate).toBeLessThanOrEqual(1e-9);
    store = openStore(output);
  });
  afterAll(() => store.close());

  it('finds every entry with its (log-scale) count, planted passwords too, and nothing else', async () => {
    expect(store.entries).toBe(30_005);
    await expectAllFound(store, linesOf(input));
  });

  it('hashes passwords as SHA-1 of UTF-8, like python3 hashlib', async () => {
    const pw = 'pässwörd-ünïcode';
    const hex = execFileSync('python3', ['-c', 'import hashlib,sys; print(hashlib.sha1(sys.argv[1].encode()).hexdigest())', pw]).toString().trim();
    expect(store.countDigest(hex)).toBe(await store.count(pw));
    expect(store.countDigest(hex.toUpperCase())).toBe(stored(99_999));
  });

  it('answers the same preloaded as from disk', async () => {
    const warm = openStore(output, { preload: true });
    try {
      const next = random32(5);
      for (const [hex] of linesOf(input).slice(0, 2000)) expect(warm.countDigest(hex)).toBe(store.countDigest(hex));
      for (let i = 0; i < 2000; i++) {
        const hex = Array.from({ length: 5 }, () => next().toString(16).padStart(8, '0')).join('');
        expect(warm.countDigest(hex)).toBe(store.countDigest(hex));
      }
    } finally {
      warm.close();
    }
  });

  it('passes verify', () => {
    expect(verifyStore(output)).toMatchObject({ entries: 30_005 });
  });

  it('rejects malformed digests in countDigest without quoting them', () => {
    expect(() => store.countDigest('abc')).toThrow(/40-hex-digit sha1/);
    expect(() => store.countDigest('8846F7EAEE8FB117AD06BDD830B7586C')).toThrow(RangeError);
  });
});

describe('lower case, LF, unsorted with repeats', () => {
  it('sorts through partitions and adds up the counts of repeated hashes', async () => {
    const input = t.path('lower.txt');
    await generateHibp({ entries: 5_000, kind: 'sha1', layout: 'file', out: input, planted: PLANTED, seed: 12, lowercase: true, eol: '\n' });
    const lines = linesOf(input);
    const next = random32(3);
    const shuffled = [...lines].sort(() => (next() & 1 ? 1 : -1));
    const repeated = lines.slice(0, 100);
    writeFileSync(t.path('shuffled.txt'), [...shuffled, ...repeated].map(([h, c]) => `${h}:${c}`).join('\n') + '\n');
    const result = await buildStore({ inputs: [t.path('shuffled.txt')], output: t.path('shuffled.pwg') });
    expect(result).toMatchObject({ entries: 5_005, lines: 5_105, sortedInput: false });
    const store = openStore(t.path('shuffled.pwg'));
    try {
      const twice = new Set(repeated.map(([h]) => h));
      let wrong = 0;
      for (const [hex, count] of lines) if (store.countDigest(hex) !== stored(twice.has(hex) ? 2 * count : count)) wrong++;
      expect(wrong).toBe(0);
    } finally {
      store.close();
    }
  });
});

describe('the one-pass path for sorted files', () => {
  it('falls back to partitions when the order breaks at the very end, or the size estimate is off', async () => {
    await generateHibp({ entries: 40_000, kind: 'sha1', layout: 'file', out: t.path('late.txt'), seed: 15 });
    const lines = linesOf(t.path('late.txt'));
    const swapped = [...lines.slice(0, -2), lines[lines.length - 1], lines[lines.length - 2]] as Array<[string, number]>;
    writeFileSync(t.path('late.txt'), swapped.map(([h, c]) => `${h}:${c}\r\n`).join(''));
    const late = await buildStore({ inputs: [t.path('late.txt')], output: t.path('late.pwg') });
    expect(late).toMatchObject({ entries: 40_000, sortedInput: false });
    // Long counts (leading zeros) in the sampled first MiB make the estimate far too low.
    const padded = lines.map(([h, c], i) => `${h}:${i < 20_000 ? String(c).padStart(15, '0') : c}\n`).join('');
    writeFileSync(t.path('padded.txt'), padded);
    const result = await buildStore({ inputs: [t.path('padded.txt')], output: t.path('padded.pwg') });
    expect(result).toMatchObject({ entries: 40_000, sortedInput: true });
    expect(result.falsePositiveRate).toBeLessThanOrEqual(1e-9);
    for (const path of [t.path('late.pwg'), t.path('padded.pwg')]) {
      const store = openStore(path);
      try {
        let wrong = 0;
        for (const [hex, count] of lines) if (store.countDigest(hex) !== stored(count)) wrong++;
        expect(wrong).toBe(0);
      } finally {
        store.close();
      }
    }
  });
});

describe('range folder layout', () => {
  it('reads XXXXX.txt files of SUFFIX:COUNT (CRLF), a partial folder with a warning', async () => {
    const folder = t.path('ranges');
    const gen = await generateHibp({ entries: 8_000, kind: 'sha1', layout: 'folder', out: folder, planted: PLANTED, seed: 13, prefixes: 64 });
    expect(gen.files).toBeGreaterThan(60);
    expect(readFileSync(join(folder, readdirSync(folder)[0] as string), 'latin1')).toMatch(/^[0-9A-F]{35}:\d+\r\n/);
    const warnings: string[] = [];
    const result = await buildStore({ inputs: [folder], output: t.path('ranges.pwg'), onWarning: (m) => warnings.push(m) });
    expect(result.entries).toBe(8_005);
    expect(warnings.join('\n')).toMatch(/of 1,048,576 range files/);
    const all = readdirSync(folder).flatMap((name) => linesOf(join(folder, name), name.slice(0, 5)));
    expect(all).toHaveLength(8_005);
    const store = openStore(t.path('ranges.pwg'));
    try {
      await expectAllFound(store, all);
    } finally {
      store.close();
    }
  });
});

describe('NTLM', () => {
  it('builds an NTLM store and hashes passwords as MD4 of UTF-16LE', async () => {
    const input = t.path('ntlm.txt');
    await generateHibp({ entries: 3_000, kind: 'ntlm', layout: 'file', out: input, planted: [...PLANTED, { password: 'password', count: 5 }], seed: 14 });
    const result = await buildStore({ inputs: [input], output: t.path('ntlm.pwg') });
    expect(result.kind).toBe('ntlm');
    const store = openStore(t.path('ntlm.pwg'));
    try {
      expect(store.kind).toBe('ntlm');
      await expectAllFound(store, linesOf(input));
      // Known NTLM of "password" (Samba's and every NT hash table's first example).
      expect(store.countDigest('8846F7EAEE8FB117AD06BDD830B7586C')).toBe(5);
    } finally {
      store.close();
    }
  });
});

describe('plaintext wordlists', () => {
  it('hashes each line (optional TAB count), adds repeats, and joins hash files of the same kind', async () => {
    writeFileSync(t.path('words.txt'), 'password\r\nhunter2\t40\nletmein\npassword\n\n123456\t0\n');
    writeFileSync(t.path('hashes.txt'), '8BE3C943B1609FFFBFC51AAD666D0A04ADF83C9D:7\n'); // SHA-1("Password")
    const result = await buildStore({ inputs: [t.path('words.txt'), t.path('hashes.txt')], output: t.path('words.pwg') });
    expect(result).toMatchObject({ kind: 'sha1', entries: 4, lines: 7, skipped: 2 });
    const store = openStore(t.path('words.pwg'));
    try {
      expect(await store.count('password')).toBe(2);
      expect(await store.count('hunter2')).toBe(stored(40));
      expect(await store.count('letmein')).toBe(1);
      expect(await store.count('Password')).toBe(7);
      expect(await store.count('123456')).toBe(0);
    } finally {
      store.close();
    }
  });

  it('builds an NTLM store from plaintext when asked', async () => {
    writeFileSync(t.path('w2.txt'), 'password\n');
    await buildStore({ inputs: [t.path('w2.txt')], output: t.path('w2.pwg'), storeKind: 'ntlm' });
    const store = openStore(t.path('w2.pwg'));
    try {
      expect(store.countDigest('8846f7eaee8fb117ad06bdd830b7586c')).toBe(1);
    } finally {
      store.close();
    }
  });
});
