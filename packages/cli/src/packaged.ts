// Whether this pwguard runs from the Debian package (scripts/build-deb): the package writes
// packaged.json beside the bundled CLI (/usr/lib/pwguard) with the paths it installed. In a checkout
// (packages/cli/dist) there is no such file, and `pwguard pam install` copies from the checkout.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { PamMethod } from '@pwguard/pam';

export interface PackagedInstall {
  /** The package that owns the files (dpkg -S would name it). */
  readonly package: string;
  readonly hook: string;
  /** The hook bundle and its dictionaries. */
  readonly libDir: string;
  readonly module: string;
  readonly profile: string;
  /** How the packaged profile runs the hook. */
  readonly method: PamMethod;
  /** pwguard_ppolicy.so by slapd module interface, and the kadmind plugin (packages from 2026-12 on). */
  readonly ldapModules?: Readonly<Record<'2.5' | '2.6', string>>;
  readonly krb5Plugin?: string;
}

export const PACKAGED_FILE = 'packaged.json';

let cached: PackagedInstall | null | undefined;

export function packagedInstall(): PackagedInstall | null {
  if (cached !== undefined) return cached;
  const file = fileURLToPath(new URL(`./${PACKAGED_FILE}`, import.meta.url));
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return (cached = null);
  }
  const p = JSON.parse(text) as Partial<PackagedInstall>;
  for (const k of ['package', 'hook', 'libDir', 'module', 'profile', 'method'] as const) {
    if (typeof p[k] !== 'string') throw new Error(`${file}: "${k}" is missing (reinstall the ${p.package ?? 'pwguard'} package)`);
  }
  return (cached = p as PackagedInstall);
}
