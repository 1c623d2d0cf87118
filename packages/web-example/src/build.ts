// Bundles the page with esbuild: page.js (the form), worker.js (the checker), and chunks split
// off at dynamic imports, so zxcvbn and its dictionaries load on the first check, not with the
// page. Writes dist/web/ and dist/bundle-sizes.json (gzipped sizes, what docs/web.md quotes).
import { build, type Metafile } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const PKG = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(PKG, 'dist', 'web');

export interface BundleSizes {
  /** Bytes gzipped (level 9) per output file, by name under dist/web. */
  readonly files: Record<string, { bytes: number; gzip: number }>;
  /** What a page load fetches: page.js and its static imports. */
  readonly page: number;
  /** What the first keystroke adds before the dictionaries: worker.js and its static imports. */
  readonly worker: number;
  /** Everything else: chunks behind dynamic imports (zxcvbn and its dictionaries). */
  readonly lazy: number;
}

export async function bundle(): Promise<BundleSizes> {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const result = await build({
    absWorkingDir: PKG,
    entryPoints: { page: 'src/browser/page.ts', worker: 'src/browser/worker.ts' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome109', 'firefox115', 'safari16'],
    minify: true,
    outdir: OUT,
    entryNames: '[name]',
    chunkNames: 'chunk-[hash]',
    metafile: true,
    logLevel: 'warning',
  });
  for (const f of ['index.html', 'style.css']) copyFileSync(join(PKG, 'static', f), join(OUT, f));
  const sizes = measure(result.metafile);
  writeFileSync(join(PKG, 'dist', 'bundle-sizes.json'), `${JSON.stringify(sizes, null, 2)}\n`);
  return sizes;
}

function measure(meta: Metafile): BundleSizes {
  const files: Record<string, { bytes: number; gzip: number }> = {};
  for (const out of Object.keys(meta.outputs)) {
    if (!out.endsWith('.js')) continue;
    const body = readFileSync(join(PKG, out));
    files[relative(OUT, join(PKG, out))] = { bytes: body.length, gzip: gzipSync(body, { level: 9 }).length };
  }
  const closure = (entry: string, seen = new Set<string>()): Set<string> => {
    if (seen.has(entry)) return seen;
    seen.add(entry);
    for (const imp of meta.outputs[entry]?.imports ?? []) if (imp.kind === 'import-statement') closure(imp.path, seen);
    return seen;
  };
  const key = (name: string) => Object.keys(meta.outputs).find((o) => o.endsWith(`/web/${name}`)) as string;
  const page = closure(key('page.js'));
  const worker = [...closure(key('worker.js'))].filter((f) => !page.has(f));
  const gz = (outs: Iterable<string>) => [...outs].reduce((s, o) => s + (files[relative(OUT, join(PKG, o))]?.gzip ?? 0), 0);
  const all = Object.keys(meta.outputs).filter((o) => o.endsWith('.js'));
  const lazy = all.filter((o) => !page.has(o) && !worker.includes(o));
  return { files, page: gz(page), worker: gz(worker), lazy: gz(lazy) };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const s = await bundle();
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
  process.stderr.write(`web-example bundle (gzipped): page ${kb(s.page)}, worker ${kb(s.worker)}, on first check ${kb(s.lazy)}\n`);
}
