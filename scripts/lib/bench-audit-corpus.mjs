// Generated-corpus maker for scripts/bench-audit: N accounts in mixed crypt schemes, some with
// planted weak passwords (common-list ranks and login/GECOS variants), the rest random.
// Hashes come from openssl passwd and mkpasswd, never from pwguard. Deterministic but for salts.
//   node bench-audit-corpus.mjs OUTDIR [accounts=200]
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { commonPasswords } from '../../packages/audit/dist/index.js';

const [outDir, n = '200'] = process.argv.slice(2);
const total = Number(n);
const common = commonPasswords(); // the built-in list pwguard uses (zxcvbn-ts language-common)
const FIRST = ['John', 'Mary', 'Peter', 'Linda', 'Carlos', 'Aiko', 'Fatima', 'Ivan', 'Grace', 'Omar', 'Sofia', 'Liam', 'Chloe', 'Noah', 'Emma', 'Lucas', 'Mia', 'Hugo', 'Nora', 'Ravi'];
const LAST = ['Smith', 'Garcia', 'Muller', 'Rossi', 'Novak', 'Tanaka', 'Silva', 'Kowalski', 'Dubois', 'Jensen', 'Okafor', 'Larsen', 'Moreau', 'Santos', 'Weber', 'Costa', 'Hansen', 'Berg', 'Kim', 'Patel'];
const cap = (w) => w[0].toUpperCase() + w.slice(1);
// Context passwords people pick, each a John "single" candidate too.
const CONTEXT = [
  (u) => u.login, (u) => `${cap(u.last)}1`, (u) => `${u.first}123`, (u) => `${u.login}2024`, (u) => [...u.login].reverse().join(''),
  (u) => `${u.first}${u.first}`, (u) => `${cap(u.first)}!`, (u) => `${u.last}12`, (u) => `${u.first}${u.last}`, (u) => `${cap(u.first)}1`,
];
const COMMON_RANKS = [2, 9, 25, 48, 77, 120, 190, 260, 390, 620];

const users = [];
const taken = new Set();
for (let i = 0; i < total; i++) {
  const first = FIRST[i % FIRST.length].toLowerCase();
  const last = LAST[Math.floor(i / FIRST.length) % LAST.length].toLowerCase();
  let login = `${first[0]}${last}`;
  for (let k = 2; taken.has(login); k++) login = `${first.slice(0, k)}${last}`;
  taken.add(login);
  users.push({ login, first, last, gecos: `${cap(first)} ${cap(last)}` });
}
// Schemes: a few yescrypt (slow), some sha512crypt at rounds=1000, the rest md5crypt.
const yes = Math.max(2, Math.round(total * 0.02));
const sha = Math.round(total * 0.28);
users.forEach((u, i) => (u.scheme = i < yes ? 'yescrypt' : i < yes + sha ? 'sha512crypt' : 'md5crypt'));
// Planted: 2 in yescrypt, 6 in sha512crypt, 12 in md5crypt; half common, half context.
const plantIdx = [0, 1, yes, yes + 1, yes + 2, yes + 3, yes + 4, yes + 5, ...Array.from({ length: 12 }, (_v, k) => yes + sha + k * 7)];
plantIdx.forEach((idx, k) => {
  const u = users[idx];
  if (k % 2 === 0) {
    const rank = COMMON_RANKS[(k / 2) % COMMON_RANKS.length];
    Object.assign(u, { password: common[rank - 1], planted: `common #${rank}` });
  } else {
    Object.assign(u, { password: CONTEXT[((k - 1) / 2) % CONTEXT.length](u), planted: 'context' });
  }
});
for (const u of users) if (!u.password) u.password = randomBytes(12).toString('base64').replace(/[/+=]/g, 'x');

const md5 = users.filter((u) => u.scheme === 'md5crypt');
const md5Hashes = execFileSync('openssl', ['passwd', '-1', '-stdin'], { input: md5.map((u) => u.password).join('\n') + '\n' }).toString().trim().split('\n');
md5.forEach((u, i) => (u.hash = md5Hashes[i]));
for (const u of users.filter((x) => x.scheme !== 'md5crypt')) {
  const args = u.scheme === 'yescrypt' ? ['-m', 'yescrypt'] : ['-m', 'sha-512', '-R', '1000'];
  u.hash = execFileSync('mkpasswd', [...args, u.password]).toString().trim();
}
writeFileSync(join(outDir, 'shadow'), users.map((u) => `${u.login}:${u.hash}:20000:0:99999:7:::`).join('\n') + '\n');
writeFileSync(join(outDir, 'passwd'), users.map((u, i) => `${u.login}:x:${2000 + i}:100:${u.gecos},,,:/home/${u.login}:/bin/sh`).join('\n') + '\n');
writeFileSync(join(outDir, 'planted.tsv'), users.filter((u) => u.planted).map((u) => `${u.login}\t${u.scheme}\t${u.planted}`).join('\n') + '\n');
writeFileSync(join(outDir, 'wordlist.txt'), common.slice(0, 1000).join('\n') + '\n');
console.log(JSON.stringify({ accounts: users.length, planted: plantIdx.length, yescrypt: yes, sha512crypt: sha, md5crypt: md5.length }));
