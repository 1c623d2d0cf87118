// Breach counts are kept as a log-scale code of `bits` bits: small counts exactly, large ones as
// the lower bound of a geometric bin, so "seen at least N times" is never overstated.

const MAX_COUNT = 0xffffffff;

export interface CountCode {
  readonly bits: number;
  /** Lower bound of each code's bin; index 0 is unused (a stored entry was seen at least once). */
  readonly floors: Float64Array;
  encode(count: number): number;
  decode(code: number): number;
}

const cache = new Map<number, CountCode>();

export function countCode(bits: number): CountCode {
  let code = cache.get(bits);
  if (!code) {
    code = makeCountCode(bits);
    cache.set(bits, code);
  }
  return code;
}

function makeCountCode(bits: number): CountCode {
  if (!Number.isInteger(bits) || bits < 0 || bits > 8) throw new RangeError(`count bits must be 0..8, got ${bits}`);
  const top = bits === 0 ? 1 : (1 << bits) - 1;
  const exact = bits >= 4 ? 1 << (bits - 3) : 1;
  const floors = new Float64Array(top + 1);
  const ratio = Math.pow(MAX_COUNT / exact, 1 / Math.max(1, top - exact));
  for (let c = 1; c <= top; c++) {
    const geometric = Math.round(exact * Math.pow(ratio, c - exact));
    floors[c] = c <= exact ? c : Math.min(MAX_COUNT, Math.max((floors[c - 1] as number) + 1, geometric));
  }
  // Most breach counts are small: a table answers them without a search.
  const small = new Uint8Array(1 << 16);
  for (let v = 1, code = 1; v < small.length; v++) {
    while (bits > 0 && code < top && (floors[code + 1] as number) <= v) code++;
    small[v] = code;
  }
  return {
    bits,
    floors,
    encode(count: number): number {
      if (count < small.length) return small[count] as number;
      if (bits === 0) return 1;
      let lo = 1;
      let hi = top;
      while (lo < hi) {
        const mid = (lo + hi + 1) >>> 1;
        if ((floors[mid] as number) <= count) lo = mid;
        else hi = mid - 1;
      }
      return lo;
    },
    decode(code: number): number {
      return bits === 0 ? 1 : (floors[code] as number);
    },
  };
}
