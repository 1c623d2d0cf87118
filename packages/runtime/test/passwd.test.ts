// The one passwd precedence: the file first, then NSS (getent); names that cannot be users are not looked up.
import { mkdtempSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lookupUser, parsePasswdLine } from '../src/passwd.js';

let tmp: string;
let passwd: string;
let getent: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'pwguard-passwd-'));
  passwd = join(tmp, 'passwd');
  writeFileSync(passwd, 'alice:x:1000:1000:Alice Liddell,,,:/home/alice:/bin/bash\n');
  // A stand-in NSS that knows bob and (differently) alice: the file must win for alice.
  getent = join(tmp, 'getent');
  writeFileSync(getent, '#!/bin/sh\ncase "$3" in bob) echo "bob:x:1001:1001:Bob From LDAP:/home/bob:/bin/sh";; alice) echo "alice:x:1000:1000:Wrong Alice:/:/bin/sh";; *) exit 2;; esac\n');
  chmodSync(getent, 0o755);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

test('the passwd file first, then NSS; unknown users are null', () => {
  expect(lookupUser('alice', { passwd, getent })?.gecos).toBe('Alice Liddell,,,');
  expect(lookupUser('bob', { passwd, getent })?.gecos).toBe('Bob From LDAP');
  expect(lookupUser('carol', { passwd, getent })).toBeNull();
});

test('names with a colon, newline or NUL are never looked up', () => {
  expect(lookupUser('alice:x', { passwd, getent })).toBeNull();
  expect(lookupUser('', { passwd, getent })).toBeNull();
});

test('short lines are not entries', () => {
  expect(parsePasswdLine('alice:x:1000')).toBeNull();
  expect(parsePasswdLine('root:x:0:0:root:/root:/bin/bash')).toMatchObject({ name: 'root', uid: 0, gecos: 'root' });
});
