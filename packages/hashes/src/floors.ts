// The cost floors, in one place: a stored hash below its floor gets a storage finding that names
// its own number and the floor that applies ("bcrypt cost 5; at least 10"). docs/hashes.md cites
// this table; nothing else holds these numbers.
import type { Finding } from './types.js';
import { finding, type FindingCode } from './findings.js';

export interface CostFloor {
  /** The finding raised below the floor. */
  readonly code: FindingCode;
  /** What is measured, as the finding names it. */
  readonly measure: string;
  readonly floor: number;
  /** Where the number comes from. */
  readonly source: string;
}

export const COST_FLOORS = {
  bcrypt: { code: 'low_cost', measure: 'bcrypt cost', floor: 10, source: 'OWASP Password Storage Cheat Sheet 2023' },
  yescrypt: { code: 'low_cost', measure: 'yescrypt N x r', floor: 4096 * 32, source: "libxcrypt's default cost (N=4096, r=32)" },
  sha512crypt: { code: 'low_rounds', measure: 'sha512crypt rounds', floor: 5000, source: 'the sha-crypt default' },
  sha256crypt: { code: 'low_rounds', measure: 'sha256crypt rounds', floor: 5000, source: 'the sha-crypt default' },
  argon2Memory: { code: 'low_cost', measure: 'Argon2 memory (KiB)', floor: 7168, source: 'OWASP 2023 (m=7 MiB at t=5)' },
  argon2Work: { code: 'low_cost', measure: 'Argon2 memory x time (KiB)', floor: 35_840, source: 'OWASP 2023 (m=19 MiB with t=2, and equivalents)' },
  pbkdf2Sha1: { code: 'low_iterations', measure: 'PBKDF2-SHA1 iterations', floor: 1_300_000, source: 'OWASP 2023' },
  pbkdf2Sha256: { code: 'low_iterations', measure: 'PBKDF2-SHA256 iterations', floor: 600_000, source: 'OWASP 2023' },
  pbkdf2Sha512: { code: 'low_iterations', measure: 'PBKDF2-SHA512 iterations', floor: 210_000, source: 'OWASP 2023' },
} as const satisfies Record<string, CostFloor>;

export type FloorName = keyof typeof COST_FLOORS;

/** The finding for a value below its floor, or none. */
export function belowFloor(name: FloorName, value: number): Finding[] {
  const f: CostFloor = COST_FLOORS[name];
  return value < f.floor ? [finding(f.code, { measure: f.measure, value, floor: f.floor, source: f.source })] : [];
}
