// `pwguard hash identify --source shadow` as a user runs it (`cut -d: -f2 /etc/shadow | ...`):
// account states are named as `pwguard audit` names them, not "unknown scheme".
import { execFileSync } from 'node:child_process';
import { pwguard } from '../../../test/support/cli.js';

// An independent tool's hash (mkpasswd from whois), so the kept hash is a real one.
const yescrypt = execFileSync('mkpasswd', ['-m', 'yescrypt', '-s'], { input: 'Tr0ub4dor&3' }).toString().trim();

describe('hash identify --source shadow', () => {
  it('calls *, !, !!, *LK* locked accounts and exits 0 for them', () => {
    const r = pwguard(['hash', 'identify', '--source', 'shadow'], { input: '*\n!\n!!\n*LK*\n' });
    expect(r.stdout).toBe([1, 2, 3, 4].map((n) => `line ${n}: locked account (no password hash)\n`).join(''));
    expect(r.stdout).not.toContain('unknown scheme');
    expect(r.status).toBe(0);
  });

  it('judges the old hash behind ! (unlocking brings it back), and says the account is locked', () => {
    const r = pwguard(['hash', 'identify', '--source', 'shadow'], { input: `!${yescrypt}\n` });
    expect(r.stdout).toMatch(/^line 1: locked account; its old hash \(usermod -U brings it back\): yescrypt \(salted, .*\) ok\n$/);
    expect(r.status).toBe(0);
  });

  it('calls the empty field an account without a password (a finding, as in the audit: exit 1)', () => {
    const r = pwguard(['hash', 'identify', '--source', 'shadow'], { input: `${yescrypt}\n\n*\n` });
    expect(r.stdout.split('\n')[1]).toBe('line 2: no password: the account may log in without one');
    expect(r.status).toBe(1);
  });

  it('JSON: the state of each field, and no_hash where it holds none', () => {
    const r = pwguard(['hash', 'identify', '--source', 'shadow', '--format', 'json'], { input: `*\n\n!${yescrypt}\n${yescrypt}\n` });
    const values = (JSON.parse(r.stdout) as { values: Record<string, unknown>[] }).values;
    expect(values.map((v) => [v.line, v.state, v.status, v.scheme])).toEqual([
      [1, 'locked', 'no_hash', undefined], [2, 'no_password', 'no_hash', undefined], [3, 'locked', 'ok', 'yescrypt'], [4, 'active', 'ok', 'yescrypt'],
    ]);
  });

  it('without --source shadow, blank lines are still skipped', () => {
    const r = pwguard(['hash', 'identify'], { input: `${yescrypt}\n\n` });
    expect(r.stdout).toMatch(/^line 1: yescrypt .* ok\n$/);
    expect(r.status).toBe(0);
  });
});
