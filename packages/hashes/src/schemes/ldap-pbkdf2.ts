// PBKDF2 in userPassword: OpenLDAP's pw-pbkdf2 / passlib `{PBKDF2-SHA256}iterations$salt$key`
// (adapted base64) and 389-ds's newer form (standard base64), plus 389-ds's older
// `{PBKDF2_SHA256}` = base64(4-byte big-endian iterations + 64-byte salt + 256-byte key).
import { pbkdf2, timingSafeEqual } from 'node:crypto';
import { belowFloor, type FloorName } from '../floors.js';
import { decodeBase64, decodeEitherBase64 } from '../encoding.js';
import { splitTag } from './ldap-digest.js';
import type { Parsed, Scheme, SchemeInfo } from '../types.js';

type Digest = 'sha1' | 'sha256' | 'sha512';

const FLOOR_OF: Record<Digest, FloorName> = { sha1: 'pbkdf2Sha1', sha256: 'pbkdf2Sha256', sha512: 'pbkdf2Sha512' };

interface Pbkdf2Value {
  digest: Digest;
  iterations: number;
  salt: Buffer;
  key: Buffer;
}

function derive(password: Uint8Array, v: Pbkdf2Value): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    pbkdf2(password, v.salt, v.iterations, v.key.length, v.digest, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

function info(id: string, v: Pbkdf2Value): SchemeInfo {
  return {
    id, salted: true,
    params: { digest: v.digest, iterations: v.iterations, saltBytes: v.salt.length, keyBytes: v.key.length },
    findings: belowFloor(FLOOR_OF[v.digest], v.iterations),
  };
}

function makeScheme(id: string, description: string, tags: readonly string[], decode: (rest: string, tag: string) => Pbkdf2Value | string): Scheme {
  const value = (stored: string): Pbkdf2Value | string => {
    const t = splitTag(stored);
    return t ? decode(t.rest, t.tag) : 'no tag';
  };
  return {
    id, description, speed: 'slow',
    claims: (stored) => tags.includes(splitTag(stored)?.tag ?? ''),
    parse(stored): Parsed {
      const v = value(stored);
      return typeof v === 'string' ? { ok: false, reason: v } : { ok: true, info: info(id, v) };
    },
    addon: 'preferred',
    addonSetting(stored) {
      const v = value(stored);
      if (typeof v === 'string') return '';
      return `!pwguard-pbkdf2$${v.digest}$${v.iterations}$${v.salt.toString('hex')}$${v.key.toString('hex')}`;
    },
    async verify(password, stored) {
      const v = value(stored);
      if (typeof v === 'string') return false;
      const computed = await derive(password, v);
      return timingSafeEqual(computed, v.key);
    },
  };
}

const TAG_DIGEST: Record<string, Digest> = { PBKDF2: 'sha1', 'PBKDF2-SHA1': 'sha1', 'PBKDF2-SHA256': 'sha256', 'PBKDF2-SHA512': 'sha512' };

const DIGEST_BYTES: Record<Digest, number> = { sha1: 20, sha256: 32, sha512: 64 };

function decodeDollarForm(rest: string, tag: string): Pbkdf2Value | string {
  const m = /^(\d{1,10})\$([^$]+)\$([^$]+)$/.exec(rest);
  if (!m) return `{${tag}} value is not iterations$salt$key`;
  const iterations = Number(m[1]);
  const salt = decodeEitherBase64(m[2] ?? '');
  const key = decodeEitherBase64(m[3] ?? '');
  if (iterations < 1) return `{${tag}} iterations must be at least 1`;
  if (!salt || !key) return `{${tag}} salt or key is not base64`;
  const digest = TAG_DIGEST[tag] ?? 'sha1';
  // The key is one digest long (OpenLDAP, passlib, 389-ds): a shorter one would be a prefix of
  // the right key, so a damaged value could verify.
  if (key.length !== DIGEST_BYTES[digest]) return `{${tag}} key is ${key.length} bytes, expected ${DIGEST_BYTES[digest]}`;
  return { digest, iterations, salt, key };
}

function decode389(rest: string): Pbkdf2Value | string {
  const bytes = decodeBase64(rest);
  if (!bytes || bytes.length !== 4 + 64 + 256) return '{PBKDF2_SHA256} value is not base64 of 324 bytes';
  const iterations = bytes.readUInt32BE(0);
  if (iterations < 1) return '{PBKDF2_SHA256} iterations must be at least 1';
  return { digest: 'sha256', iterations, salt: bytes.subarray(4, 68), key: bytes.subarray(68) };
}

export const PBKDF2_SCHEMES: readonly Scheme[] = [
  makeScheme('ldap-pbkdf2-sha512', 'LDAP {PBKDF2-SHA512}', ['PBKDF2-SHA512'], decodeDollarForm),
  makeScheme('ldap-pbkdf2-sha256', 'LDAP {PBKDF2-SHA256}', ['PBKDF2-SHA256'], decodeDollarForm),
  makeScheme('ldap-pbkdf2-sha1', 'LDAP {PBKDF2} / {PBKDF2-SHA1}', ['PBKDF2', 'PBKDF2-SHA1'], decodeDollarForm),
  makeScheme('ds-pbkdf2-sha256', '389-ds {PBKDF2_SHA256} (binary form)', ['PBKDF2_SHA256'], (rest) => decode389(rest)),
];
