import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, pwguard } from '../../../test/support/cli.js';

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

describe('pwguard help', () => {
  it('names an unknown command and exits 2', () => {
    const r = pwguard(['help', 'nosuch']);
    expect(r.stderr).toBe('pwguard: unknown command nosuch (`pwguard --help` lists the commands)\n');
    expect(r.stdout).toBe('');
    expect(r.status).toBe(2);
    const nested = pwguard(['help', 'pam', 'nosuch']);
    expect(nested.stderr).toContain('unknown command pam nosuch');
    expect(nested.status).toBe(2);
  });

  it('shows the help of the command named, at any depth', () => {
    const r = pwguard(['help', 'pam', 'install']);
    expect(r.stdout).toMatch(/^Usage: pwguard pam install /);
    expect(r.status).toBe(0);
    expect(pwguard(['help', 'check']).stdout).toMatch(/^Usage: pwguard check /);
  });
});

describe('error messages', () => {
  it('are one line ending in a newline, e.g. a corrupt breach_store (issue 14)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pwguard-errors-'));
    try {
      writeFileSync(join(dir, 'corrupt.pwg'), 'not a store at all');
      writeFileSync(join(dir, 'pwguard.conf'), `breach_store = ${join(dir, 'corrupt.pwg')}\n`);
      writeFileSync(join(dir, 'users.htpasswd'), 'alice:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\n');
      const config = join(dir, 'pwguard.conf');
      for (const args of [
        ['audit', '--config', config, '--htpasswd', join(dir, 'users.htpasswd')],
        ['audit', '--config', config, '--htpasswd', join(dir, 'users.htpasswd'), '--format', 'json'],
        ['check', '--config', config],
        ['policy', 'show', '--config', config],
      ]) {
        const r = pwguard(args, { input: 'x\n' });
        expect([args.join(' '), r.status]).toEqual([args.join(' '), 2]);
        expect(r.stderr).toMatch(/^pwguard: .*\(no store magic at the start\)\n$/);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
