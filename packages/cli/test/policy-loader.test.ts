// The config reader every command shares (loadPolicy): what it refuses to read. Through the built
// CLI, so a reader that blocks on a FIFO or reads /dev/zero for ever fails the test instead of
// hanging it (the process is killed after 30 s and has no exit status).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI } from './run-cli.js';

let tmp: string;
beforeAll(() => { tmp = mkdtempSync(join(tmpdir(), 'pwguard-loader-')); });
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const policyShow = (config: string) => {
  const r = spawnSync(process.execPath, [CLI, 'policy', 'show', '--config', config], { encoding: 'utf8', env: { PATH: process.env.PATH }, timeout: 30_000 });
  return { status: r.status, stderr: r.stderr };
};

describe('config file', () => {
  it('a FIFO, a character device or a directory is refused in one line, never read', () => {
    const fifo = join(tmp, 'fifo.conf');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    expect(policyShow(fifo)).toEqual({ status: 2, stderr: `pwguard: config file ${fifo} is not a regular file (a FIFO)\n` });
    expect(policyShow('/dev/zero')).toEqual({ status: 2, stderr: 'pwguard: config file /dev/zero is not a regular file (a character device)\n' });
    expect(policyShow(tmp)).toEqual({ status: 2, stderr: `pwguard: config file ${tmp} is not a regular file (a directory)\n` });
  });

  it('more than 1 MiB is refused, even of comments; 1 MiB exactly is read', () => {
    const big = join(tmp, 'big.conf');
    writeFileSync(big, `${'#'.repeat(1024 * 1024)}\n`);
    expect(policyShow(big)).toEqual({ status: 2, stderr: `pwguard: config file ${big} is larger than 1 MiB\n` });
    writeFileSync(big, `min_length = 14\n${'#'.repeat(1024 * 1024 - 17)}\n`);
    expect(policyShow(big).status).toBe(0);
  });
});
