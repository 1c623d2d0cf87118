// Every top-level command registers itself here; main.ts knows nothing else.
// One line per command module: keep the list sorted.
import type { Command } from 'commander';
import { registerBreach } from './breach.js';
import { registerCheck } from './check.js';
import { registerPolicy } from './policy.js';
import { registerHash } from './hash.js';

export const COMMANDS: ReadonlyArray<(program: Command) => void> = [
  registerBreach,
  registerCheck,
  registerPolicy,
  registerHash,
  // (more commands are added here, one line each)
];
