// Every top-level command registers itself here; main.ts knows nothing else.
// One line per command module: keep the list sorted.
import type { Command } from 'commander';

export const COMMANDS: ReadonlyArray<(program: Command) => void> = [
  // (more commands are added here, one line each)
];
