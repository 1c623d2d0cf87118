// Loads the crypt(3) addon (native/). It may be missing (not built, no libcrypt): then every
// crypt scheme answers 'unsupported' and cryptSupport() says why, once, in plain words.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface CryptAddon {
  crypt(phrase: string | Uint8Array, setting: string): string | null;
  /** 1 match, 0 mismatch, -1 setting refused (by libxcrypt, or a method it has disabled). */
  verify(phrase: string | Uint8Array, stored: string): number;
  /** Index of the first match in this batch, -1 none, -2 setting refused. */
  findMatch(stored: string, candidates: readonly (string | Uint8Array)[], first: number, best: Int32Array): number;
  /** The same over UTF-8 candidates each followed by a NUL byte. */
  findMatchPacked(stored: string, packed: Uint8Array, first: number, best: Int32Array): number;
}

export type CryptSupport = { ok: true } | { ok: false; reason: string };

/** Where node-gyp puts the addon (package-relative: same from src/ and dist/). */
export const ADDON_PATH = fileURLToPath(new URL('../native/build/Release/pwguard_crypt.node', import.meta.url));

/**
 * What to do when the addon is missing, in one line: the Debian packages its build needs (npm
 * builds it at install time, native/install.mjs, when they are there).
 */
export const ADDON_MISSING = 'the crypt(3) addon is not built: install g++ make python3 libcrypt-dev (Debian packages), then reinstall pwguard';

let loaded: { addon: CryptAddon | null; support: CryptSupport } | undefined;

function load(): { addon: CryptAddon | null; support: CryptSupport } {
  if (process.env.PWGUARD_NO_CRYPT_ADDON === '1') {
    return { addon: null, support: { ok: false, reason: 'the crypt(3) addon is disabled (PWGUARD_NO_CRYPT_ADDON=1)' } };
  }
  if (!existsSync(ADDON_PATH)) {
    return {
      addon: null,
      support: { ok: false, reason: ADDON_MISSING },
    };
  }
  try {
    const addon = createRequire(import.meta.url)(ADDON_PATH) as CryptAddon;
    return { addon, support: { ok: true } };
  } catch (err) {
    const detail = err instanceof Error ? err.message.split('\n')[0] : String(err);
    return { addon: null, support: { ok: false, reason: `the crypt(3) addon cannot be loaded: ${detail}` } };
  }
}

/** The addon, or null when it is missing. */
export function cryptAddon(): CryptAddon | null {
  loaded ??= load();
  return loaded.addon;
}

/** Whether crypt(3) schemes (shadow hashes, {CRYPT}) can be checked here, and if not why. */
export function cryptSupport(): CryptSupport {
  loaded ??= load();
  return loaded.support;
}
