// Synthetic Have I Been Pwned data for tests and benchmarks: N random digests in HIBP's layouts
// (one sorted HASH:COUNT file, or XXXXX.txt range files of SUFFIX:COUNT), with planted known
// passwords and counts. Seeded, so a run can be repeated.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { passwordHasher, type HashKind } from './kinds.js';

export interface Planted {
  readonly password: string;
  readonly count: number;
}

export interface GenOptions {
  readonly entries: number;
  readonly kind: HashKind;
  readonly layout: 'file' | 'folder';
  /** A file path, or a folder for the range layout. */
  readonly out: string;
  readonly planted?: readonly Planted[];
  readonly seed?: number;
  readonly lowercase?: boolean;
  /** Line ending (HIBP's downloader writes CRLF). */
  readonly eol?: '\r\n' | '\n';
  /** Spread random entries over only this many range prefixes (a partial folder, for quick tests). */
  readonly prefixes?: number;
}

export interface GenResult {
  readonly lines: number;
  readonly files: number;
  readonly planted: ReadonlyArray<Planted & { readonly digest: string }>;
}

/** Deterministic 32-bit generator (mulberry32): the data only needs to look random. */
export function random32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** Heavy-tailed counts like HIBP's: half are 1 or 2, a few are in the millions. */
export function breachCount(next: () => number): number {
  const u = (next() + 1) / 4294967297;
  return Math.min(100_000_000, Math.max(1, Math.floor(Math.pow(1 / u, 0.9))));
}

interface Entry {
  top: number;
  rest: string;
  count: number;
}

export async function generateHibp(o: GenOptions): Promise<GenResult> {
  const next = random32(o.seed ?? 1);
  const hexDigits = o.kind === 'sha1' ? 40 : 32;
  const hash = await passwordHasher(o.kind);
  const planted = (o.planted ?? []).map((p) => ({ ...p, digest: Buffer.from(hash(p.password)).toString('hex').toUpperCase() }));
  const plantedByPrefix = new Map<number, Entry[]>();
  for (const p of planted) {
    const prefix = parseInt(p.digest.slice(0, 5), 16);
    const list = plantedByPrefix.get(prefix) ?? [];
    list.push({ top: parseInt(p.digest.slice(5, 13), 16), rest: p.digest.slice(13), count: p.count });
    plantedByPrefix.set(prefix, list);
  }
  const prefixes = Math.min(1 << 20, o.prefixes ?? 1 << 20);
  const writer = new LineWriter(o, hexDigits);
  let made = 0;
  let lastK = -1;
  for (let slot = 0; slot < 1 << 20; slot++) {
    // Random entries go to `prefixes` evenly spaced range prefixes.
    const k = Math.floor((slot * prefixes) / (1 << 20));
    const own = k !== lastK ? Math.floor(((k + 1) * o.entries) / prefixes) - made : 0;
    lastK = k;
    made += own;
    const entries: Entry[] = plantedByPrefix.get(slot) ?? [];
    for (let i = 0; i < own; i++) entries.push({ top: next(), rest: randomHex(next, hexDigits - 13), count: breachCount(next) });
    if (entries.length === 0) continue;
    entries.sort((a, b) => a.top - b.top || (a.rest < b.rest ? -1 : a.rest > b.rest ? 1 : 0));
    writer.prefix(slot, entries);
  }
  writer.close();
  return { lines: writer.lines, files: writer.files, planted };
}

const HEX = '0123456789ABCDEF';

function randomHex(next: () => number, digits: number): string {
  let s = '';
  while (s.length < digits) {
    const v = next();
    for (let k = 0; k < 8 && s.length < digits; k++) s += HEX[(v >>> (k * 4)) & 15];
  }
  return s;
}

class LineWriter {
  lines = 0;
  files = 0;
  private fd: number | undefined;
  private buf = '';
  private readonly eol: string;

  constructor(private readonly o: GenOptions, private readonly hexDigits: number) {
    this.eol = o.eol ?? '\r\n';
    if (o.layout === 'file') {
      this.fd = openSync(o.out, 'w');
      this.files = 1;
    } else {
      mkdirSync(o.out, { recursive: true });
    }
  }

  prefix(slot: number, entries: readonly Entry[]): void {
    const prefixHex = slot.toString(16).toUpperCase().padStart(5, '0');
    const lead = this.o.layout === 'file' ? prefixHex : '';
    let text = '';
    for (const e of entries) {
      const hex = lead + e.top.toString(16).toUpperCase().padStart(8, '0') + e.rest;
      text += (this.o.lowercase ? hex.toLowerCase() : hex) + ':' + e.count + this.eol;
    }
    this.lines += entries.length;
    if (this.o.layout === 'folder') {
      const name = (this.o.lowercase ? prefixHex.toLowerCase() : prefixHex) + '.txt';
      const fd = openSync(join(this.o.out, name), 'w');
      writeSync(fd, text);
      closeSync(fd);
      this.files++;
      return;
    }
    this.buf += text;
    if (this.buf.length > 4 << 20) this.flush();
  }

  private flush(): void {
    if (this.fd !== undefined && this.buf) writeSync(this.fd, this.buf);
    this.buf = '';
  }

  close(): void {
    this.flush();
    if (this.fd !== undefined) closeSync(this.fd);
  }
}
