#!/usr/bin/env node
// The pwguard executable: runs the program and sets the exit code.
import { runCli, reportError } from './program.js';

runCli(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => { process.exitCode = reportError(err); },
);
