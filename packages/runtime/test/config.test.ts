// Finding and reading the policy file (loadPolicy): precedence, relative paths, and what it
// refuses to read. A reader that blocked on a FIFO would hang this test instead of passing it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadPolicy } from '../src/index.js';

let tmp: string;
beforeAll(() => { tmp = mkdtempSync(join(tmpdir(), 'pwguard-config-')); });
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const refusal = (config: string): string => {
  try {
    loadPolicy({ config, env: {} });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a refusal');
};

describe('which file', () => {
  it('--config wins over PWGUARD_CONFIG, which wins over the default; arguments win over the file', () => {
    const a = join(tmp, 'a.conf');
    const b = join(tmp, 'b.conf');
    writeFileSync(a, 'min_length = 14\n');
    writeFileSync(b, 'min_length = 16\nmin_score = 2\n');
    expect(loadPolicy({ config: a, env: { PWGUARD_CONFIG: b } }).policy.min_length).toBe(14);
    expect(loadPolicy({ env: { PWGUARD_CONFIG: b } }).policy.min_length).toBe(16);
    expect(loadPolicy({ config: b, args: ['min_score=4'], env: {} }).policy).toMatchObject({ min_length: 16, min_score: 4 });
  });
  it('a missing explicit file is an error naming it; relative paths resolve against the file', () => {
    expect(refusal(join(tmp, 'none.conf'))).toBe(`cannot read config file ${join(tmp, 'none.conf')}: no such file or folder (ENOENT)`);
    const c = join(tmp, 'c.conf');
    writeFileSync(c, 'banned_words_file = words.txt\n');
    expect(loadPolicy({ config: c, env: {} }).policy.banned_words_file).toBe(join(tmp, 'words.txt'));
  });
  it('a bad key is a ConfigError naming file, line and key', () => {
    const d = join(tmp, 'd.conf');
    writeFileSync(d, '# ok\nmin_lenght = 3\n');
    expect(refusal(d)).toMatch(new RegExp(`^config error: ${d}:2: .*min_lenght`));
  });
});

describe('what is refused', () => {
  it('a FIFO, a character device or a directory is refused in one line, never read', () => {
    const fifo = join(tmp, 'fifo.conf');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    expect(refusal(fifo)).toBe(`config file ${fifo} is not a regular file (a FIFO)`);
    expect(refusal('/dev/zero')).toBe('config file /dev/zero is not a regular file (a character device)');
    expect(refusal(tmp)).toBe(`config file ${tmp} is not a regular file (a directory)`);
  });
  it('more than 1 MiB is refused, even of comments; 1 MiB exactly is read', () => {
    const big = join(tmp, 'big.conf');
    writeFileSync(big, `${'#'.repeat(1024 * 1024)}\n`);
    expect(refusal(big)).toBe(`config file ${big} is larger than 1 MiB`);
    writeFileSync(big, `min_length = 14\n${'#'.repeat(1024 * 1024 - 17)}\n`);
    expect(loadPolicy({ config: big, env: {} }).policy.min_length).toBe(14);
  });
});
