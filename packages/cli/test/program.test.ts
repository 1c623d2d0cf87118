import { spawn } from 'node:child_process';
import { CLI } from '../../../test/support/cli.js';

describe('the pwguard program', () => {
  it('stops quietly, without a stack trace, when its reader goes away (| head)', async () => {
    const child = spawn(process.execPath, [CLI, 'hash', 'identify'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Enough output to fill the pipe many times over.
    child.stdin.end('{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\n'.repeat(50_000));
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stderr).not.toMatch(/EPIPE/);
    expect(code).not.toBeNull(); // exited, not killed by a signal
  });
});
