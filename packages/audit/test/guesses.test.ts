import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildGuessList, commonPasswords, KEYBOARD_WALKS, contextGuesses, contextWords, parseWordlist, type SourceProblem } from '@pwguard/audit';
import { FAMOUS_PASSWORDS } from '@pwguard/strength';

const NOW = new Date('2026-06-01T00:00:00Z');

describe('context guesses (John single-style)', () => {
  it('derives base words from login, GECOS name and mail', () => {
    expect(contextWords({ user: 'bsmith', gecos: 'Bob Smith,Room 4,,', extraWords: ['bob.smith@example.org'] }))
      .toEqual(['bsmith', 'bob', 'smith', 'bobsmith', 'bobs', 'smithbob']);
  });

  it('covers the mangles people use, likeliest rules first', () => {
    const g = contextGuesses([{ user: 'alice', gecos: 'Alice Martin' }], NOW);
    for (const w of ['alice', 'Alice', 'alice123', 'Martin1', 'alicealice', 'ecila', 'Alice2026', 'alice!', '4l1c3', 'Alice2021']) expect(g).toContain(w);
    expect(g.indexOf('alice')).toBe(0);
    expect(g.indexOf('alice123')).toBeLessThan(g.indexOf('Alice2026'));
    expect(new Set(g).size).toBe(g.length);
  });
});

describe('wordlists', () => {
  it('orders WORD:COUNT lists by count, most frequent first', () => {
    const problems: SourceProblem[] = [];
    expect(parseWordlist(Buffer.from('rare:3\nbest:900\nmid:40\n'), 'w', problems)).toEqual(['best', 'mid', 'rare']);
    expect(problems).toEqual([]);
  });

  it('keeps plain lists in file order, CRLF tolerated, empty lines skipped', () => {
    expect(parseWordlist(Buffer.from('one\r\ntwo\n\nthree'), 'w', [])).toEqual(['one', 'two', 'three']);
  });

  it('reports and skips lines that are not valid UTF-8', () => {
    const problems: SourceProblem[] = [];
    const buf = Buffer.concat([Buffer.from('good\n'), Buffer.from([0xff, 0xfe, 0x41, 0x0a]), Buffer.from('fine\n')]);
    expect(parseWordlist(buf, 'list.txt', problems)).toEqual(['good', 'fine']);
    expect(problems).toEqual([{ where: 'list.txt', line: 2, message: 'not valid UTF-8: line skipped' }]);
  });

  it('builds one deduplicated list: org_words, famous passwords, common, keyboard walks, then each wordlist, with ranks', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pwguard-wl-'));
    const wl = join(dir, 'site.txt');
    writeFileSync(wl, 'password\nacme-2026\n');
    const problems: SourceProblem[] = [];
    const list = await buildGuessList({ wordlists: [wl], problems });
    const common = commonPasswords();
    // A word belongs to the first list that has it (famous ones the common list also has stay famous).
    const commonLeft = common.filter((w) => !FAMOUS_PASSWORDS.includes(w));
    const walks = KEYBOARD_WALKS.filter((w) => !common.includes(w) && !FAMOUS_PASSWORDS.includes(w));
    expect(list.lists).toEqual(['famous', 'common', 'keyboard', `wordlist:${wl}`]);
    expect(list.words.length).toBe(FAMOUS_PASSWORDS.length + commonLeft.length + walks.length + 1);
    expect(list.words.slice(0, FAMOUS_PASSWORDS.length + 1)).toEqual([...FAMOUS_PASSWORDS, '123456']);
    const withOrg = await buildGuessList({ orgWords: ['acme', 'password'], wordlists: [wl], problems });
    expect(withOrg.lists[0]).toBe('org_words');
    expect(withOrg.words.slice(0, 3)).toEqual(['acme', 'password', FAMOUS_PASSWORDS[0]]);
    const last = list.words.length - 1;
    expect(list.words[last]).toBe('acme-2026');
    expect(list.lists[list.listOf[last] as number]).toBe(`wordlist:${wl}`);
    expect(list.rankOf[last]).toBe(2);
    const again = await buildGuessList({ wordlists: [wl], problems });
    expect(again.fingerprint).toBe(list.fingerprint);
    const without = await buildGuessList({ problems });
    expect(without.fingerprint).not.toBe(list.fingerprint);
    await expect(buildGuessList({ wordlists: [join(dir, 'nope')], problems })).rejects.toThrow(/cannot read wordlist .*nope: ENOENT/);
  });

  it('reads a plain wordlist only as far as the guess cap needs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pwguard-wl-'));
    const wl = join(dir, 'long.txt');
    // Line 4 is not UTF-8: it is only reported if the list is read that far.
    writeFileSync(wl, Buffer.concat([Buffer.from('one\ntwo\nthree\n'), Buffer.from([0xff, 0x0a]), Buffer.from('five\n')]));
    const problems: SourceProblem[] = [];
    const list = await buildGuessList({ common: false, wordlists: [wl], problems, limit: 2 });
    expect(list.words).toEqual(['one', 'two']);
    expect(problems).toEqual([]);
  });

  it('keeps only the top of a WORD:COUNT list (bounded), most frequent first', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pwguard-wl-'));
    const wl = join(dir, 'counted.txt');
    writeFileSync(wl, 'rare:3\nbest:900\nmid:40\nlow:1\n');
    const problems: SourceProblem[] = [];
    const list = await buildGuessList({ common: false, wordlists: [wl], problems, limit: 2 });
    expect(list.words).toEqual(['best', 'mid']);
    expect(Array.from(list.rankOf)).toEqual([1, 2]);
    expect(problems).toEqual([]);
  });

  it('holds at most maxWords words and says the list was cut, instead of failing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pwguard-wl-'));
    const wl = join(dir, 'many.txt');
    writeFileSync(wl, Array.from({ length: 50 }, (_v, i) => `w${i}`).join('\n'));
    const problems: SourceProblem[] = [];
    const list = await buildGuessList({ common: false, wordlists: [wl], problems, limit: 1000, maxWords: 10 });
    expect(list.words.length).toBe(10);
    expect(problems).toEqual([{ where: wl, message: 'the guess lists stop at 10 words: the rest of this wordlist is not used' }]);
  });

  it('skips an endless line without keeping it, and refuses a FIFO', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pwguard-wl-'));
    const wl = join(dir, 'endless.txt');
    writeFileSync(wl, Buffer.concat([Buffer.alloc(3 * 1024 * 1024, 0x41), Buffer.from('\nok\n')]));
    const problems: SourceProblem[] = [];
    const list = await buildGuessList({ common: false, wordlists: [wl], problems });
    expect(list.words).toEqual(['ok']);
    expect(problems).toEqual([{ where: wl, line: 1, message: 'longer than 4,096 bytes: line skipped' }]);
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    await expect(buildGuessList({ common: false, wordlists: [fifo], problems })).rejects.toThrow(`cannot read wordlist ${fifo}: it is a FIFO (named pipe), not a regular file`);
  });

  it('stops reading at an interrupt', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pwguard-wl-'));
    const wl = join(dir, 'w.txt');
    writeFileSync(wl, 'a\nb\n');
    const ac = new AbortController();
    ac.abort();
    await expect(buildGuessList({ common: false, wordlists: [wl], problems: [], signal: ac.signal })).rejects.toThrow(`interrupted while reading wordlist ${wl}`);
  });
});
