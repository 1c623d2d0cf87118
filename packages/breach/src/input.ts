// Reading build inputs: HIBP single files (HASH:COUNT), HIBP range folders (XXXXX.txt holding
// SUFFIX:COUNT), and plaintext wordlists (PASSWORD or PASSWORD<TAB>COUNT). The kind comes from the
// declaration or from the first line, and every later line must have the same shape: a file that
// mixes kinds is refused with its line number, never half-imported. Lines are never quoted in
// errors (they may be passwords).
import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { HEX_VALUE, hexWord, leadFromDigest, type HashKind, type Lead } from './lead.js';

export type InputKind = HashKind | 'plaintext';

export const RANGE_FILES = 1 << 20;
const READ_CHUNK = 4 << 20;
const MAX_LINE = 1 << 20;

/** A bad input line or file: names the file and line, never the line's text. */
export class InputError extends Error {
  constructor(readonly file: string, readonly line: number | undefined, problem: string) {
    super(line === undefined ? `${file}: ${problem}` : `${file}:${line}: ${problem}`);
    this.name = 'InputError';
  }
}

export interface Source {
  readonly path: string;
  readonly bytes: number;
  /** Set for a range file: the digest's first 5 hex digits, from the file name. */
  readonly prefix?: string;
}

export interface Input {
  readonly path: string;
  readonly kind: InputKind;
  readonly sources: readonly Source[];
}

/** Receives each entry's leading 96 bits and its count. */
export type Sink = (w0: number, w1: number, w2: number, count: number) => void;

const KIND_NAME: Readonly<Record<InputKind, string>> = {
  sha1: 'a SHA-1 hash line (40 hex digits, optional :COUNT)',
  ntlm: 'an NTLM hash line (32 hex digits, optional :COUNT)',
  plaintext: 'a plaintext password',
};

/** Expand an input path: a file, or a folder of range files. Kind as declared or detected. */
export function resolveInput(path: string, declared: InputKind | undefined, warn: (m: string) => void): Input {
  let st;
  try {
    st = statSync(path);
  } catch (err) {
    throw new InputError(path, undefined, `cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  if (!st.isDirectory() && !st.isFile()) {
    // The build reads a file more than once (kind detection, then the lines; the general path
    // again), which a pipe or device cannot give: say so instead of failing on the second read.
    const what = st.isFIFO() ? 'a pipe' : st.isSocket() ? 'a socket' : 'a device';
    throw new InputError(path, undefined, `not a regular file or a folder (${what}); breach build reads its input more than once: save it to a file first`);
  }
  if (!st.isDirectory()) {
    const kind = declared ?? detectFileKind(path);
    return { path, kind, sources: [{ path, bytes: st.size }] };
  }
  const sources: Source[] = [];
  for (const name of readdirSync(path).sort()) {
    const m = /^([0-9A-Fa-f]{5})\.txt$/.exec(name);
    if (!m) throw new InputError(join(path, name), undefined, 'not a range file (XXXXX.txt) in a range folder');
    sources.push({ path: join(path, name), bytes: statSync(join(path, name)).size, prefix: (m[1] as string).toUpperCase() });
  }
  if (sources.length === 0) throw new InputError(path, undefined, 'empty folder: expected HIBP range files XXXXX.txt');
  if (sources.length < RANGE_FILES) {
    warn(`${path}: ${sources.length.toLocaleString('en-US')} of ${RANGE_FILES.toLocaleString('en-US')} range files (incomplete download?)`);
  }
  const kind = detectRangeKind(sources);
  if (declared && declared !== kind) {
    throw new InputError(sources[0]?.path ?? path, 1, `expected ${KIND_NAME[declared]}, found a ${kind} range file`);
  }
  return { path, kind, sources };
}

function firstLine(path: string): { text: string; line: number } | undefined {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const got = readSync(fd, buf, 0, buf.length, 0);
    const lines = buf.subarray(0, got).toString('latin1').split('\n');
    for (let i = 0; i < lines.length - (got === buf.length ? 1 : 0); i++) {
      const text = (lines[i] as string).replace(/\r$/, '');
      if (text !== '') return { text, line: i + 1 };
    }
    return undefined;
  } finally {
    closeSync(fd);
  }
}

function shapeOf(text: string): InputKind {
  // A hash with a broken count is still a hash file: the parser then names the line.
  if (/^[0-9A-Fa-f]{40}(:|$)/.test(text)) return 'sha1';
  if (/^[0-9A-Fa-f]{32}(:|$)/.test(text)) return 'ntlm';
  return 'plaintext';
}

function detectFileKind(path: string): InputKind {
  const first = firstLine(path);
  if (!first) throw new InputError(path, undefined, 'no entries (empty file)');
  return shapeOf(first.text);
}

function detectRangeKind(sources: readonly Source[]): HashKind {
  for (const s of sources) {
    const first = firstLine(s.path);
    if (!first) continue;
    if (/^[0-9A-Fa-f]{35}:[0-9]+$/.test(first.text)) return 'sha1';
    if (/^[0-9A-Fa-f]{27}:[0-9]+$/.test(first.text)) return 'ntlm';
    throw new InputError(s.path, first.line, 'expected a range line (35 or 27 hex digits :COUNT)');
  }
  throw new InputError(sources[0]?.path ?? '', undefined, 'no entries in any range file');
}

export interface ReadStats {
  lines: number;
  entries: number;
  /** Lines with count 0 (HIBP padding) and blank lines. */
  skipped: number;
}

/**
 * Feed every entry of a source to `sink`. Hash lines are parsed in place; plaintext is hashed with
 * `hash` (the store's kind). `onBytes` reports progress per chunk read.
 */
export function readSource(
  source: Source, kind: InputKind, declared: boolean, hash: (pw: Uint8Array) => Uint8Array,
  sink: Sink, stats: ReadStats, onBytes: (n: number) => void,
): void {
  const parse = kind === 'plaintext' ? byLine(plaintextParser(source, declared, hash, sink, stats)) : hashParser(source, kind, sink, stats);
  eachChunk(source.path, parse, onBytes);
}

/** Parses whole lines in buf[from, to) (to - 1 is a newline); `line` is the number of the first. */
type ChunkParser = (buf: Buffer, from: number, to: number, line: number) => number;
type LineParser = (buf: Buffer, start: number, end: number, line: number) => void;

function byLine(parse: LineParser): ChunkParser {
  return (buf, from, to, line) => {
    let pos = from;
    while (pos < to) {
      const nl = buf.indexOf(10, pos);
      parse(buf, pos, nl > pos && buf[nl - 1] === 13 ? nl - 1 : nl, line++);
      pos = nl + 1;
    }
    return line;
  };
}

function eachChunk(path: string, parse: ChunkParser, onBytes: (n: number) => void): void {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw new InputError(path, undefined, `cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  try {
    let buf = Buffer.alloc(READ_CHUNK + 1);
    let have = 0;
    let line = 1;
    for (;;) {
      const got = readSync(fd, buf, have, buf.length - 1 - have, null);
      onBytes(got);
      let end = have + got;
      if (got === 0) {
        if (end === 0) return;
        buf[end++] = 10; // the last line had no newline
      }
      const last = buf.lastIndexOf(10, end - 1);
      const whole = last + 1;
      if (whole > 0) line = parse(buf, 0, whole, line);
      if (got === 0) return;
      have = end - whole;
      if (have >= MAX_LINE) throw new InputError(path, line, `line longer than ${MAX_LINE} bytes (not a text file?)`);
      if (have > (buf.length - 1) / 2) {
        const bigger = Buffer.alloc(buf.length * 2);
        buf.copy(bigger, 0, whole, end);
        buf = bigger;
      } else {
        buf.copy(buf, 0, whole, end);
      }
    }
  } finally {
    closeSync(fd);
  }
}

/** Parse `COUNT` digits in [at, end); -1 when not all digits. Saturates at 2^32-1. */
function parseCount(buf: Buffer, at: number, end: number): number {
  if (at >= end) return -1;
  let v = 0;
  for (let i = at; i < end; i++) {
    const d = (buf[i] as number) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return Math.min(v, 0xffffffff);
}

function hexRun(buf: Buffer, start: number, end: number): number {
  let i = start;
  while (i < end && (HEX_VALUE[buf[i] as number] as number) >= 0) i++;
  return i - start;
}

/** What a line that is not of the expected kind looks like, for the error. */
function describe(buf: Buffer, start: number, end: number): string {
  const hex = hexRun(buf, start, end);
  if (hex === end - start || buf[start + hex] === 58) {
    if (hex === 40) return 'a SHA-1 hash';
    if (hex === 32) return 'an NTLM hash';
    if (hex === 35 || hex === 27) return 'a range-file line';
  }
  return 'something else (plaintext?)';
}

/** 3 hex digits (a range file's suffix starts 3 digits into the first word). */
function hex3(b: Uint8Array, i: number): number {
  const x = HEX_VALUE[b[i] as number] as number;
  const y = HEX_VALUE[b[i + 1] as number] as number;
  const z = HEX_VALUE[b[i + 2] as number] as number;
  return (x | y | z) < 0 ? -1 : (x << 8) | (y << 4) | z;
}

/**
 * The hot loop of a build: HASH[:COUNT] lines (or SUFFIX:COUNT in a range file, whose name gives
 * the first 5 digits), parsed in place without splitting into strings.
 */
function hashParser(source: Source, kind: HashKind, sink: Sink, stats: ReadStats): ChunkParser {
  const full = kind === 'sha1' ? 40 : 32;
  const prefix = source.prefix === undefined ? -1 : parseInt(source.prefix, 16);
  const width = prefix >= 0 ? full - 5 : full;
  const expected = prefix >= 0 ? `a ${kind} range line (${width} hex digits:COUNT)` : KIND_NAME[kind];
  return (buf, from, to, line) => {
    const b = new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
    let i = from;
    for (; i < to; line++) {
      const s = i;
      let c = b[i] as number;
      if (c === 10 || (c === 13 && b[i + 1] === 10)) {
        stats.lines++;
        stats.skipped++;
        i += c === 10 ? 1 : 2;
        continue;
      }
      const at = prefix < 0 ? i : i - 5; // where the 8-digit words would start in the full digest
      const w1 = hexWord(b, at + 8);
      const w2 = hexWord(b, at + 16);
      let w0: number;
      if (prefix < 0) {
        w0 = hexWord(b, i);
      } else {
        const top = hex3(b, i);
        w0 = top < 0 ? -1 : ((prefix << 12) | top) >>> 0;
      }
      // The digits past the first 24 are only checked (full digest: 40 or 32; range suffix: 35 or 27).
      let bad = w0 === -1 || w1 === -1 || w2 === -1 || hexWord(b, at + 24) === -1 || (full === 40 && hexWord(b, at + 32) === -1);
      i += width;
      c = b[i] as number;
      let count = 1;
      if (c === 58) {
        count = 0;
        let digits = 0;
        for (;;) {
          const d = (b[++i] as number) - 48;
          if (d < 0 || d > 9) break;
          count = count * 10 + d;
          digits++;
        }
        if (digits === 0 || digits > 15) bad = true;
        c = b[i] as number;
      }
      if (c === 13) c = b[++i] as number;
      if (c !== 10 || bad) {
        const nl = buf.indexOf(10, s);
        const end = nl > s && buf[nl - 1] === 13 ? nl - 1 : nl;
        throw new InputError(source.path, line, `expected ${expected}, found ${describe(buf, s, end)}; a file must hold one kind`);
      }
      i++;
      stats.lines++;
      if (count === 0) {
        stats.skipped++;
        continue;
      }
      sink(w0, w1, w2, Math.min(count, 0xffffffff));
      stats.entries++;
    }
    return line;
  };
}

function plaintextParser(source: Source, declared: boolean, hash: (pw: Uint8Array) => Uint8Array, sink: Sink, stats: ReadStats): LineParser {
  const lead: Lead = { w0: 0, w1: 0, w2: 0 };
  return (buf, start, end, line) => {
    stats.lines++;
    if (start === end) {
      stats.skipped++;
      return;
    }
    const hex = hexRun(buf, start, end);
    const hashLike = (hex === 40 || hex === 32) && (end === start + hex || (buf[start + hex] === 58 && parseCount(buf, start + hex + 1, end) >= 0));
    // A bare hex line may be a password when the user said "plaintext"; HASH:COUNT never is.
    if (hashLike && (!declared || end !== start + hex)) {
      throw new InputError(source.path, line, `expected ${KIND_NAME.plaintext}, found ${describe(buf, start, end)}; a file must hold one kind`);
    }
    let pwEnd = end;
    let count = 1;
    let tab = end;
    while (tab > start && (buf[tab - 1] as number) >= 48 && (buf[tab - 1] as number) <= 57) tab--;
    tab--;
    if (tab >= start && tab < end - 1 && buf[tab] === 9) {
      const c = parseCount(buf, tab + 1, end);
      if (c >= 0) {
        count = c;
        pwEnd = tab;
      }
    }
    if (count === 0 || pwEnd === start) {
      stats.skipped++;
      return;
    }
    leadFromDigest(hash(buf.subarray(start, pwEnd)), lead);
    sink(lead.w0, lead.w1, lead.w2, count);
    stats.entries++;
  };
}
