// Every top-level command registers itself here; main.ts knows nothing else.
// One line per command module: keep the list sorted.
import type { Command } from 'commander';
import { registerAudit } from './audit.js';
import { registerBreach } from './breach.js';
import { registerCheck } from './check.js';
import { registerGenerate } from './generate.js';
import { registerGuesses } from './guesses.js';
import { registerHash } from './hash.js';
import { registerLdap } from './ldap.js';
import { registerPam } from './pam.js';
import { registerPolicy } from './policy.js';
import { registerReport } from './report.js';

export const COMMANDS: ReadonlyArray<(program: Command) => void> = [
  registerAudit,
  registerBreach,
  registerCheck,
  registerGenerate,
  registerGuesses,
  registerHash,
  registerLdap,
  registerPam,
  registerPolicy,
  registerReport,
  // (more commands are added here, one line each)
];
