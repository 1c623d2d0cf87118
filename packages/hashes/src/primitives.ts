// Digests the auditor looks up in breach stores itself (HIBP SHA-1 and NTLM).
import { hash } from 'node:crypto';
import type { Password } from './types.js';

export { ntHash } from './schemes/samba.js';

/** Lowercase hex SHA-1 of the UTF-8 password (HIBP writes uppercase: compare case-insensitively). */
export function sha1Hex(password: Password): string {
  return hash('sha1', typeof password === 'string' ? Buffer.from(password, 'utf8') : password, 'hex');
}
