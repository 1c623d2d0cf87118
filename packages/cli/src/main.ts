#!/usr/bin/env node
// The pwguard executable: runs the program and sets the exit code.
import { runCli, reportError } from './program.js';
import { EXIT } from './errors.js';

// `pwguard audit ... | head`: the reader went away. Stop quietly, as other Unix tools do,
// instead of dying with a stack trace from the failed write.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? EXIT.ok);
    throw err;
  });
}

runCli(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => { process.exitCode = reportError(err); },
);
