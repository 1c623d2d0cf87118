import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { POLICY_KEYS } from '@pwguard/strength';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CLI, pwguard } from '../../../test/support/cli.js';

const AT_TERMINAL = fileURLToPath(new URL('./support/at-terminal.py', import.meta.url));

/** `pwguard check` on a real pseudo-terminal (python3's pty): what the screen showed, and the exit code. */
function atTerminal(keys: string, args: string[] = []): { screen: string; status: number } {
  const r = spawnSync('python3', [AT_TERMINAL, 'New password: ', keys, process.execPath, CLI, 'check', ...args], {
    encoding: 'utf8', env: { PATH: process.env.PATH, PWGUARD_CONFIG: '' }, timeout: 120_000,
  });
  if (r.status !== 0) throw new Error(`at-terminal.py: ${r.stderr}`);
  return JSON.parse(r.stdout) as { screen: string; status: number };
}


const tmp = mkdtempSync(join(tmpdir(), 'pwguard-cli-'));
const conf = (name: string, text: string) => {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
};

describe('pwguard check at a terminal', () => {
  it('asks "New password: " and never shows what is typed', () => {
    const r = atTerminal('Glacier-Typed-Lantern-47\r');
    expect(r.screen).toMatch(/^New password: \r\naccepted \(strength [34] of 4\)\r\n$/);
    expect(r.screen).not.toContain('Glacier');
    expect(r.status).toBe(0);
  });

  it('reads one line, with Backspace editing it, and judges that', () => {
    const r = atTerminal('Secret-passwordX\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\r', ['--format', 'json']);
    expect(r.screen).not.toContain('Secret');
    const verdict = JSON.parse(r.screen.slice(r.screen.indexOf('{'))) as { reasons: { code: string; length?: number }[] };
    expect(verdict.reasons).toContainEqual(expect.objectContaining({ code: 'too_short', length: 7 }));
    expect(r.status).toBe(1);
  });

  it('Ctrl-C stops without checking (exit 130)', () => {
    const r = atTerminal('Secret\x03');
    expect(r.screen).toContain('interrupted (Ctrl-C): nothing was checked');
    expect(r.screen).not.toContain('Secret');
    expect(r.status).toBe(130);
  });
});

describe('pwguard check', () => {
  it('rejects a short breached password with exit 1 and one line per reason', () => {
    const r = pwguard(['check'], { input: 'password\n' });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^rejected/);
    expect(r.stdout).toMatch(/Too short: use at least 12 characters \(this one has 8\)/);
    expect(r.stdout).toMatch(/Seen [\d,]+ times in data breaches/);
    expect(r.stdout + r.stderr).not.toContain('password\n');
  });

  it('accepts a strong passphrase with exit 0', () => {
    const r = pwguard(['check'], { input: 'glacier-ostrich-lantern-47\n' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^accepted \(strength [34] of 4\)/);
  });

  it('prints the verdict object with --format json', () => {
    const r = pwguard(['check', '--format', 'json'], { input: 'P@ssw0rd2024' });
    expect(r.status).toBe(1);
    const v = JSON.parse(r.stdout);
    expect(v).toMatchObject({ ok: false, enforced: true });
    // A common password with look-alikes and a year: the attacker model's (min_guess_rank), before zxcvbn.
    expect(v.reasons).toEqual([expect.objectContaining({ code: 'predictable', source: 'common', within: expect.any(Number), kind: expect.any(String) })]);
    expect(Object.keys(v).sort()).toEqual(['enforced', 'feedback', 'guessesLog10', 'ok', 'reasons', 'score']);
  });

  it('does not count the trailing newline, but does count other trailing space', () => {
    const a = JSON.parse(pwguard(['check', '--format', 'json'], { input: 'abcdefghijk\n' }).stdout);
    expect(a.reasons[0]).toMatchObject({ code: 'too_short', length: 11 });
    const b = JSON.parse(pwguard(['check', '--format', 'json'], { input: 'abcdefghijk \n' }).stdout);
    expect(b.reasons.map((x: { code: string }) => x.code)).not.toContain('too_short'); // 12 with the space
  });

  it('refuses invalid UTF-8 and a NUL byte clearly, without a crash', () => {
    const bad = pwguard(['check'], { input: Buffer.from([0x61, 0x62, 0xff, 0xfe, 0x63, 0x0a]) });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/not valid UTF-8/);
    const nul = pwguard(['check'], { input: Buffer.from('glacier-ostrich\0lantern-47') });
    expect(nul.status).toBe(1);
    expect(nul.stdout).toMatch(/NUL character/);
    expect(bad.stderr + nul.stderr).toBe('');
  });

  it('uses the user name and GECOS given', () => {
    const r = pwguard(['check', '--user', 'alice', '--gecos', 'Alice Liddell', '--format', 'json'], { input: 'liddell-tea-party-1865' });
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).reasons[0]).toMatchObject({ code: 'contains_context', word: 'Liddell' });
  });

  it('takes GECOS from the passwd database when only --user is given', () => {
    // Debian's `list` account has the GECOS "Mailing List Manager".
    const r = pwguard(['check', '--user', 'list', '--format', 'json'], { input: 'universe-manager-of-77' });
    expect(JSON.parse(r.stdout).reasons[0]).toMatchObject({ code: 'contains_context', word: 'Manager' });
  });

  it('exits 2 and names file, line and key for a bad config', () => {
    const path = conf('bad.conf', 'min_length = 14\nminlen = 8\n');
    const r = pwguard(['check', '--config', path], { input: 'glacier-ostrich-lantern-47' });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`pwguard: config error: ${path}:2: minlen: unknown key (known: ${KNOWN})\n`);
  });

  it('exits 2 for a missing config file given explicitly, and reads PWGUARD_CONFIG', () => {
    expect(pwguard(['check', '--config', join(tmp, 'nope.conf')], { input: 'x' }).stderr).toMatch(/^pwguard: cannot read config file .*nope\.conf: no such file or folder \(ENOENT\)\n$/);
    const path = conf('long.conf', 'min_length = 30\n');
    const r = pwguard(['check', '--format', 'json'], { input: 'glacier-ostrich-lantern-47', env: { PWGUARD_CONFIG: path } });
    expect(JSON.parse(r.stdout).reasons[0]).toMatchObject({ code: 'too_short', min: 30 });
  });

  it('exits 2 with one line when the breach store cannot be opened (never accepts silently)', () => {
    const path = conf('nostore.conf', `breach_store = ${join(tmp, 'missing.pwg')}\n`);
    const r = pwguard(['check', '--config', path], { input: 'glacier-ostrich-lantern-47' });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^pwguard: cannot open breach_store .*missing\.pwg: .*ENOENT\n$/);
  });

  it('warns but accepts with enforcing = 0', () => {
    const path = conf('warn.conf', 'enforcing = 0\n');
    const r = pwguard(['check', '--config', path], { input: 'Password1!' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^accepted with warnings/);
  });

  it('has --help and --version; a usage error exits 2', () => {
    const help = pwguard(['check', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/read from standard input/);
    expect(pwguard(['--version']).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    expect(pwguard(['check', '--format', 'yaml']).status).toBe(2);
    expect(pwguard(['no-such-command']).status).toBe(2);
  });
});

describe('pwguard policy show', () => {
  it('prints each value with its origin and the breach list in use', () => {
    const path = conf('show.conf', '# site policy\nprofile = nist\nmin_score = 4\n');
    const r = pwguard(['policy', 'show', '--config', path]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^min_score = 4 +# ${path.replace(/[.]/g, '\\.')}:3$`, 'm'));
    expect(r.stdout).toMatch(/^min_length = 15 +# profile nist$/m);
    expect(r.stdout).toMatch(/^# breach list in use: .*built-in/m);
    const json = JSON.parse(pwguard(['policy', 'show', '--config', path, '--format', 'json']).stdout);
    expect(json.origins.min_length).toBe('profile nist');
  });
});

const KNOWN = POLICY_KEYS.map((k) => k.key).join(', ');
