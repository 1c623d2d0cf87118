// Encodings of stored values: base64 (standard and passlib's adapted form) and crypt's itoa64.

const STD_B64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const LOOSE_B64 = /^[A-Za-z0-9+/.]*={0,2}$/;

/** Strict standard base64 (with padding), or null. */
export function decodeBase64(text: string): Buffer | null {
  return STD_B64.test(text) ? Buffer.from(text, 'base64') : null;
}

/**
 * Either base64 alphabet, padded or not: OpenLDAP and passlib write `.` for `+` without padding,
 * 389-ds writes standard base64. Returns null when the text is neither.
 */
export function decodeEitherBase64(text: string): Buffer | null {
  if (!LOOSE_B64.test(text)) return null;
  const bare = text.replace(/=+$/, '').replace(/\./g, '+');
  if (bare.length % 4 === 1) return null;
  const padded = bare + '='.repeat((4 - (bare.length % 4)) % 4);
  return decodeBase64(padded);
}

/** crypt(3)'s itoa64 alphabet. */
export const ITOA64 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** The value of one itoa64 character, or -1. */
export function itoa64Value(ch: string): number {
  return ch.length === 1 ? ITOA64.indexOf(ch) : -1;
}

/** Little-endian itoa64 number (bsdicrypt counts, scrypt r and p). */
export function itoa64LittleEndian(text: string): number {
  let value = 0;
  for (let i = text.length - 1; i >= 0; i--) value = value * 64 + itoa64Value(text.charAt(i));
  return value;
}

/** Appends `count` itoa64 characters of `value`, least significant first (md5crypt output). */
export function itoa64Encode(value: number, count: number): string {
  let out = '';
  for (let i = 0; i < count; i++) {
    out += ITOA64.charAt(value & 0x3f);
    value >>>= 6;
  }
  return out;
}
