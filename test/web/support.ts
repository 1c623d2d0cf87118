// Helpers for the web tests: run scripts/web-example's entry point as a real child process, and
// a headless Chromium (Debian's, never a downloaded one) through playwright-core.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const ROOT = join(import.meta.dirname, '..', '..');
export const MAIN = join(ROOT, 'packages/web-example/dist/main.js');
export const CLI = join(ROOT, 'packages/cli/dist/main.js');
export const CHROMIUM = '/usr/bin/chromium';

export interface RunningService {
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything the service wrote to stdout and stderr so far (its log). */
  output(): string;
  stop(): Promise<void>;
}

/** Start the service on a free port; resolves once it prints its URL. */
export async function startWebExample(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<RunningService> {
  const child = spawn(process.execPath, [MAIN, '--port', '0', ...args], { env: { ...process.env, PWGUARD_CONFIG: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (out += b.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`web-example did not start:\n${out}`)), 30_000);
    const poll = setInterval(() => {
      const m = /listening on (\S+)/.exec(out);
      if (m) {
        clearInterval(poll);
        clearTimeout(timer);
        resolve(m[1] as string);
      }
    }, 50);
    child.once('exit', (code) => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(new Error(`web-example exited with ${code}:\n${out}`));
    });
  });
  return {
    url, child,
    output: () => out,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export async function postJson(url: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = { raw: text };
  }
  return { status: res.status, json };
}

/** The flags of shared/notes/toolchain.md for Chromium as root in a container. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Where screenshots go: $PWGUARD_ARTIFACTS/web (scripts/test sets it), else test-artifacts/web. */
export function artifactDir(): string {
  const dir = join(process.env.PWGUARD_ARTIFACTS ?? join(ROOT, 'test-artifacts'), 'web');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** ok + reason codes: what every entry point must agree on. */
export function summary(v: { ok: boolean; reasons: ReadonlyArray<{ code: string }> }): string {
  return `${v.ok ? 'ok' : 'rejected'}:${v.reasons.map((r) => r.code).join(',')}`;
}
