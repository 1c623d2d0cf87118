// The data files a bundle of the runtime reads beside itself (import.meta.url of the bundle): the
// prebuilt zxcvbn dictionaries and the built-in breach store. @pwguard/pam's hook build copies them.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILTIN_STORE_FILE } from '@pwguard/breach';
import { defaultRankedFile } from './checker.js';

export function bundleAssets(): string[] {
  const breachDist = dirname(fileURLToPath(import.meta.resolve('@pwguard/breach')));
  return [defaultRankedFile(), join(breachDist, BUILTIN_STORE_FILE)];
}
