// The built-in list answers from a prebuilt store (dist/builtin-sha1.pwg, made by build:native)
// or from memory; both must give the same counts, or entry points would disagree.
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeEmbeddedList, rankedCounts, BUILTIN_STORE_FILE } from '../src/embedded.js';

const built = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', BUILTIN_STORE_FILE);

describe('the prebuilt built-in list', () => {
  it('exists after the build', () => expect(existsSync(built)).toBe(true));

  it('gives exactly the counts of the in-memory list, for every word and for absent ones', async () => {
    const fromStore = makeEmbeddedList(built);
    const fromMemory = makeEmbeddedList(null);
    expect(fromStore.entries).toBe(fromMemory.entries);
    expect(fromStore.description).toBe(fromMemory.description);
    const words = [...rankedCounts().keys()];
    expect(words.length).toBeGreaterThan(40_000);
    for (const w of words) {
      const [a, b] = [await fromStore.count(w), await fromMemory.count(w)];
      if (a !== b) throw new Error(`count differs for list word #${words.indexOf(w) + 1}: ${a} vs ${b}`);
    }
    for (const absent of ['glacier-ostrich-lantern-47', 'PASSWORD', 'password ', '']) {
      expect(await fromStore.count(absent)).toBe(await fromMemory.count(absent));
    }
    expect(await fromStore.count('password')).toBeGreaterThan(1_000_000);
  });

  it('falls back to memory, with the same answers, when the file is damaged', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pwguard-builtin-'));
    const damaged = join(dir, BUILTIN_STORE_FILE);
    copyFileSync(built, damaged);
    const bytes = readFileSync(damaged);
    bytes[10] = (bytes[10] ?? 0) ^ 0xff; // inside the header: refused on open
    writeFileSync(damaged, bytes);
    const list = makeEmbeddedList(damaged);
    expect(await list.count('password')).toBe(await makeEmbeddedList(null).count('password'));
  });
});
