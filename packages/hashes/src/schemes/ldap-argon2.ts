// {ARGON2}: a PHC string `$argon2id$v=19$m=...,t=...,p=...$salt$hash` (OpenLDAP's argon2 module).
// Node 20's crypto has no Argon2; hash-wasm computes it.
import { timingSafeEqual } from 'node:crypto';
import { belowFloor } from '../floors.js';
import { decodeEitherBase64 } from '../encoding.js';
import { splitTag } from './ldap-digest.js';
import type { Parsed, Scheme } from '../types.js';

const PHC = /^\$(argon2(?:id|i|d))\$(?:v=(\d+)\$)?m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;
const VARIANTS = ['argon2id', 'argon2i', 'argon2d'] as const;

interface Argon2Value {
  variant: (typeof VARIANTS)[number];
  version: number;
  m: number;
  t: number;
  p: number;
  salt: Buffer;
  hash: Buffer;
}

function decode(stored: string): Argon2Value | string {
  const m = PHC.exec(splitTag(stored)?.rest ?? '');
  if (!m) return '{ARGON2} value is not a PHC $argon2...$ string';
  const salt = decodeEitherBase64(m[6] ?? '');
  const hash = decodeEitherBase64(m[7] ?? '');
  // Tags are 16..128 bytes in steps of 8 in practice (libargon2 and OpenLDAP write 32); a
  // cut or lengthened value is then refused rather than compared as a different-length tag.
  if (!salt || !hash || salt.length < 8 || hash.length < 16 || hash.length > 128 || hash.length % 8 !== 0) {
    return '{ARGON2} salt or hash is not valid base64 of a usable length';
  }
  const [mem, t, p] = [Number(m[3]), Number(m[4]), Number(m[5])];
  if (t < 1 || p < 1 || mem < 8 * p) return '{ARGON2} cost parameters are out of range';
  return { variant: m[1] as (typeof VARIANTS)[number], version: Number(m[2] ?? 16), m: mem, t, p, salt, hash };
}

/** OWASP 2023: enough memory, and enough memory x time; the first shortfall is the finding. */
function costFindings(v: Argon2Value) {
  const memory = belowFloor('argon2Memory', v.m);
  return memory.length > 0 ? memory : belowFloor('argon2Work', v.m * v.t);
}

export const ARGON2: Scheme = {
  id: 'ldap-argon2',
  speed: 'slow',
  description: 'LDAP {ARGON2} (argon2i / argon2id PHC string)',
  claims: (stored) => splitTag(stored)?.tag === 'ARGON2',
  parse(stored): Parsed {
    const v = decode(stored);
    if (typeof v === 'string') return { ok: false, reason: v };
    return {
      ok: true,
      info: {
        id: 'ldap-argon2', salted: true,
        params: { variant: v.variant, version: v.version, m: v.m, t: v.t, p: v.p },
        findings: costFindings(v),
      },
    };
  },
  async verify(password, stored) {
    const v = decode(stored);
    if (typeof v === 'string') return false;
    if (v.version !== 19) return 'unsupported'; // hash-wasm computes version 0x13 only
    // An empty password never reaches userPassword: a simple bind without one is an anonymous bind
    // (RFC 4513 5.1.2), and slappasswd and the argon2 CLI refuse to hash it. hash-wasm throws on it.
    if (password.length === 0) return false;
    const wasm = await import('hash-wasm'); // loaded on first use: it is large
    const computed = await wasm[v.variant]({
      password, salt: v.salt, iterations: v.t, memorySize: v.m, parallelism: v.p,
      hashLength: v.hash.length, outputType: 'binary',
    });
    return timingSafeEqual(computed, v.hash);
  },
};
