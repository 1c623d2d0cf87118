// Cross-package: an unsalted hash found in a real @pwguard/breach store (built from a plaintext
// list by buildStore) is weak at no guessing cost; and `--expire --apply` really runs chage on a
// shadow file under another root (needs root for chage -R).
import { describe, expect, it, jest } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildStore, openStore } from '@pwguard/breach';
import { auditAccounts, mergeAccounts, parseHtpasswd } from '@pwguard/audit';

jest.setTimeout(120_000);
const tmp = mkdtempSync(join(tmpdir(), 'pwguard-audit-x-'));
const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'packages', 'cli', 'dist', 'main.js');
const sha = (pw: string): string => `{SHA}${execFileSync('python3', ['-c', 'import hashlib,base64,sys;print(base64.b64encode(hashlib.sha1(sys.argv[1].encode()).digest()).decode())', pw]).toString().trim()}`;

describe('unsalted hashes against a breach store', () => {
  it('reports breached_hash with the count, without guessing the password', async () => {
    const list = join(tmp, 'leaked.txt');
    writeFileSync(list, 'Zebra-Leaked-Only-Here-77\nanother-leaked-one\n');
    const store = join(tmp, 'store.pwg');
    await buildStore({ inputs: [list], output: store });
    const breach = openStore(store);
    try {
      const raw = parseHtpasswd(`leak:${sha('Zebra-Leaked-Only-Here-77')}\nsafe:${sha('Not-In-The-Store-42!')}\n`, 'ht').accounts;
      const rep = await auditAccounts(mergeAccounts(raw), [], { breach, maxGuesses: 50 });
      const leak = rep.accounts.find((a) => a.user === 'leak');
      expect(leak?.found).toMatchObject({ how: 'breached_hash', attribute: 'htpasswd' });
      expect(leak?.found?.breachCount).toBeGreaterThan(0);
      expect(leak?.findings[0]?.code).toBe('breached_hash');
      expect(rep.accounts.find((a) => a.user === 'safe')?.found).toBeNull();
      expect(rep.summary.foundBy.breached_hash).toBe(1);
    } finally {
      breach.close();
    }
  });
});

/** Overwrite everything after the 128-byte header: the store opens, every lookup fails. */
function damage(store: string): void {
  const bytes = readFileSync(store);
  bytes.fill(0xa5, 128);
  writeFileSync(store, bytes);
}

describe('the breach store: cleartext values, a store of the wrong kind, a damaged store', () => {
  it('flags a cleartext password that is in the --breach-store, even without the policy judge', async () => {
    const list = join(tmp, 'leaked2.txt');
    writeFileSync(list, 'Zebra-Leaked-Only-Here-77\n');
    const store = join(tmp, 'store2.pwg');
    await buildStore({ inputs: [list], output: store });
    const breach = openStore(store);
    try {
      const raw = parseHtpasswd('clear:Zebra-Leaked-Only-Here-77\nfine:Not-In-The-Store-42!\n', 'ht').accounts;
      const rep = await auditAccounts(mergeAccounts(raw), [], { breach, maxGuesses: 20, common: false });
      const clear = rep.accounts.find((a) => a.user === 'clear');
      expect(clear).toMatchObject({ weak: true, found: { how: 'cleartext', band: 'cleartext' } });
      expect(clear?.found?.breachCount).toBeGreaterThan(0);
      expect(rep.accounts.find((a) => a.user === 'fine')?.found).toBeNull();
    } finally {
      breach.close();
    }
  });

  it('says when the store is of another kind than the unsalted hashes (NTLM store, {SHA} values)', async () => {
    const list = join(tmp, 'leaked3.txt');
    writeFileSync(list, 'Zebra-Leaked-Only-Here-77\n');
    const store = join(tmp, 'ntlm.pwg');
    await buildStore({ inputs: [list], output: store, storeKind: 'ntlm' });
    const breach = openStore(store);
    try {
      const raw = parseHtpasswd(`leak:${sha('Zebra-Leaked-Only-Here-77')}\n`, 'ht').accounts;
      const rep = await auditAccounts(mergeAccounts(raw), [], { breach, maxGuesses: 20, common: false });
      expect(rep.problems).toEqual([{ where: breach.description, message: 'holds NTLM hashes: 1 unsalted SHA-1 value(s) need a store of their own kind and were not looked up' }]);
    } finally {
      breach.close();
    }
  });

  it('a damaged store is never read as "not breached": the account gets breach_unchecked', async () => {
    const list = join(tmp, 'leaked4.txt');
    writeFileSync(list, 'Zebra-Leaked-Only-Here-77\n');
    const store = join(tmp, 'damaged.pwg');
    await buildStore({ inputs: [list], output: store });
    damage(store);
    const breach = openStore(store);
    try {
      const raw = parseHtpasswd(`leak:${sha('Zebra-Leaked-Only-Here-77')}\nclear:Zebra-Leaked-Only-Here-77\n`, 'ht').accounts;
      const rep = await auditAccounts(mergeAccounts(raw), [], { breach, maxGuesses: 20, common: false });
      for (const a of rep.accounts) expect(a.findings.map((f) => f.code)).toContain('breach_unchecked');
      expect(JSON.stringify(rep)).not.toContain('Zebra');
    } finally {
      breach.close();
    }
  });
});

const asRoot = process.getuid?.() === 0 ? describe : describe.skip;
asRoot('--expire --apply on a shadow file under another root', () => {
  it('runs chage -R ROOT -d 0 for the weak accounts only', () => {
    const root = join(tmp, 'sysroot');
    mkdirSync(join(root, 'etc'), { recursive: true });
    const md5 = (pw: string): string => execFileSync('openssl', ['passwd', '-1', pw]).toString().trim();
    writeFileSync(join(root, 'etc', 'passwd'), 'weak:x:1001:1001:Weak User:/home/weak:/bin/sh\nstrong:x:1002:1002:Strong User:/home/strong:/bin/sh\n');
    writeFileSync(join(root, 'etc', 'group'), 'weak:x:1001:\nstrong:x:1002:\n');
    writeFileSync(join(root, 'etc', 'shadow'), `weak:${md5('letmein')}:20000:0:99999:7:::\nstrong:${md5('Qz-8-not-a-guess!x')}:20000:0:99999:7:::\n`, { mode: 0o600 });
    const args = [CLI, 'audit', '--shadow', join(root, 'etc', 'shadow'), '--passwd', join(root, 'etc', 'passwd'), '--max-guesses', '60', '--no-judge', '--format', 'json', '--expire'];
    const dry = spawnSync(process.execPath, args, { encoding: 'utf8', env: { PATH: process.env.PATH } });
    expect(dry.status).toBe(1);
    expect(dry.stderr).toBe(`expire (dry run; add --apply to do it):\n  would: chage -R ${root} -d 0 -- weak\n`);
    expect(readFileSync(join(root, 'etc', 'shadow'), 'utf8')).toMatch(/^weak:[^:]+:20000:/);
    const real = spawnSync(process.execPath, [...args, '--apply'], { encoding: 'utf8', env: { PATH: process.env.PATH } });
    expect(real.stderr).toBe(`expire: done: chage -R ${root} -d 0 -- weak\n`);
    const after = readFileSync(join(root, 'etc', 'shadow'), 'utf8');
    expect(after).toMatch(/^weak:[^:]+:0:/m);
    expect(after).toMatch(/^strong:[^:]+:20000:/m);
  });
});
