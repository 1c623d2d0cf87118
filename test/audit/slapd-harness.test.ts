// The slapd harness itself: it starts, serves StartTLS and ldaps with its own CA, enforces the
// userPassword ACL, and stops (the process is gone afterwards).
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { startSlapd, slappasswd, type Slapd } from '../support/slapd.js';

jest.setTimeout(60_000);
let ldap: Slapd;

beforeAll(async () => {
  ldap = await startSlapd({ users: [{ uid: 'bob', userPassword: [slappasswd('{SSHA}', 'x')] }] });
});
afterAll(async () => {
  await ldap?.stop();
});

describe('test/support/slapd', () => {
  it('serves entries over StartTLS verified with the throwaway CA', async () => {
    const out = await ldap.search(ldap.peopleBase, '(uid=bob)', ['uid', 'userPassword']);
    expect(out).toContain('uid: bob');
    expect(out).toContain('userPassword::');
  });

  it('stops the process and removes its directory', async () => {
    const other = await startSlapd();
    const pid = other.pid;
    await other.stop();
    expect(running(pid)).toBe(false);
    expect(existsSync(other.workdir)).toBe(false);
  });
});

/** Alive and not a zombie (a reaped or exited child no longer serves anything). */
function running(pid: number): boolean {
  try {
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
