// The browser bundle as the build wrote it (scripts/test builds before jest): what a page load
// fetches stays small, and zxcvbn's dictionaries sit behind dynamic imports.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@jest/globals';
import { ROOT } from './support.js';

const DIST = join(ROOT, 'packages/web-example/dist');
const sizes = JSON.parse(readFileSync(join(DIST, 'bundle-sizes.json'), 'utf8')) as {
  files: Record<string, { bytes: number; gzip: number }>; page: number; worker: number; lazy: number;
};

test('page load plus the worker stay under 60 KiB gzipped', () => {
  expect(sizes.page + sizes.worker).toBeLessThan(60 * 1024);
  expect(sizes.page).toBe(sizes.files['page.js']?.gzip);
});

test('the dictionaries are split off: most of the bundle loads only on the first check', () => {
  expect(sizes.lazy).toBeGreaterThan(10 * (sizes.page + sizes.worker));
  const worker = readFileSync(join(DIST, 'web/worker.js'), 'utf8');
  // The list's words, not its name: the worker names the dictionary it reads (guess-model.ts).
  for (const word of ['baseball', 'football', 'letmein']) expect(worker).not.toContain(word);
  expect(worker).toMatch(/import\("\.\/chunk-[A-Z0-9]+\.js"\)/);
});

test('the page has no inline script (the CSP forbids it) and loads only page.js', () => {
  const html = readFileSync(join(DIST, 'web/index.html'), 'utf8');
  expect([...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0])).toEqual(['<script type="module" src="/page.js">']);
  expect(html).not.toMatch(/<script[^>]*>[^<]+<\/script>/);
});
