// The one way tests run the built CLI as a user would: a real process (node packages/cli/dist/
// main.js), stdin piped, exit status and output captured, no inherited policy ($PWGUARD_CONFIG='').
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../packages/cli/dist/main.js', import.meta.url));

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  readonly input?: string | Uint8Array;
  /** Added to a minimal environment (PATH and an empty PWGUARD_CONFIG). */
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  readonly timeout?: number;
}

const envOf = (env: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({ PATH: process.env.PATH, PWGUARD_CONFIG: '', ...env });

export function pwguard(args: readonly string[], options: RunOptions = {}): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    input: options.input ?? '', env: envOf(options.env), cwd: options.cwd, encoding: 'utf8', timeout: options.timeout ?? 120_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The same, without blocking the test's event loop (servers in the test keep answering). */
export function pwguardAsync(args: readonly string[], options: RunOptions = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: envOf(options.env), cwd: options.cwd, timeout: options.timeout ?? 300_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}
