// pwguard breach: build, query, describe and check breached-password stores (docs/breach.md).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Command, Option } from 'commander';
import {
  DEFAULT_MEMORY, InputError, StoreError, embeddedLookup, openStore, verifyStore,
  type BreachStore, type BuildProgress, type BuildResult, type InputKind,
} from '@pwguard/breach';
import { checkOutputPath, writeFailed } from '@pwguard/files';
import { EXIT, UserError } from '../errors.js';
import { readStdinBytes, readStdinLines } from '../io.js';
import type { BuildMessage, BuildRequest } from './breach-build-worker.js';

interface BuildOpts {
  output: string;
  kind?: InputKind;
  storeKind?: 'sha1' | 'ntlm';
  countBits: string;
  tempDir?: string;
  memory?: string;
}

interface LookupOpts {
  store?: string;
  hash?: boolean;
  format: 'text' | 'json';
}

const formatOption = (): Option => new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text');

export function registerBreach(program: Command): void {
  const breach = program.command('breach').description('Build and query breached-password stores (Have I Been Pwned, wordlists).');
  breach
    .command('build')
    .description('Build a store from HIBP downloads (HASH:COUNT file or range folder) or plaintext wordlists.')
    .argument('<input...>', 'input files or HIBP range folders')
    .requiredOption('-o, --output <store>', 'store file to write (replaced only when the build succeeds)')
    .addOption(new Option('-k, --kind <kind>', 'kind of every input').choices(['sha1', 'ntlm', 'plaintext']).default(undefined, 'detected from each file\'s first line'))
    .addOption(new Option('--store-kind <kind>', 'hash plaintext into this kind when no hash input decides').choices(['sha1', 'ntlm']).default(undefined, 'sha1'))
    .option('--count-bits <n>', 'bits of the log-scale breach count per entry, 0-8', '7')
    .option('--temp-dir <dir>', 'folder for the temporary partition files (about 16 bytes per input line)')
    .addOption(new Option('--memory <MiB>', 'working-memory budget of an unsorted build in MiB, at least 1; Node adds about 80').default(undefined, String(DEFAULT_MEMORY / 1048576)))
    .addHelpText('after', `
Input lines: HASH:COUNT (40 hex SHA-1 or 32 hex NTLM), range files XXXXX.txt of SUFFIX:COUNT,
or plaintext PASSWORD or PASSWORD<TAB>COUNT. Upper or lower case, LF or CRLF, any order.
A file whose lines do not all have the declared or detected shape is refused (file:line).
Progress is shown on a terminal. Exit status: 0 built, 2 bad input or usage.

Example:
  pwguard breach build -o /var/lib/pwguard/hibp.pwg pwnedpasswords.txt`)
    .action(async (inputs: string[], opts: BuildOpts) => {
      process.exitCode = await runBuild(inputs, opts);
    });
  breach
    .command('lookup')
    .description('Read passwords (or hex hashes with --hash) on stdin, one per line; print each one\'s breach count.')
    .addOption(new Option('-s, --store <store>', 'store file').default(undefined, 'the built-in common-password list'))
    .option('--hash', 'lines are hex digests of the store\'s kind, not passwords')
    .addOption(formatOption())
    .addHelpText('after', `
Prints one line per input line: the count (0 when absent), or "invalid" for a malformed
--hash line. Inputs are never echoed. --format json prints {"results":[{"line","count"}...]}.
Exit status: 0 none found, 1 at least one found, 2 invalid line, bad store or usage.

Example:
  printf '%s\\n' "$candidate" | pwguard breach lookup --store hibp.pwg`)
    .action(async (opts: LookupOpts) => {
      process.exitCode = await runLookup(opts);
    });
  breach
    .command('info')
    .description('Describe a store: kind, entries, size, false-positive rate, parameters.')
    .argument('<store>', 'store file')
    .addOption(formatOption())
    .action((path: string, opts: { format: 'text' | 'json' }) => {
      process.exitCode = runInfo(path, opts.format);
    });
  breach
    .command('verify')
    .description('Check a whole store: header, body checksum, every bucket.')
    .argument('<store>', 'store file')
    .addHelpText('after', '\nExit status: 0 intact, 1 damaged, truncated or not a store, 2 unreadable or usage.')
    .action((path: string) => {
      process.exitCode = runVerify(path);
    });
}

async function runBuild(inputs: string[], opts: BuildOpts): Promise<number> {
  const countBits = Number(opts.countBits);
  if (!Number.isInteger(countBits) || countBits < 0 || countBits > 8) throw new UserError(`--count-bits: expected 0-8, got ${opts.countBits}`);
  const memory = opts.memory === undefined ? undefined : Number(opts.memory);
  if (memory !== undefined && !(Number.isInteger(memory) && memory >= 1 && memory <= 1 << 20)) throw new UserError(`--memory: expected a whole number of MiB, 1 or more, got ${opts.memory}`);
  checkOutputPath(opts.output, { inputs, what: 'breach store' });
  const progress = process.stderr.isTTY ? new ProgressLine() : undefined;
  // Everything temporary lives in two private folders made here, so an interrupt removes it all:
  // the partial store beside the output (same file system for the rename), the partitions in --temp-dir.
  const output = resolve(opts.output);
  let stage: string;
  try {
    stage = mkdtempSync(join(dirname(output), `.${basename(output)}.build-`));
  } catch (err) {
    throw writeFailed(err, opts.output, 'breach store');
  }
  let temp: string;
  try {
    temp = mkdtempSync(join(opts.tempDir ?? tmpdir(), 'pwguard-breach-build-'));
  } catch (err) {
    rmSync(stage, { recursive: true, force: true });
    throw new UserError(`cannot use --temp-dir ${opts.tempDir ?? tmpdir()}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  const request: BuildRequest = {
    inputs, output: opts.output, countBits, tempDir: temp, stageIn: stage, progress: progress !== undefined,
    ...(opts.kind ? { kind: opts.kind } : {}),
    ...(memory !== undefined ? { memoryBytes: memory * 1048576 } : {}),
    ...(opts.storeKind ? { storeKind: opts.storeKind } : {}),
  };
  try {
    const result = await buildInWorker(request, progress);
    progress?.clear();
    process.stdout.write(
      `${opts.output}: ${result.kind}, ${result.entries.toLocaleString('en-US')} entries from ${result.lines.toLocaleString('en-US')} lines` +
      ` (${result.skipped.toLocaleString('en-US')} skipped), ${result.bytes.toLocaleString('en-US')} bytes` +
      ` (${result.bytesPerEntry.toFixed(2)} bytes/entry), false-positive rate ${result.falsePositiveRate.toExponential(2)}\n`,
    );
    return EXIT.ok;
  } finally {
    progress?.clear();
    rmSync(stage, { recursive: true, force: true });
    rmSync(temp, { recursive: true, force: true });
  }
}

/** Run the build in a worker; SIGINT/SIGTERM stop it at once (the caller removes the temp folders). */
function buildInWorker(request: BuildRequest, progress: ProgressLine | undefined): Promise<BuildResult> {
  const worker = new Worker(new URL('./breach-build-worker.js', import.meta.url), { workerData: request });
  return new Promise<BuildResult>((resolveBuild, reject) => {
    let settled = false;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      fn();
    };
    let interrupted: NodeJS.Signals | undefined;
    const stop = (signal: NodeJS.Signals): void => {
      interrupted = signal;
      void worker.terminate(); // ends the worker's JavaScript at once; 'exit' follows
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    worker.on('message', (m: BuildMessage) => {
      if (interrupted) return;
      if (m.type === 'progress') progress?.show(m.progress);
      else if (m.type === 'warning') {
        progress?.clear();
        process.stderr.write(`pwguard: warning: ${m.message}\n`);
      } else if (m.type === 'done') settle(() => resolveBuild(m.result));
      else settle(() => reject(m.user ? new UserError(m.message) : new Error(m.message)));
    });
    worker.on('error', (err) => settle(() => reject(err)));
    worker.on('exit', (code) => settle(() => reject(interrupted
      ? new UserError(`breach build interrupted (${interrupted}); temporary files removed, ${request.output} not replaced`)
      : new Error(`the build stopped unexpectedly (worker exit ${code})`))));
  }).finally(() => worker.terminate());
}

function userError(err: unknown): unknown {
  if (err instanceof InputError || err instanceof StoreError || err instanceof RangeError) return new UserError(err.message);
  return err;
}

/** One self-overwriting status line on a terminal: bytes/lines done, rate, ETA. */
class ProgressLine {
  private readonly started = Date.now();
  private phase = '';
  private phaseStart = Date.now();

  show(p: BuildProgress): void {
    if (p.phase !== this.phase) {
      this.phase = p.phase;
      this.phaseStart = Date.now();
    }
    const seconds = Math.max(0.001, (Date.now() - this.phaseStart) / 1000);
    const rate = p.done / seconds;
    const eta = rate > 0 && p.total > p.done ? `, ETA ${duration((p.total - p.done) / rate)}` : '';
    const pct = p.total > 0 ? ` (${((100 * p.done) / p.total).toFixed(1)}%)` : '';
    const amount = p.unit === 'bytes' ? `${mb(p.done)} of ${mb(p.total)}${pct}, ${p.lines.toLocaleString('en-US')} lines, ${mb(rate)}/s`
      : `${p.done.toLocaleString('en-US')} of ${p.total.toLocaleString('en-US')} ${p.unit}${pct}`;
    process.stderr.write(`\r\x1b[K${p.phase}: ${amount}${eta} [${duration((Date.now() - this.started) / 1000)}]`);
  }

  clear(): void {
    process.stderr.write('\r\x1b[K');
  }
}

function mb(bytes: number): string {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : `${(bytes / 1e6).toFixed(1)} MB`;
}

function duration(s: number): string {
  const m = Math.floor(s / 60);
  return m > 0 ? `${m}m${String(Math.floor(s % 60)).padStart(2, '0')}s` : `${s.toFixed(0)}s`;
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return Infinity; // openStore reports the problem
  }
}

/** Open a store; `preload` for batches big enough that reading the whole file is cheaper. */
function open(path: string, preload = false): BreachStore {
  try {
    return openStore(path, { preload });
  } catch (err) {
    throw userError(err);
  }
}

/** Batches above one line per 16 KiB of store read the whole file once instead of two blocks a line. */
const PRELOAD_BYTES_PER_LINE = 16 * 1024;

async function runLookup(opts: LookupOpts): Promise<number> {
  if (opts.hash && opts.store) return runHashBatch(opts.store, opts.format);
  const lines = await readStdinLines();
  const store = opts.store ? open(opts.store, lines.length * PRELOAD_BYTES_PER_LINE > fileSize(opts.store)) : undefined;
  try {
    const lookup = store ?? embeddedLookup();
    const digests = opts.hash ? await embeddedLookup().digests('sha1') : undefined;
    const counts: Array<number | null> = [];
    for (let i = 0; i < lines.length; i++) {
      const text = lines[i] as string;
      if (!digests) {
        counts.push(await lookup.count(text));
        continue;
      }
      try {
        counts.push(digests.countDigest(text.trim()));
      } catch (err) {
        if (!(err instanceof RangeError)) throw err;
        counts.push(null);
      }
    }
    return report(lookup.description, counts, opts.format, 'sha1');
  } catch (err) {
    throw userError(err);
  } finally {
    store?.close();
  }
}

/** `--hash` against a store: bytes parsed in place, the store preloaded for big batches. */
async function runHashBatch(path: string, format: 'text' | 'json'): Promise<number> {
  const input = await readStdinBytes();
  let lines = 0;
  for (let at = input.indexOf(10); at >= 0; at = input.indexOf(10, at + 1)) lines++;
  const store = open(path, lines * PRELOAD_BYTES_PER_LINE > fileSize(path));
  try {
    const counts = store.countDigestLines(input);
    if (format === 'text') return reportText(counts, store.kind);
    return report(store.description, Array.from(counts, (c) => (Number.isNaN(c) ? null : c)), format, store.kind);
  } catch (err) {
    throw userError(err);
  } finally {
    store.close();
  }
}

/** The text report of a big batch, written through one buffer (NaN marks an invalid line). */
function reportText(counts: Float64Array, kind: 'sha1' | 'ntlm'): number {
  const out = Buffer.alloc(counts.length * 11 + 16);
  let at = 0;
  let invalid = 0;
  let found = false;
  counts.forEach((c, i) => {
    if (Number.isNaN(c)) {
      invalid++;
      if (invalid <= 10) process.stderr.write(`pwguard: stdin:${i + 1}: not a ${kind === 'sha1' ? 40 : 32}-hex-digit ${kind} digest\n`);
      at += out.write('invalid\n', at, 'latin1');
      return;
    }
    if (c > 0) found = true;
    at += out.write(`${c}\n`, at, 'latin1');
  });
  if (invalid > 10) process.stderr.write(`pwguard: ${invalid} invalid lines in all\n`);
  process.stdout.write(out.subarray(0, at));
  if (invalid > 0) return EXIT.error;
  return found ? EXIT.findings : EXIT.ok;
}

/** Print one count per input line (or JSON); exit 2 if a line was invalid, 1 if one was found. */
function report(description: string, counts: ReadonlyArray<number | null>, format: 'text' | 'json', kind: 'sha1' | 'ntlm'): number {
  let invalid = 0;
  counts.forEach((c, i) => {
    if (c !== null) return;
    invalid++;
    if (invalid <= 10) process.stderr.write(`pwguard: stdin:${i + 1}: not a ${kind === 'sha1' ? 40 : 32}-hex-digit ${kind} digest\n`);
  });
  if (invalid > 10) process.stderr.write(`pwguard: ${invalid} invalid lines in all\n`);
  if (format === 'json') {
    process.stdout.write(`${JSON.stringify({ store: description, results: counts.map((count, i) => ({ line: i + 1, count })) })}\n`);
  } else {
    const chunk: string[] = [];
    for (const c of counts) chunk.push(c === null ? 'invalid' : String(c));
    if (chunk.length > 0) process.stdout.write(`${chunk.join('\n')}\n`);
  }
  if (invalid > 0) return EXIT.error;
  return counts.some((c) => (c ?? 0) > 0) ? EXIT.findings : EXIT.ok;
}

function runInfo(path: string, format: 'text' | 'json'): number {
  const store = open(path);
  try {
    const h = store.header;
    const bytes = 128 + h.dataBytes + h.dirBytes;
    const info = {
      path, kind: h.kind, entries: h.entries, bytes, bytesPerEntry: bytes / h.entries,
      falsePositiveRate: store.falsePositiveRate, countBits: h.countBits,
      params: { bucketBits: h.bucketBits, highRange: h.highRange, lowBits: h.lowBits },
    };
    process.stdout.write(format === 'json' ? `${JSON.stringify(info)}\n` : [
      `store: ${path}`,
      `kind: ${h.kind}`,
      `entries: ${h.entries.toLocaleString('en-US')}`,
      `size: ${bytes.toLocaleString('en-US')} bytes (${info.bytesPerEntry.toFixed(3)} bytes/entry)`,
      `false-positive rate: ${store.falsePositiveRate.toExponential(3)} (1 in ${Math.round(1 / store.falsePositiveRate).toLocaleString('en-US')})`,
      `count: ${h.countBits}-bit log-scale code`,
      `fingerprint: bucket ${h.bucketBits} bits, high range ${h.highRange}, low ${h.lowBits} bits`,
      '',
    ].join('\n'));
    return EXIT.ok;
  } finally {
    store.close();
  }
}

function runVerify(path: string): number {
  try {
    const r = verifyStore(path);
    process.stdout.write(`${path}: ok (${r.entries.toLocaleString('en-US')} entries in ${r.buckets.toLocaleString('en-US')} buckets, ${r.bytes.toLocaleString('en-US')} bytes)\n`);
    return EXIT.ok;
  } catch (err) {
    if (err instanceof StoreError && !/cannot open/.test(err.message)) {
      process.stderr.write(`pwguard: ${err.message}\n`);
      return EXIT.findings;
    }
    throw userError(err);
  }
}
