// The workspace's wiring, checked from the files themselves: every package declares exactly what
// its code imports (nothing undeclared, nothing unused), dependencies point one way (nothing
// imports the CLI; strength imports no other package and no `node:` module), and
// docs/architecture.md's dependency list is the one the package.json files say.
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PACKAGES = join(ROOT, 'packages');

interface Pkg {
  dir: string;
  name: string;
  deps: string[];
  devDeps: string[];
  scripts: string;
}

function packages(): Pkg[] {
  return readdirSync(PACKAGES)
    .filter((d) => existsSync(join(PACKAGES, d, 'package.json')))
    .map((d) => {
      const json = JSON.parse(readFileSync(join(PACKAGES, d, 'package.json'), 'utf8')) as {
        name: string; dependencies?: Record<string, string>; peerDependencies?: Record<string, string>;
        devDependencies?: Record<string, string>; scripts?: Record<string, string>;
      };
      return {
        dir: join(PACKAGES, d), name: json.name,
        deps: Object.keys({ ...json.dependencies, ...json.peerDependencies }),
        devDeps: Object.keys(json.devDependencies ?? {}),
        scripts: Object.values(json.scripts ?? {}).join('\n'),
      };
    });
}

/** Files whose code ships or builds the package: src/, scripts/, bin/, native/, module/ (not tests, benches, dist). */
function codeFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) {
        if (!['node_modules', 'dist', 'build', 'test', 'bench'].includes(name)) walk(p);
      } else if (/\.(ts|mts|mjs|js|cjs|sh|gyp)$/.test(name) || (relative(dir, d) === 'bin' && !name.endsWith('.json'))) {
        out.push(p);
      }
    }
  };
  for (const sub of ['src', 'scripts', 'bin', 'native', 'module']) if (existsSync(join(dir, sub))) walk(join(dir, sub));
  return out;
}

const IMPORT = /(?:\bfrom\s+|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm;

function packageOf(spec: string): string | null {
  if (spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('node:')) return null;
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string);
}

function imports(pkg: Pkg): { runtime: Set<string>; mentioned: string } {
  const runtime = new Set<string>();
  let mentioned = pkg.scripts;
  for (const f of codeFiles(pkg.dir)) {
    const text = readFileSync(f, 'utf8');
    mentioned += `\n${text}`;
    if (!/\.(ts|mts|mjs|js|cjs)$/.test(f) && !f.includes('/bin/')) continue;
    for (const m of text.matchAll(IMPORT)) {
      const name = packageOf(m[1] as string);
      if (name && name !== pkg.name) runtime.add(name);
    }
  }
  return { runtime, mentioned };
}

const PKGS = packages();

test.each(PKGS.map((p) => [p.name, p] as const))('%s declares exactly what its code imports', (_name, pkg) => {
  const { runtime, mentioned } = imports(pkg);
  const declared = new Set([...pkg.deps, ...pkg.devDeps]);
  const undeclared = [...runtime].filter((n) => !declared.has(n)).sort();
  // A dependency is used when code imports it or a build step names it (node-gyp in build.sh).
  const unused = pkg.deps.filter((n) => !runtime.has(n) && !mentioned.includes(n)).sort();
  expect({ undeclared, unused }).toEqual({ undeclared: [], unused: [] });
});

test('no package depends on the CLI, and strength depends on no other package', () => {
  const cli = PKGS.find((p) => p.dir.endsWith('/cli'))?.name;
  expect(cli).toBeDefined();
  for (const p of PKGS) expect(p.deps).not.toContain(cli);
  const strength = PKGS.find((p) => p.name === '@pwguard/strength');
  expect(strength?.deps.filter((d) => d.startsWith('@pwguard/'))).toEqual([]);
});

test('strength is browser-safe: no node: import anywhere in its sources', () => {
  const strength = PKGS.find((p) => p.name === '@pwguard/strength') as Pkg;
  const offenders = codeFiles(join(strength.dir)).filter((f) => f.includes('/src/') && /['"]node:/.test(readFileSync(f, 'utf8')));
  expect(offenders).toEqual([]);
});

test("docs/architecture.md's dependency list is the one the package.json files declare (scripts/architecture-deps writes it)", () => {
  const doc = readFileSync(join(ROOT, 'docs/architecture.md'), 'utf8');
  const block = /<!-- deps:begin -->\n([\s\S]*?)<!-- deps:end -->/.exec(doc)?.[1];
  expect(block).toBeDefined();
  const internal = new Set(PKGS.map((p) => p.name));
  const expected = [...PKGS]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((p) => `    ${p.name} -> ${p.deps.filter((d) => internal.has(d)).sort().join(', ') || '(nothing)'}`)
    .join('\n');
  expect(block?.trimEnd()).toBe(expected);
});
