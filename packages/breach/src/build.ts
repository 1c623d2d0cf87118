// Building a store: sorted hash files in one pass straight to buckets; anything else through
// partition files (partitions.ts), sorted and merged, then written in order (writer.ts).
import { closeSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkOutputPath } from '@pwguard/files';
import { countCode } from './countcode.js';
import { MAX_ENTRIES, chooseParams, falsePositiveRate, type StoreParams } from './format.js';
import { InputError, readSource, resolveInput, type Input, type InputKind, type ReadStats, type Sink } from './input.js';
import { passwordHasher, type HashKind } from './kinds.js';
import { Partitions, memoryPlan, partitionBits, sortPartitions, streamPartition, type MemoryPlan, type SortStats } from './partitions.js';
import { NotDirect, writeStore, type StoreTarget } from './writer.js';

export interface BuildOptions {
  /** HIBP files, HIBP range folders, or plaintext wordlists. */
  readonly inputs: readonly string[];
  readonly output: string;
  /** Declared kind of every input; detected from each file's first line when absent. */
  readonly kind?: InputKind;
  /** Kind of store to build when only plaintext is given (default sha1). */
  readonly storeKind?: HashKind;
  /** Bits of the log-scale count code, 0..8 (default 7). */
  readonly countBits?: number;
  /** Target false-positive rate (default 1e-9). */
  readonly fpRate?: number;
  /** Where the temporary partition files go (default the system temp folder). */
  readonly tempDir?: string;
  /**
   * Working-memory budget of the general path in bytes (default 96 MiB, at least 256 KiB):
   * partition write buffers and one partition's sort. Fixed buffers (about 25 MiB) and Node's own
   * memory come on top. See docs/breach.md, "Memory and temporary disk".
   */
  readonly memoryBytes?: number;
  /**
   * A private folder on the output's file system for the partial store (default: a random
   * O_EXCL temp file beside the output). A caller that must remove everything on a signal makes
   * this folder itself (mkdtemp) and removes it.
   */
  readonly stageIn?: string;
  readonly onProgress?: (p: BuildProgress) => void;
  readonly onWarning?: (message: string) => void;
}

export interface BuildProgress {
  readonly phase: 'read' | 'sort' | 'write';
  readonly done: number;
  readonly total: number;
  /** What done/total count: input bytes, partitions, or entries. */
  readonly unit: 'bytes' | 'partitions' | 'entries';
  readonly lines: number;
}

export interface BuildResult {
  readonly kind: HashKind;
  readonly entries: number;
  readonly lines: number;
  readonly skipped: number;
  readonly bytes: number;
  readonly bytesPerEntry: number;
  readonly falsePositiveRate: number;
  /** True when the input arrived sorted without repeats (no sort pass). */
  readonly sortedInput: boolean;
  /** General path only: the most bytes of records (and sort scratch) held at once, and partitions split again. */
  readonly sort?: Readonly<SortStats>;
}

export async function buildStore(options: BuildOptions): Promise<BuildResult> {
  const warn = options.onWarning ?? (() => {});
  if (options.inputs.length === 0) throw new InputError('(no input)', undefined, 'give at least one input file or folder');
  const inputs = options.inputs.map((p) => resolveInput(p, options.kind, warn));
  const kind = storeKindOf(inputs, options.storeKind);
  const countBits = options.countBits ?? 7;
  countCode(countBits); // validates
  const plan = memoryPlan(options.memoryBytes);
  const hasher = await passwordHasher(kind);
  // Before the long part: a store that cannot be written must not cost the whole build.
  checkOutputPath(options.output, { inputs: options.inputs, what: 'breach store' });
  const temp = mkdtempSync(join(options.tempDir ?? tmpdir(), 'pwguard-breach-'));
  try {
    const totalBytes = inputs.reduce((s, i) => s + i.sources.reduce((t, x) => t + x.bytes, 0), 0);
    return buildDirect(inputs, options, kind, countBits, hasher, temp, totalBytes) ??
      buildSorted(inputs, options, kind, countBits, hasher, temp, totalBytes, plan);
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

type Hasher = (pw: Uint8Array) => Uint8Array;

/**
 * The fast path for sorted hash files (HIBP's own order): parameters from an estimate of the entry
 * count (input bytes / sampled line length, plus 3%), then one pass, input straight to buckets.
 * Falls back (undefined) when the input is out of order, has repeats or plaintext, or the
 * estimate was too low (the false-positive bound would not hold) or far too high (wasted bits).
 */
function buildDirect(inputs: readonly Input[], o: BuildOptions, kind: HashKind, countBits: number, hasher: Hasher, temp: string, totalBytes: number): BuildResult | undefined {
  if (inputs.some((i) => i.kind === 'plaintext')) return undefined;
  const estimate = Math.ceil(totalBytes * sampledLinesPerByte(inputs) * 1.03) + 64;
  if (estimate > MAX_ENTRIES) return undefined;
  const params = chooseParams(kind, estimate, countBits, o.fpRate ?? 1e-9);
  const stats: ReadStats = { lines: 0, entries: 0, skipped: 0 };
  try {
    const written = writeStore(storeTarget(o), params, temp, () => {}, (assembler) => {
      readAll(inputs, o, hasher, (w0, w1, w2, count) => {
        if (!assembler.addWords(w0, w1, w2, count)) throw new NotDirect();
      }, stats, totalBytes);
    }, (p) => p.entries <= estimate && p.entries * 1.1 >= estimate);
    return result(kind, written, stats, true);
  } catch (err) {
    if (err instanceof NotDirect) return undefined;
    throw err;
  }
}

/** Input lines per byte, from up to 1 MiB of the first sources. */
function sampledLinesPerByte(inputs: readonly Input[]): number {
  let bytes = 0;
  let lines = 0;
  const buf = Buffer.alloc(1 << 20);
  for (const source of inputs.flatMap((i) => i.sources).slice(0, 64)) {
    const fd = openSync(source.path, 'r');
    try {
      const got = readSync(fd, buf, 0, buf.length - bytes, 0);
      const whole = got === source.bytes ? got : buf.lastIndexOf(10, got - 1) + 1;
      for (let at = buf.indexOf(10); at >= 0 && at < whole; at = buf.indexOf(10, at + 1)) lines++;
      bytes += whole;
    } finally {
      closeSync(fd);
    }
    if (bytes >= buf.length) break;
  }
  return bytes > 0 ? lines / bytes : 0;
}

/** The general path: partition files, sorted and merged unless the input arrived sorted. */
function buildSorted(inputs: readonly Input[], o: BuildOptions, kind: HashKind, countBits: number, hasher: Hasher, temp: string, totalBytes: number, plan: MemoryPlan): BuildResult {
  const parts = new Partitions(temp, partitionBits(totalBytes, plan), plan.bufferBytes);
  const sortStats: SortStats = { peakBytes: 0, splits: 0 };
  const stats: ReadStats = { lines: 0, entries: 0, skipped: 0 };
  readAll(inputs, o, hasher, parts.push.bind(parts), stats, totalBytes);
  parts.flush();
  const sortedInput = parts.sorted;
  const entries = sortedInput ? parts.records
    : sortPartitions(parts, plan, (done, total) => o.onProgress?.({ phase: 'sort', done, total, unit: 'partitions', lines: stats.lines }), sortStats);
  if (entries === 0) throw new InputError(o.inputs.join(', '), undefined, 'no entries found');
  if (entries > MAX_ENTRIES) throw new InputError(o.inputs.join(', '), undefined, `${entries} entries: a store holds at most ${MAX_ENTRIES}`);
  const params = chooseParams(kind, entries, countBits, o.fpRate ?? 1e-9);
  const progress = (done: number): void => o.onProgress?.({ phase: 'write', done, total: entries, unit: 'entries', lines: stats.lines });
  const written = writeStore(storeTarget(o), params, temp, progress, (assembler) => {
    for (let i = 0; i < parts.count; i++) streamPartition(parts.file(i), assembler);
  }, () => true);
  return { ...result(kind, written, stats, sortedInput), sort: sortStats };
}

function storeTarget(o: BuildOptions): StoreTarget {
  return { output: o.output, inputs: o.inputs, ...(o.stageIn ? { stageIn: o.stageIn } : {}) };
}

function result(kind: HashKind, written: { params: StoreParams; bytes: number }, stats: ReadStats, sortedInput: boolean): BuildResult {
  return {
    kind, entries: written.params.entries, lines: stats.lines, skipped: stats.skipped, bytes: written.bytes,
    bytesPerEntry: written.bytes / written.params.entries, falsePositiveRate: falsePositiveRate(written.params), sortedInput,
  };
}

function storeKindOf(inputs: readonly Input[], wanted: HashKind | undefined): HashKind {
  let kind = wanted;
  let from: string | undefined;
  for (const input of inputs) {
    if (input.kind === 'plaintext') continue;
    if (kind && kind !== input.kind) {
      const why = from ? `${from} holds ${kind} hashes` : `the store kind asked for is ${kind}`;
      throw new InputError(input.path, undefined, `holds ${input.kind} hashes, but ${why}: a store holds one kind`);
    }
    kind = input.kind;
    from ??= input.path;
  }
  return kind ?? 'sha1';
}

function readAll(inputs: readonly Input[], o: BuildOptions, hasher: Hasher, sink: Sink, stats: ReadStats, total: number): void {
  let done = 0;
  let last = 0;
  const onBytes = (n: number): void => {
    done += n;
    const now = Date.now();
    if (o.onProgress && now - last >= 200) {
      last = now;
      o.onProgress({ phase: 'read', done, total, unit: 'bytes', lines: stats.lines });
    }
  };
  for (const input of inputs) {
    for (const source of input.sources) readSource(source, input.kind, o.kind === 'plaintext', hasher, sink, stats, onBytes);
  }
  o.onProgress?.({ phase: 'read', done, total, unit: 'bytes', lines: stats.lines });
}

