// A real small file system that fills up: tmpfs mounted for the test (root only), for the
// full-disk cases. Unmount in afterAll.
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, truncateSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Tests that need mount(8) and chown(2) run as root; elsewhere they are skipped with that reason. */
export const IS_ROOT = process.getuid?.() === 0;

export interface Tmpfs {
  readonly dir: string;
  unmount(): void;
}

export function mountTmpfs(sizeKiB: number): Tmpfs {
  const dir = mkdtempSync(join(tmpdir(), 'pwguard-tmpfs-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKiB}k,mode=0755`, 'tmpfs', dir]);
  return {
    dir,
    unmount(): void {
      execFileSync('umount', [dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Fill the file system holding `dir` with a file `name` until a write fails, then give back
 * `leaveKiB` (so the next big write is first short, then fails). Returns the filler's path.
 */
export function fillUp(dir: string, leaveKiB = 0, name = 'filler'): string {
  const path = join(dir, name);
  const fd = openSync(path, 'w');
  const block = Buffer.alloc(4096, 0x55);
  try {
    for (;;) writeSync(fd, block);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    closeSync(fd);
  }
  if (leaveKiB > 0) truncateSync(path, Math.max(0, statSync(path).size - leaveKiB * 1024));
  return path;
}
