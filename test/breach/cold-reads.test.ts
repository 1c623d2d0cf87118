// A cold lookup reads the header at open, then two small blocks (a directory slice and one
// bucket) with pread: checked on the real system calls with strace.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dir = mkdtempSync(join(tmpdir(), 'pwguard-breach-reads-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('reads the 128-byte header, then at most two small blocks a lookup, never the whole file', () => {
  const gen = spawnSync(join(root, 'scripts/gen-hibp'), ['--entries', '300000', '--out', join(dir, 'in.txt'), '--plant', '3'], { encoding: 'utf8' });
  expect(gen.status).toBe(0);
  const store = join(dir, 'store.pwg');
  const build = spawnSync('node', [join(root, 'packages/cli/dist/main.js'), 'breach', 'build', '-o', store, join(dir, 'in.txt')], { encoding: 'utf8' });
  expect(build.status).toBe(0);
  const script = `import { openStore } from ${JSON.stringify(join(root, 'packages/breach/dist/index.js'))};
const s = openStore(${JSON.stringify(store)});
console.log(await s.count('planted-password-2'), await s.count('not-there'));`;
  const trace = join(dir, 'trace.txt');
  // -ff: one file per thread (libuv's pool does the reads), so a busy machine never splits a call
  // into "<unfinished ...>" / "resumed" halves; -ttt timestamps put the threads back in order.
  const r = spawnSync('strace', ['-f', '-ff', '-ttt', '-e', 'trace=openat,read,pread64,close', '-o', trace, 'node', '--input-type=module', '-e', script], { encoding: 'utf8' });
  expect(r.status).toBe(0);
  expect(r.stdout.trim()).toMatch(/^\d+ 0$/);
  // The reads on the store's descriptor between its open and its close (descriptors are reused).
  const lines = readdirSync(dir).filter((f) => f.startsWith('trace.txt.'))
    .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n'))
    .filter((l) => l !== '')
    .sort((x, y) => Number(x.split(' ')[0]) - Number(y.split(' ')[0]))
    .map((l) => l.slice(l.indexOf(' ') + 1));
  const opened = lines.findIndex((l) => /openat\(AT_FDCWD, ".*store\.pwg", O_RDONLY/.test(l));
  expect(opened).toBeGreaterThanOrEqual(0);
  const fd = /= (\d+)$/.exec(lines[opened] as string)?.[1];
  const after = lines.slice(opened + 1);
  const closed = after.findIndex((l) => new RegExp(`close\\(${fd}\\)`).test(l));
  const reads = after.slice(0, closed < 0 ? undefined : closed)
    .filter((l) => new RegExp(`(pread64|read)\\(${fd}, `).test(l))
    .map((l) => Number(/= (\d+)$/.exec(l)?.[1]));
  // Header, then (directory slice, bucket) for each of the two lookups.
  expect(reads).toHaveLength(5);
  expect(reads[0]).toBe(128);
  for (const size of reads.slice(1)) expect(size).toBeLessThanOrEqual(4096);
  expect(reads.reduce((a, b) => a + b, 0)).toBeLessThan(readFileSync(store).length / 100);
});
