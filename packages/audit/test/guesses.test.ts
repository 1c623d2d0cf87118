import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildGuessList, commonPasswords, contextGuesses, contextWords, parseWordlist, type SourceProblem } from '@pwguard/audit';

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

  it('builds one deduplicated list: common first, then each wordlist, with ranks', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pwguard-wl-'));
    const wl = join(dir, 'site.txt');
    writeFileSync(wl, 'password\nacme-2026\n');
    const problems: SourceProblem[] = [];
    const list = await buildGuessList({ wordlists: [wl], problems });
    const common = commonPasswords();
    expect(list.words.length).toBe(common.length + 1);
    expect(list.words[0]).toBe('123456');
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
});
