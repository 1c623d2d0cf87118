// Shared set-up for the breach tests: a fresh temp folder and small generated HIBP data.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Planted } from '../src/gen.js';

export function tempDir(): { dir: string; path: (name: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'pwguard-breach-test-'));
  return { dir, path: (name) => join(dir, name), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export const PLANTED: readonly Planted[] = [
  { password: 'correct horse battery staple', count: 1 },
  { password: 'hunter2', count: 17 },
  { password: 'Tr0ub4dor&3', count: 1_234 },
  { password: 'pässwörd-ünïcode', count: 99_999 },
  { password: 'planted-password-5', count: 3_000_000 },
];

/** Passwords that are in no generated file. */
export const ABSENT = ['not-in-any-list-1', 'not-in-any-list-2', 'Hunter2', 'hunter2 ', ''];
