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
  /** The digits after the first 13, as hex text (planted) or as random words (generated). */
  rest: string | Uint32Array;
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
  // Random entries go to `prefixes` evenly spaced range prefixes; planted ones to their own.
  const own = new Map<number, number>();
  for (let k = 0, made = 0; k < prefixes; k++) {
    const upTo = Math.floor(((k + 1) * o.entries) / prefixes);
    if (upTo > made) own.set(Math.floor((k * (1 << 20)) / prefixes), upTo - made);
    made = upTo;
  }
  const slots = [...new Set([...own.keys(), ...plantedByPrefix.keys()])].sort((x, y) => x - y);
  for (const slot of slots) {
    const entries: Entry[] = plantedByPrefix.get(slot) ?? [];
    for (let i = own.get(slot) ?? 0; i > 0; i--) entries.push({ top: next(), rest: Uint32Array.of(next(), next(), next(), next()), count: breachCount(next) });
    // HIBP's order: by the whole digest. Ties on the first 13 digits are rare (about 1 per 3e7
    // entries at 1e8) but real, and a tie left in random order breaks the one-pass build.
    entries.sort((x, y) => x.top - y.top || (restHex(x) < restHex(y) ? -1 : restHex(x) > restHex(y) ? 1 : 0));
    writer.prefix(slot, entries);
  }
  writer.close();
  return { lines: writer.lines, files: writer.files, planted };
}

/** The digits after the first 13 as upper-case hex, for ordering ties (random rest: 32 digits, compared as words). */
function restHex(e: Entry): string {
  return typeof e.rest === 'string' ? e.rest.toUpperCase() : Array.from(e.rest, (w) => w.toString(16).toUpperCase().padStart(8, '0')).join('');
}

const UPPER = Buffer.from('0123456789ABCDEF');
const LOWER = Buffer.from('0123456789abcdef');

class LineWriter {
  lines = 0;
  files = 0;
  private fd: number | undefined;
  private buf = Buffer.alloc(4 << 20);
  private used = 0;
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
    const digits = this.o.lowercase ? LOWER : UPPER;
    const inFile = this.o.layout === 'file';
    const need = entries.length * (this.hexDigits + 14);
    if (this.used + need > this.buf.length) this.flush();
    if (need > this.buf.length) this.buf = Buffer.alloc(need * 2);
    for (const e of entries) {
      if (inFile) this.hex(slot, 5, digits);
      this.hex(e.top, 8, digits);
      if (typeof e.rest === 'string') {
        this.used += this.buf.write(this.o.lowercase ? e.rest.toLowerCase() : e.rest, this.used, 'latin1');
      } else {
        for (let left = this.hexDigits - 13, k = 0; left > 0; left -= 8, k++) this.hex((e.rest[k] as number) >>> Math.max(0, 32 - 4 * left), Math.min(8, left), digits);
      }
      this.used += this.buf.write(`:${e.count}${this.eol}`, this.used, 'latin1');
    }
    this.lines += entries.length;
    if (!inFile) {
      const name = `${slot.toString(16).toUpperCase().padStart(5, '0')}.txt`;
      const fd = openSync(join(this.o.out, this.o.lowercase ? name.toLowerCase() : name), 'w');
      writeSync(fd, this.buf, 0, this.used);
      closeSync(fd);
      this.used = 0;
      this.files++;
    }
  }

  /** `n` hex digits of `v` (the low n*4 bits). */
  private hex(v: number, n: number, digits: Buffer): void {
    for (let i = n - 1; i >= 0; i--) this.buf[this.used + n - 1 - i] = digits[(v >>> (4 * i)) & 15] as number;
    this.used += n;
  }

  private flush(): void {
    if (this.fd !== undefined && this.used > 0) writeSync(this.fd, this.buf, 0, this.used);
    this.used = 0;
  }

  close(): void {
    this.flush();
    if (this.fd !== undefined) closeSync(this.fd);
  }
}
