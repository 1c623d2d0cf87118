// Loads the known-answer fixtures: values made by independent tools (known-answers.tsv, see
// make-fixtures.sh) and published vectors (libxcrypt's in published-vectors.tsv, passlib's in
// passlib-vectors.tsv and passlib-malformed.tsv), each row citing its source.
import { readFileSync } from 'node:fs';
import type { ValueSource } from '@pwguard/hashes';

export interface KnownAnswer {
  scheme: string;
  expect: 'match' | 'mismatch';
  password: Buffer;
  stored: string;
  command: string;
  source?: ValueSource;
}

function sourceOf(scheme: string, command: string): ValueSource | undefined {
  if (scheme === 'samba-nt') return 'sambaNTPassword';
  if (command.startsWith('htpasswd') || command.startsWith('probe: htpasswd')) return 'htpasswd';
  if (command.startsWith('slappasswd')) return 'ldap';
  return undefined;
}

export function loadFixtures(name: string): KnownAnswer[] {
  const text = readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [scheme = '', expect = '', hex = '', stored = '', command = ''] = line.split('\t');
      const source = sourceOf(scheme, command);
      return { scheme, expect: expect as KnownAnswer['expect'], password: Buffer.from(hex, 'hex'), stored, command, ...(source ? { source } : {}) };
    });
}

export const KNOWN = [
  ...loadFixtures('known-answers.tsv'),
  ...loadFixtures('published-vectors.tsv'),
  ...loadFixtures('passlib-vectors.tsv'),
];

/** passlib's known-malformed values: scheme, value, citation. */
export function loadMalformed(): Array<{ scheme: string; value: string; cite: string; source?: ValueSource }> {
  const text = readFileSync(new URL('./fixtures/passlib-malformed.tsv', import.meta.url), 'utf8');
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [scheme = '', value = '', cite = ''] = line.split('\t');
      return { scheme, value, cite, ...(scheme === 'samba-nt' ? { source: 'sambaNTPassword' as const } : {}) };
    });
}

/** One fixture per scheme (the first that should match), for cross-scheme checks. */
export function onePerScheme(): KnownAnswer[] {
  const seen = new Map<string, KnownAnswer>();
  for (const k of KNOWN) if (k.expect === 'match' && !seen.has(k.scheme)) seen.set(k.scheme, k);
  return [...seen.values()];
}
