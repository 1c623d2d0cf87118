// Damaged stores are refused, never read wrong: foreign, truncated, header and body damage.
import { copyFileSync, readFileSync, statSync, truncateSync, writeFileSync, appendFileSync } from 'node:fs';
import { buildStore, openStore, verifyStore, StoreError } from '../src/index.js';
import { generateHibp } from '../src/gen.js';
import { PLANTED, tempDir } from './helpers.js';

const t = tempDir();
const good = t.path('good.pwg');
beforeAll(async () => {
  await generateHibp({ entries: 20_000, kind: 'sha1', layout: 'file', out: t.path('in.txt'), planted: PLANTED, seed: 21 });
  await buildStore({ inputs: [t.path('in.txt')], output: good });
});
afterAll(() => t.cleanup());

function damaged(name: string, change: (path: string) => void): string {
  const path = t.path(name);
  copyFileSync(good, path);
  change(path);
  return path;
}

function flipByte(path: string, at: number): void {
  const bytes = readFileSync(path);
  bytes[at] = (bytes[at] as number) ^ 0x40;
  writeFileSync(path, bytes);
}

describe('damaged stores', () => {
  it('a foreign file', () => {
    writeFileSync(t.path('foreign.pwg'), 'HASH:COUNT\n'.repeat(20));
    expect(() => openStore(t.path('foreign.pwg'))).toThrow(`breach store ${t.path('foreign.pwg')}: not a pwguard breach store (no store magic at the start)`);
    expect(() => openStore(t.dir)).toThrow(`breach store ${t.dir}: not a regular file`);
  });

  it('a truncated store (half, or within the header)', () => {
    const half = damaged('half.pwg', (p) => truncateSync(p, Math.floor(statSync(good).size / 2)));
    expect(() => openStore(half)).toThrow(/truncated: the header says \d+ bytes, the file has \d+/);
    expect(() => verifyStore(half)).toThrow(StoreError);
    const head = damaged('head.pwg', (p) => truncateSync(p, 60));
    expect(() => openStore(head)).toThrow(/truncated: 60 bytes, shorter than the 128-byte header/);
  });

  it('bytes appended after the end', () => {
    const longer = damaged('longer.pwg', (p) => appendFileSync(p, 'x'));
    expect(() => openStore(longer)).toThrow(/1 unexpected bytes after the end/);
  });

  it('a changed header byte (entry count)', () => {
    const path = damaged('header.pwg', (p) => flipByte(p, 24));
    expect(() => openStore(path)).toThrow(/header checksum mismatch/);
  });

  it('a changed bucket byte: the lookup that reads it fails, preload and verify refuse the file', async () => {
    const path = damaged('body.pwg', (p) => flipByte(p, 128 + 5000));
    expect(() => openStore(path, { preload: true })).toThrow(/body checksum mismatch/);
    expect(() => verifyStore(path)).toThrow(/body checksum mismatch/);
    // A cold lookup reads only its bucket; the bucket's CRC catches the damage there.
    const store = openStore(path);
    try {
      let refused = 0;
      for (const line of readFileSync(t.path('in.txt'), 'latin1').split('\r\n').filter(Boolean)) {
        try {
          store.countDigest(line.slice(0, 40));
        } catch (err) {
          expect(err).toBeInstanceOf(StoreError);
          expect((err as Error).message).toMatch(/bucket \d+ is corrupt .*run pwguard breach verify/);
          refused++;
        }
      }
      expect(refused).toBeGreaterThan(0);
      expect(refused).toBeLessThan(200); // one bucket of about 80 entries
    } finally {
      store.close();
    }
  });

  it('a changed directory byte', () => {
    const size = statSync(good).size;
    const path = damaged('dir.pwg', (p) => flipByte(p, size - 100));
    expect(() => verifyStore(path)).toThrow(StoreError);
  });

  it('the intact store passes', () => {
    expect(verifyStore(good).entries).toBe(20_005);
  });
});
