// `pwguard breach ...` through the built CLI (node packages/cli/dist/main.js), with data from
// scripts/gen-hibp: exit codes, output shapes, no password ever echoed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { countCode } from '@pwguard/breach';
import { CLI, pwguard as run } from '../support/cli.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dir = mkdtempSync(join(tmpdir(), 'pwguard-breach-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function pwguard(args: string[], input = ''): { code: number; out: string; err: string } {
  const r = run(args, { input });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

interface Planted {
  password: string;
  count: number;
  digest: string;
}
let planted: Planted[];
const store = join(dir, 'hibp.pwg');

beforeAll(() => {
  const gen = spawnSync(join(root, 'scripts/gen-hibp'), ['--entries', '20000', '--out', join(dir, 'hibp.txt'), '--plant', '4'], { encoding: 'utf8' });
  expect(gen.status).toBe(0);
  planted = (JSON.parse(gen.stdout) as { planted: Planted[] }).planted;
});

describe('pwguard breach', () => {
  it('build writes the store and reports what it holds', () => {
    const r = pwguard(['breach', 'build', '-o', store, join(dir, 'hibp.txt')]);
    expect(r.err).toBe(''); // stderr is not a terminal here: no progress line
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^.*hibp\.pwg: sha1, 20,004 entries from 20,004 lines \(0 skipped\), [\d,]+ bytes \(4\.\d\d bytes\/entry\), false-positive rate [\d.]+e-10\n$/);
  });

  it('lookup prints one count per line, never the passwords, exit 1 when one is found', () => {
    const secret = 'never-echo-this-one';
    const r = pwguard(['breach', 'lookup', '--store', store], `${planted[1]?.password}\n${secret}\n${planted[0]?.password}\n`);
    expect(r.code).toBe(1);
    expect(r.out).toBe('893\n0\n1\n'); // 1002 kept as its log-scale lower bound 893
    expect(r.out + r.err).not.toContain(secret);
    const none = pwguard(['breach', 'lookup', '--store', store], `${secret}\n`);
    expect(none).toMatchObject({ code: 0, out: '0\n' });
  });

  it('lookup --hash --format json, with a malformed line reported (exit 2)', () => {
    const r = pwguard(['breach', 'lookup', '--store', store, '--hash', '--format', 'json'], `${planted[1]?.digest.toLowerCase()}\nnot-a-hash\n`);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out)).toEqual({ store: `store ${store} (sha1, 20,004 entries)`, results: [{ line: 1, count: 893 }, { line: 2, count: null }] });
    expect(r.err).toBe('pwguard: stdin:2: not a 40-hex-digit sha1 digest\n');
  });

  it('lookup without a store uses the built-in list', () => {
    expect(pwguard(['breach', 'lookup'], 'password\n')).toMatchObject({ code: 1, out: `${countCode(7).decode(countCode(7).encode(5_000_000))}\n` });
  });

  it('info describes the store (text and JSON)', () => {
    const r = pwguard(['breach', 'info', store, '--format', 'json']);
    expect(r.code).toBe(0);
    const info = JSON.parse(r.out) as Record<string, unknown>;
    expect(info).toMatchObject({ kind: 'sha1', entries: 20_004, countBits: 7, params: { lowBits: 29 } });
    expect(info.bytesPerEntry as number).toBeLessThan(5);
    expect(info.falsePositiveRate as number).toBeLessThanOrEqual(1e-9);
    expect(pwguard(['breach', 'info', store]).out).toMatch(/false-positive rate: [\d.]+e-10 \(1 in [\d,]+\)/);
  });

  it('verify passes an intact store and fails a damaged one with exit 1', () => {
    expect(pwguard(['breach', 'verify', store])).toMatchObject({ code: 0, out: `${store}: ok (20,004 entries in 256 buckets, ${readFileSync(store).length.toLocaleString('en-US')} bytes)\n` });
    const bytes = readFileSync(store);
    bytes[1000] = (bytes[1000] as number) ^ 1;
    writeFileSync(join(dir, 'bad.pwg'), bytes);
    expect(pwguard(['breach', 'verify', join(dir, 'bad.pwg')])).toMatchObject({ code: 1, err: `pwguard: breach store ${join(dir, 'bad.pwg')}: body checksum mismatch: the file is corrupt\n` });
    expect(pwguard(['breach', 'verify', join(dir, 'missing.pwg')]).code).toBe(2);
  });

  it('build --memory: a small budget builds the same store from unsorted input; a bad value is refused (exit 2)', () => {
    const lines = readFileSync(join(dir, 'hibp.txt'), 'latin1').split('\r\n').filter(Boolean).reverse();
    writeFileSync(join(dir, 'reversed.txt'), `${lines.join('\n')}\n`);
    expect(pwguard(['breach', 'build', '--memory', '1', '-o', join(dir, 'm1.pwg'), join(dir, 'reversed.txt')]).code).toBe(0);
    expect(pwguard(['breach', 'build', '-o', join(dir, 'm96.pwg'), join(dir, 'reversed.txt')]).code).toBe(0);
    expect(readFileSync(join(dir, 'm1.pwg')).equals(readFileSync(join(dir, 'm96.pwg')))).toBe(true);
    expect(pwguard(['breach', 'build', '--memory', '0', '-o', join(dir, 'm0.pwg'), join(dir, 'reversed.txt')]))
      .toMatchObject({ code: 2, out: '', err: 'pwguard: --memory: expected a whole number of MiB, 1 or more, got 0\n' });
  });

  it('build refuses a mixed file with one line naming file and line (exit 2)', () => {
    writeFileSync(join(dir, 'mixed.txt'), '5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8:3\nhunter2\n');
    const r = pwguard(['breach', 'build', '-o', join(dir, 'mixed.pwg'), join(dir, 'mixed.txt')]);
    expect(r).toMatchObject({ code: 2, out: '' });
    expect(r.err).toBe(`pwguard: ${join(dir, 'mixed.txt')}:2: expected a SHA-1 hash line (40 hex digits, optional :COUNT), found something else (plaintext?); a file must hold one kind\n`);
  });

  it('build shows progress on a terminal (stderr), erased before the summary', () => {
    const cmd = `node ${CLI} breach build -o ${join(dir, 'tty.pwg')} ${join(dir, 'hibp.txt')}`;
    const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/\r\x1b\[Kread: [\d.]+ MB of [\d.]+ MB \(100\.0%\), 20,004 lines, [\d.]+ MB\/s/);
    expect(r.stdout).toMatch(/\r\x1b\[K.*tty\.pwg: sha1, 20,004 entries/);
  });

  it('has --help on every subcommand', () => {
    for (const sub of ['build', 'lookup', 'info', 'verify']) {
      const r = pwguard(['breach', sub, '--help']);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/^Usage: pwguard breach /);
    }
  });
});
