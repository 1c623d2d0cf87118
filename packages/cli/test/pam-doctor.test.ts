// `pwguard pam doctor`'s config check, run as a user would: a config that does not load is named,
// with what is wrong and a fix that fits (not "fix the line named" when there is no line).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pwguard } from '../../../test/support/cli.js';

interface Report { checks: { name: string; status: string; message: string; fix?: string }[] }

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pwguard-doctor-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const configCheck = (config: string) => {
  const r = pwguard(['pam', 'doctor', '--config', config, '--pam-dir', dir, '--no-latency', '--format', 'json']);
  return (JSON.parse(r.stdout) as Report).checks.find((c) => c.name === 'config');
};

describe('pam doctor --config', () => {
  it('a missing file: names it, says it does not exist, and says how to get one', () => {
    const missing = join(dir, 'nonexistent.conf');
    const c = configCheck(missing);
    expect(c).toMatchObject({ status: 'error', message: `cannot read config file ${missing}: no such file or folder (ENOENT)` });
    expect(c?.fix).toContain(`create ${missing}`);
    expect(c?.fix).not.toContain('the line named');
  });

  it('a bad line: names the file, the line and the key in the message and in the fix', () => {
    const bad = join(dir, 'bad.conf');
    writeFileSync(bad, '# site policy\nmin_length = twelve\n');
    const c = configCheck(bad);
    expect(c?.message).toBe(`config error: ${bad}:2: min_length: expected a whole number (got "twelve")`);
    expect(c?.fix).toContain(`correct ${bad} line 2 (min_length)`);
  });

  it('a folder: says it is not a regular file', () => {
    const c = configCheck(dir);
    expect(c?.message).toBe(`config file ${dir} is not a regular file (a directory)`);
    expect(c?.fix).toContain('regular config file');
  });
});
