// Runs the built CLI as a user would: a real process, stdin piped, exit code and output captured.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
export const CLI = join(here, '..', 'dist', 'main.js');

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function pwguard(args: string[], input: string | Uint8Array = '', env: NodeJS.ProcessEnv = {}): Run {
  const res = spawnSync(process.execPath, [CLI, ...args], {
    input,
    env: { PATH: process.env.PATH, PWGUARD_CONFIG: '', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}
