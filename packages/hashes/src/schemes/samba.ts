// Samba's sambaNTPassword (MD4 of UTF-16LE, 32 hex, unsalted) and sambaLMPassword. The value
// alone looks like any 32-hex string, so these are claimed only when the caller says the source.
import { timingSafeEqual } from 'node:crypto';
import { finding } from '../findings.js';
import type { Parsed, Password, Scheme } from '../types.js';

const HEX32 = /^[0-9A-Fa-f]{32}$/;

/** NT hash: hex MD4 of the password's UTF-16LE encoding (lowercase hex). */
export async function ntHash(password: Password): Promise<string> {
  const text = typeof password === 'string' ? password : Buffer.from(password).toString('utf8');
  const { md4 } = await import('hash-wasm'); // loaded on first use: it is large
  return md4(Buffer.from(text, 'utf16le'));
}

export const SAMBA_NT: Scheme = {
  id: 'samba-nt',
  speed: 'digest',
  description: 'sambaNTPassword: 32 hex digits of MD4(UTF-16LE(password))',
  claims: (_stored, source) => source === 'sambaNTPassword',
  parse(stored): Parsed {
    if (!HEX32.test(stored)) return { ok: false, reason: 'sambaNTPassword is not 32 hex digits' };
    return {
      ok: true,
      info: { id: 'samba-nt', salted: false, params: {}, digest: { kind: 'ntlm', hex: stored.toLowerCase() }, findings: [finding('unsalted')] },
    };
  },
  async verify(password, stored) {
    const computed = Buffer.from(await ntHash(password), 'hex');
    return timingSafeEqual(computed, Buffer.from(stored, 'hex'));
  },
};

export const SAMBA_LM: Scheme = {
  id: 'samba-lm',
  speed: 'digest',
  legacy: true,
  description: 'sambaLMPassword: LM hash; its presence is the finding (not verified)',
  claims: (_stored, source) => source === 'sambaLMPassword',
  parse(stored): Parsed {
    if (!HEX32.test(stored)) return { ok: false, reason: 'sambaLMPassword is not 32 hex digits' };
    return { ok: true, info: { id: 'samba-lm', salted: false, params: {}, findings: [finding('lm_present')] } };
  },
  async verify() {
    return 'unsupported';
  },
};
