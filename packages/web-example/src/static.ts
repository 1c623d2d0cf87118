// The built page (dist/web, made by build.ts), read once at start: the server answers only for
// these names, so no request path ever reaches the file system.
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface StaticFile {
  readonly body: Buffer;
  readonly type: string;
}

export type StaticFiles = ReadonlyMap<string, StaticFile>;

/** dist/web beside this module's dist/ folder. */
export const WEB_DIR = fileURLToPath(new URL('../dist/web/', import.meta.url));

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

export function loadStaticFiles(dir = WEB_DIR): StaticFiles {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    throw new Error(`the page is not built (${dir} is missing): run \`pnpm --filter @pwguard/web-example run build:native\``);
  }
  const files = new Map<string, StaticFile>();
  for (const name of names) {
    const type = TYPES[extname(name)];
    if (type) files.set(`/${name}`, { body: readFileSync(join(dir, name)), type });
  }
  if (!files.has('/index.html')) throw new Error(`${dir} has no index.html: rebuild the page`);
  return files;
}
