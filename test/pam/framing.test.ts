// One framing rule for piped passwords (strength's passwordFromInput): `pwguard check` and the
// PAM hook judge "pw\r\n", "pw\n" and "pw\0" as the password "pw", and "pw\n\n" as "pw\n".
// Before the rule was shared, check dropped "\r\n" and the hook kept the "\r": different verdicts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { pwguard } from '../support/cli.js';

jest.setTimeout(120_000);

let dir: string;
let config: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pwguard-framing-'));
  config = join(dir, 'pwguard.conf');
  // max_repeat = 1 refuses "pw\n" + "\r" style leftovers only if they count; min_length decides "12 vs 13".
  writeFileSync(config, 'min_length = 13\nenforce_for_root = 1\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const checkCodes = (input: string): string[] => {
  const r = pwguard(['check', '--config', config, '--user', 'root', '--format', 'json'], { input: input });
  return (JSON.parse(r.stdout) as { reasons: { code: string }[] }).reasons.map((x) => x.code);
};
const hookStatus = (input: string): number | null =>
  pwguard(['pam-hook', '--config', config], { input: input, env: { PAM_TYPE: 'password', PAM_USER: 'root' } }).status;

// 12 code points: too short at min_length 13 unless a framing byte is (wrongly) counted.
const PW = 'Qv7-Lantern-';

test.each(['\n', '\r\n', '\0'])('a trailing %j is framing for check and the hook alike', (frame) => {
  expect(checkCodes(PW + frame)).toEqual(['too_short']);
  expect(hookStatus(PW + frame)).toBe(1);
});

test('only one framing byte is dropped: "pw\\n\\n" is the 13-character "pw\\n"', () => {
  expect(checkCodes(`${PW}\n\n`)).not.toContain('too_short');
  expect(checkCodes(`${PW}x`)).toEqual(checkCodes(`${PW}x\r\n`));
});
