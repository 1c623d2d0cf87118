// `pwguard generate` as a user runs it: passphrases from the shipped word list that pass the
// policy (checked again here with `pwguard check`), the entropy stated, the passphrase on stdout only.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPassphraseWords } from '@pwguard/strength';
import { pwguard } from '../../../test/support/cli.js';

let dir: string;
let empty: string;
let words: Set<string>;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pwguard-generate-'));
  empty = join(dir, 'empty.conf');
  writeFileSync(empty, '');
  words = new Set((await loadPassphraseWords()).words);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const generate = (args: string[], config = empty) => pwguard(['generate', ...args], { input: '', env: { PWGUARD_CONFIG: config } });

describe('pwguard generate', () => {
  it('ships the 7,776-word EFF list (abacus ... zoom)', async () => {
    const list = (await loadPassphraseWords()).words;
    expect(list).toHaveLength(7776);
    expect(words.size).toBe(7776);
    expect([list[0], list[list.length - 1]]).toEqual(['abacus', 'zoom']);
    for (const w of list) expect(w).toMatch(/^[a-z]{3,9}$/);
  });

  it('prints one passphrase of 4 listed words on stdout, the entropy on stderr, and it passes `pwguard check`', () => {
    const r = generate([]);
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines).toHaveLength(2);
    const passphrase = lines[0] ?? '';
    const parts = passphrase.split('-');
    expect(parts).toHaveLength(4);
    for (const p of parts) expect(words.has(p)).toBe(true);
    expect(r.stderr).toBe('4 words from a 7,776-word list: 51.7 bits of guessing entropy; list: the EFF large wordlist (the diceware list in @zxcvbn-ts/language-common).\n');
    expect(r.stderr).not.toContain(passphrase);
    const check = pwguard(['check'], { input: `${passphrase}\n`, env: { PWGUARD_CONFIG: empty } });
    expect(check.stdout).toMatch(/^accepted/);
    expect(check.status).toBe(0);
  });

  it('--words, --separator, --count, --format json', () => {
    const r = generate(['--words', '6', '--separator', ' ', '--count', '3', '--format', 'json']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as { passphrases: string[]; words: number; separator: string; listSize: number; bitsEach: number; list: string };
    expect(out).toMatchObject({ words: 6, separator: ' ', listSize: 7776, bitsEach: 77.5 });
    expect(out.list).toContain('EFF large wordlist');
    expect(out.passphrases).toHaveLength(3);
    expect(new Set(out.passphrases).size).toBe(3); // 2^-77 for a repeat
    for (const p of out.passphrases) {
      expect(p.split(' ')).toHaveLength(6);
      for (const w of p.split(' ')) expect(words.has(w)).toBe(true);
    }
  });

  it('draws again until the policy accepts; a policy no such passphrase meets is exit 2 with the reason, never the passphrase', () => {
    const strict = join(dir, 'classes.conf');
    writeFileSync(strict, 'min_classes = 3\n');
    // Lower-case words and "-" are two kinds of characters: never enough.
    const never = generate([], strict);
    expect(never.status).toBe(2);
    expect(never.stdout).toBe('');
    expect(never.stderr).toMatch(/^pwguard: no 4-word passphrase passed the policy in 1,000 tries; the last one was refused: Use at least 3 kinds of characters .* Try more --words or another --separator\.\n$/);
    // A digit in the separator makes three.
    const ok = generate(['--separator', '7-'], strict);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^[a-z]+(7-[a-z]+){3}\n$/);
  });

  it('refuses bad numbers and separators with one line', () => {
    expect(generate(['--words', '0'])).toMatchObject({ status: 2, stderr: 'pwguard: --words 0: expected a whole number from 1 to 20\n' });
    expect(generate(['--count', 'many'])).toMatchObject({ status: 2, stderr: 'pwguard: --count many: expected a whole number from 1 to 100\n' });
    expect(generate(['--separator', 'a\nb']).stderr).toBe('pwguard: --separator "a\\nb": at most 8 characters, no control characters\n');
  });
});
