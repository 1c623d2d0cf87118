// The README's examples are real runs: each block between `<!-- example:NAME ... -->` and
// `<!-- end example -->` is a transcript ("$ command" lines, then what the command printed). The
// test runs the commands in order in one bash, from the checkout root, with the built-in policy,
// and the transcript must be exactly what they print, so the README cannot drift from the program.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

interface Example { readonly name: string; readonly transcript: string }

/** Every example block, its indentation (4 spaces) removed. */
function examples(markdown: string): Example[] {
  const found: Example[] = [];
  const re = /^<!-- example:(\S+)[^\n]*-->\n([\s\S]*?)^<!-- end example -->$/gm;
  for (const m of markdown.matchAll(re)) {
    found.push({ name: m[1] ?? '', transcript: (m[2] ?? '').split('\n').map((l) => l.replace(/^ {4}/, '')).join('\n') });
  }
  return found;
}

/** Run a transcript's commands in one bash and write the transcript they really give. */
function replay(transcript: string, env: NodeJS.ProcessEnv): string {
  const commands = transcript.split('\n').filter((l) => l.startsWith('$ ')).map((l) => l.slice(2));
  // Printing the "$ command" line must not change $? for a command like `echo $?`.
  const script = commands.map((c) => `printf '$ %s\\n' ${shellQuote(c)}; (exit $status)\n${c}\nstatus=$?`).join('\n');
  const r = spawnSync('bash', ['-c', `exec 2>&1; status=0\n${script}`], { cwd: ROOT, env, encoding: 'utf8', timeout: 120_000 });
  return r.stdout;
}

const shellQuote = (s: string): string => `'${s.replace(/'/g, "'\\''")}'`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pwguard-readme-'));
  writeFileSync(join(dir, 'empty.conf'), '# the built-in policy\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('the README has the check example', () => {
  expect(examples(README).map((e) => e.name)).toContain('check');
});

test.each(examples(README).map((e) => [e.name, e] as const))('README example %s is what the commands print', (_name, example) => {
  // The built-in policy, whatever /etc/security/pwguard.conf this machine has.
  const env = { PATH: process.env.PATH, HOME: dir, PWGUARD_CONFIG: join(dir, 'empty.conf') };
  expect(replay(example.transcript, env)).toBe(example.transcript);
});
