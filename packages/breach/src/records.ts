// Temporary records of the build: four 32-bit words per entry (the digest's leading 96 bits and
// its count). Sorting is a least-significant-digit radix sort on 16-bit digits, skipping digits
// every record shares (the partition fixes the top ones).

export const WORDS = 4;

/** True when records are in strictly increasing digest order (sorted, no repeats). */
export function strictlySorted(r: Uint32Array, n: number): boolean {
  for (let i = 1; i < n; i++) if (compare(r, (i - 1) * WORDS, i * WORDS) >= 0) return false;
  return true;
}

export function compare(r: Uint32Array, a: number, b: number): number {
  for (let k = 0; k < 3; k++) {
    const d = (r[a + k] as number) - (r[b + k] as number);
    if (d !== 0) return d;
  }
  return 0;
}

/** Sort n records by digest; returns the array holding the result (input or scratch). */
export function sortRecords(r: Uint32Array, n: number): Uint32Array {
  let from: Uint32Array = r;
  let to: Uint32Array = new Uint32Array(n * WORDS);
  const counts = new Uint32Array(65536);
  for (let word = 2; word >= 0; word--) {
    for (const shift of [0, 16]) {
      counts.fill(0);
      for (let i = 0; i < n; i++) {
        const d = ((from[i * WORDS + word] as number) >>> shift) & 0xffff;
        counts[d] = (counts[d] as number) + 1;
      }
      if (counts[((from[word] as number) >>> shift) & 0xffff] === n) continue; // one digit value: order unchanged
      let sum = 0;
      for (let d = 0; d < 65536; d++) {
        const c = counts[d] as number;
        counts[d] = sum;
        sum += c;
      }
      for (let i = 0; i < n; i++) {
        const at = i * WORDS;
        const d = ((from[at + word] as number) >>> shift) & 0xffff;
        const dest = (counts[d] as number) * WORDS;
        counts[d] = (counts[d] as number) + 1;
        to[dest] = from[at] as number;
        to[dest + 1] = from[at + 1] as number;
        to[dest + 2] = from[at + 2] as number;
        to[dest + 3] = from[at + 3] as number;
      }
      [from, to] = [to, from];
    }
  }
  return from;
}

/** Merge repeats of a sorted run in place (counts add up, saturating); returns the new length. */
export function mergeRepeats(r: Uint32Array, n: number): number {
  if (n === 0) return 0;
  let out = 0;
  for (let i = 1; i < n; i++) {
    if (compare(r, out * WORDS, i * WORDS) === 0) {
      r[out * WORDS + 3] = Math.min(0xffffffff, (r[out * WORDS + 3] as number) + (r[i * WORDS + 3] as number));
    } else {
      out++;
      if (out !== i) r.copyWithin(out * WORDS, i * WORDS, i * WORDS + WORDS);
    }
  }
  return out + 1;
}
