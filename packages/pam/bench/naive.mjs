// The naive hook, for scripts/bench-pam only: one process that imports the packages unbundled and
// builds zxcvbn's dictionaries from the word lists, then judges the password on stdin.
import { readFileSync } from 'node:fs';
import { createChecker, DEFAULT_POLICY } from '../../strength/dist/index.js';
import { openBreachLookup } from '../../breach/dist/index.js';

const checker = createChecker(DEFAULT_POLICY, { breach: openBreachLookup(undefined) });
const verdict = await checker.checkBytes(readFileSync(0));
process.exitCode = verdict.ok ? 0 : 1;
