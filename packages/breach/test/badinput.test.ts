// Inputs that must be refused whole, with file and line, and never quoted (they may be passwords).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { buildStore, InputError, type BuildOptions } from '../src/index.js';
import { tempDir } from './helpers.js';

const t = tempDir();
afterAll(() => t.cleanup());

const SHA1 = '5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8'; // SHA-1("password"), python3 hashlib
const NTLM = '8846F7EAEE8FB117AD06BDD830B7586C'; // NTLM("password")
const SECRET = 'my-secret-Passw0rd';

let outputs = 0;

async function refusal(files: Record<string, string>, options: Partial<BuildOptions> = {}): Promise<InputError> {
  const inputs = Object.entries(files).map(([name, text]) => {
    writeFileSync(t.path(name), text);
    return t.path(name);
  });
  const output = t.path(`out-${++outputs}.pwg`);
  const err = await buildStore({ inputs, output, ...options }).then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(InputError);
  expect(existsSync(output)).toBe(false); // nothing half-written at the target
  expect((err as Error).message).not.toContain(SECRET);
  return err as InputError;
}

describe('refused inputs', () => {
  it('a SHA-1 file with an NTLM line', async () => {
    const err = await refusal({ 'mixed.txt': `${SHA1}:3\r\n${SHA1.replace('5', '6')}:1\r\n${NTLM}:2\r\n` });
    expect(err.message).toBe(`${t.path('mixed.txt')}:3: expected a SHA-1 hash line (40 hex digits, optional :COUNT), found an NTLM hash; a file must hold one kind`);
  });

  it('a hash file with a plaintext line', async () => {
    const err = await refusal({ 'plainline.txt': `${SHA1}:3\n${SECRET}\n` });
    expect(err.line).toBe(2);
    expect(err.message).toMatch(/found something else \(plaintext\?\)/);
  });

  it('a file that does not match the declared kind', async () => {
    const err = await refusal({ 'declared.txt': `${SHA1}:3\n` }, { kind: 'ntlm' });
    expect(err.message).toMatch(/declared\.txt:1: expected an NTLM hash line .* found a SHA-1 hash/);
  });

  it('a wordlist with a HASH:COUNT line in it', async () => {
    const err = await refusal({ 'words.txt': `${SECRET}\nletmein\n${NTLM}:12\n` });
    expect(err.message).toMatch(/words\.txt:3: expected a plaintext password, found an NTLM hash/);
  });

  it('a bare hex line in a detected wordlist (but not in a declared one)', async () => {
    await refusal({ 'hexword.txt': `${SECRET}\n${NTLM}\n` });
    writeFileSync(t.path('hexok.txt'), `${SECRET}\n${NTLM}\n`);
    await expect(buildStore({ inputs: [t.path('hexok.txt')], output: t.path('hexok.pwg'), kind: 'plaintext' })).resolves.toMatchObject({ entries: 2 });
  });

  it('SHA-1 and NTLM files in one store', async () => {
    const err = await refusal({ 'a.txt': `${SHA1}:1\n`, 'b.txt': `${NTLM}:1\n` });
    expect(err.message).toMatch(/b\.txt: holds ntlm hashes, but .*a\.txt holds sha1 hashes/);
  });

  it('a bad count, a short hash, a stray character', async () => {
    expect((await refusal({ 'count.txt': `${SHA1}:12x\n` })).line).toBe(1);
    expect((await refusal({ 'short.txt': `${SHA1}:1\n${SHA1.slice(1)}:1\n` })).line).toBe(2);
    expect((await refusal({ 'stray.txt': `${SHA1}:1\n${SHA1.slice(0, 39)}G:1\n` })).line).toBe(2);
  });

  it('a range folder with a file that is not XXXXX.txt, or a wrong suffix width', async () => {
    mkdirSync(t.path('ranges'));
    writeFileSync(t.path('ranges/5BAA6.txt'), `${SHA1.slice(5)}:3\r\n`);
    writeFileSync(t.path('ranges/README'), 'hello');
    const err = await buildStore({ inputs: [t.path('ranges')], output: t.path('r.pwg') }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/README: not a range file/);
    mkdirSync(t.path('ranges2'));
    writeFileSync(t.path('ranges2/5BAA6.txt'), `${SHA1.slice(5)}:3\r\n${SHA1.slice(6)}:3\r\n`);
    const err2 = await buildStore({ inputs: [t.path('ranges2')], output: t.path('r.pwg') }).catch((e: unknown) => e);
    expect((err2 as Error).message).toMatch(/5BAA6\.txt:2: expected a sha1 range line \(35 hex digits:COUNT\)/);
  });

  it('empty input and a missing file', async () => {
    expect((await refusal({ 'empty.txt': '' })).message).toMatch(/no entries/);
    const err = await buildStore({ inputs: [t.path('missing.txt')], output: t.path('m.pwg') }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/missing\.txt: cannot read: ENOENT/);
  });

  it('a pipe or device is refused by name (the build reads its input more than once), never an internal error', async () => {
    const fifo = t.path('hibp.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    // A writer, so that code which opens the pipe reads it instead of waiting for one.
    const writer = spawn('sh', ['-c', `printf '%s:1\\n' ${SHA1} > ${fifo}`], { stdio: 'ignore' });
    try {
      const err = await buildStore({ inputs: [fifo], output: t.path('fifo.pwg') }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InputError);
      expect((err as Error).message).toMatch(/hibp\.fifo: not a regular file or a folder \(a pipe\); .*save it to a file first/);
      const dev = await buildStore({ inputs: ['/dev/null'], output: t.path('dev.pwg') }).catch((e: unknown) => e);
      expect((dev as Error).message).toMatch(/\/dev\/null: not a regular file or a folder \(a device\)/);
    } finally {
      writer.kill();
    }
  });

  it('keeps an existing store when a rebuild fails', async () => {
    writeFileSync(t.path('good.txt'), `${SHA1}:1\n`);
    await buildStore({ inputs: [t.path('good.txt')], output: t.path('keep.pwg') });
    writeFileSync(t.path('bad.txt'), `${SHA1}:1\n${NTLM}:1\n`);
    await expect(buildStore({ inputs: [t.path('bad.txt')], output: t.path('keep.pwg') })).rejects.toThrow(InputError);
    expect(existsSync(t.path('keep.pwg'))).toBe(true);
  });
});
