// Hash kinds a store can hold, and how a password or a hex digest becomes the 96 leading bits the
// store's fingerprint is cut from.
import { createHash } from 'node:crypto';
import type { IHasher } from 'hash-wasm';
import type { HashKind } from './lead.js';

export { HEX_LENGTH, HEX_VALUE, isDigestHex, leadFromDigest, leadFromHex, type HashKind, type Lead } from './lead.js';

let md4: Promise<IHasher> | undefined;

/**
 * Hashes passwords the way Have I Been Pwned does: SHA-1 of the UTF-8 bytes, or NTLM (MD4 of
 * UTF-16LE). Node 20's OpenSSL 3 has no MD4, hence hash-wasm (its hasher is synchronous once made).
 */
export async function passwordHasher(kind: HashKind): Promise<(password: Uint8Array | string) => Uint8Array> {
  if (kind === 'sha1') {
    return (password) => createHash('sha1').update(password).digest();
  }
  // hash-wasm carries every algorithm's WebAssembly: load it only when an NTLM store needs it.
  const hasher = await (md4 ??= import('hash-wasm').then((m) => m.createMD4()));
  const decoder = new TextDecoder();
  return (password) => {
    const text = typeof password === 'string' ? password : decoder.decode(password);
    hasher.init();
    hasher.update(Buffer.from(text, 'utf16le'));
    return hasher.digest('binary');
  };
}
