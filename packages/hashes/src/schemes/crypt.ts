// crypt(3) schemes, verified by the system's libxcrypt (crypt_rn): the library that checks logins
// on the audited machine. Parsing here only decides "this scheme" vs "malformed" and reads costs.
import { cryptAddon } from '../native.js';
import { finding } from '../findings.js';
import { belowFloor, COST_FLOORS } from '../floors.js';
import { itoa64LittleEndian, itoa64Value } from '../encoding.js';
import type { Finding, Parsed, Scheme, SchemeInfo, SchemeSpeed } from '../types.js';

const C = '[./0-9A-Za-z]';

interface CryptDef {
  id: string;
  description: string;
  speed: SchemeSpeed;
  legacy?: boolean;
  /** The marker: values matching it are this scheme or a malformed one. */
  claim: RegExp;
  /** The full well-formed shape. */
  shape: RegExp;
  salted?: boolean;
  /** Cost parameters and findings; a string is a reason the value is malformed. */
  assess?: (m: RegExpMatchArray) => { params: SchemeInfo['params']; findings: Finding[] } | string;
}

/** The crypt schemes, most specific prefix first, DES last (its 13-character shape is the least specific). */
export const CRYPT_DEFS: readonly CryptDef[] = [
  {
    id: 'yescrypt', speed: 'slow', description: 'yescrypt `$y$` (Debian 11+, Ubuntu 22.04+, Fedora 35+ default)',
    claim: /^\$y\$/, shape: new RegExp(`^\\$y\\$(${C}+)\\$(${C}*)\\$${C}{43}$`),
    assess: (m) => yescryptAssess(m[1] ?? ''),
  },
  {
    id: 'gost-yescrypt', speed: 'slow', description: 'GOST R 34.11-2012 over yescrypt `$gy$`',
    claim: /^\$gy\$/, shape: new RegExp(`^\\$gy\\$(${C}+)\\$(${C}*)\\$${C}{43}$`),
    assess: (m) => yescryptAssess(m[1] ?? ''),
  },
  {
    id: 'scrypt', speed: 'slow', description: 'scrypt `$7$`',
    claim: /^\$7\$/, shape: new RegExp(`^\\$7\\$(${C})(${C}{5})(${C}{5})(${C}*)\\$${C}{43}$`),
    assess: (m) => ({
      params: { N: 2 ** itoa64Value(m[1] ?? ''), r: itoa64LittleEndian(m[2] ?? ''), p: itoa64LittleEndian(m[3] ?? '') },
      findings: [],
    }),
  },
  {
    id: 'bcrypt', speed: 'slow', description: 'bcrypt `$2a$ $2b$ $2x$ $2y$`',
    claim: /^\$2[abxy]?\$/, shape: new RegExp(`^\\$2([abxy])\\$(\\d\\d)\\$${C}{53}$`),
    assess: (m) => {
      const cost = Number(m[2]);
      if (cost < 4 || cost > 31) return `bcrypt cost ${cost} is outside 4..31`;
      const findings = belowFloor('bcrypt', cost);
      if (m[1] === 'x') findings.push(finding('bcrypt_2x'));
      return { params: { variant: `2${m[1]}`, cost }, findings };
    },
  },
  shaCrypt('sha512crypt', '6', 86, 'sha512crypt'),
  shaCrypt('sha256crypt', '5', 43, 'sha256crypt'),
  {
    id: 'sha1crypt', speed: 'fast', legacy: true, description: 'NetBSD sha1crypt `$sha1$`',
    claim: /^\$sha1\$/, shape: new RegExp(`^\\$sha1\\$(\\d+)\\$${C}{1,64}\\$${C}{28}$`),
    assess: (m) => ({ params: { rounds: Number(m[1]) }, findings: [finding('legacy_scheme')] }),
  },
  {
    id: 'sunmd5', speed: 'fast', legacy: true, description: 'Solaris SunMD5 `$md5$`',
    claim: /^\$md5[$,]/, shape: new RegExp(`^\\$md5(?:,rounds=(\\d+))?\\$${C}{0,8}\\$\\$?${C}{22}$`),
    assess: (m) => ({ params: { rounds: Number(m[1] ?? 0) }, findings: [finding('legacy_scheme')] }),
  },
  {
    id: 'md5crypt', speed: 'fast', legacy: true, description: 'md5crypt `$1$`',
    claim: /^\$1\$/, shape: new RegExp(`^\\$1\\$${C}{0,8}\\$${C}{22}$`),
    assess: () => ({ params: {}, findings: [finding('md5crypt')] }),
  },
  {
    id: 'nt', speed: 'digest', legacy: true, description: 'NT hash in crypt form `$3$` (MD4 of UTF-16LE, unsalted)',
    claim: /^\$3\$/, shape: /^\$3\$\$([0-9a-f]{32})$/, salted: false,
    assess: () => ({ params: {}, findings: [finding('unsalted')] }),
  },
  {
    id: 'bsdicrypt', speed: 'fast', legacy: true, description: 'BSDi extended DES `_`',
    claim: new RegExp(`^_${C}{19}$`), shape: new RegExp(`^_(${C}{4})${C}{4}${C}{11}$`),
    assess: (m) => ({ params: { rounds: itoa64LittleEndian(m[1] ?? '') }, findings: [finding('legacy_scheme')] }),
  },
  {
    id: 'descrypt', speed: 'fast', legacy: true, description: 'traditional DES crypt (13 characters)',
    claim: new RegExp(`^${C}{13}$`), shape: new RegExp(`^${C}{13}$`),
    assess: () => ({ params: {}, findings: [finding('des_truncation')] }),
  },
];

function shaCrypt(id: string, tag: string, length: number, floor: 'sha512crypt' | 'sha256crypt'): CryptDef {
  return {
    id, speed: 'slow', description: `${id} \`$${tag}$\` (rounds= optional, default 5000)`,
    claim: new RegExp(`^\\$${tag}\\$`),
    shape: new RegExp(`^\\$${tag}\\$(?:rounds=(\\d+)\\$)?[^$:\\n]{0,16}\\$${C}{${length}}$`),
    assess: (m) => {
      const rounds = m[1] === undefined ? 5000 : Number(m[1]);
      // libxcrypt refuses rounds below 1000 (the value could never log in), so it is malformed.
      if (rounds < 1000 || rounds > 999_999_999) return `rounds=${rounds} is outside 1000..999999999`;
      return { params: { rounds }, findings: belowFloor(floor, rounds) };
    },
  };
}

function yescryptAssess(setting: string): { params: SchemeInfo['params']; findings: Finding[] } {
  const params = yescryptParams(setting);
  // Settings other than the compact 3-character form are read as libxcrypt's default cost.
  const work = typeof params.N === 'number' && typeof params.r === 'number' ? params.N * params.r : COST_FLOORS.yescrypt.floor;
  return { params, findings: belowFloor('yescrypt', work) };
}

/** yescrypt's compact parameters ("j9T": flavour, N, r); the raw string is kept too. */
function yescryptParams(setting: string): SchemeInfo['params'] {
  const params: SchemeInfo['params'] = { setting };
  if (setting.length === 3) {
    params.N = 2 ** (itoa64Value(setting.charAt(1)) + 1);
    params.r = itoa64Value(setting.charAt(2)) + 1;
  }
  return params;
}

function makeCryptScheme(def: CryptDef): Scheme {
  return {
    id: def.id,
    description: def.description,
    speed: def.speed,
    ...(def.legacy ? { legacy: true } : {}),
    addon: 'required',
    claims: (stored) => def.claim.test(stored),
    parse(stored): Parsed {
      const m = stored.match(def.shape);
      if (!m) return { ok: false, reason: `not a well-formed ${def.id} string` };
      const assessed = def.assess ? def.assess(m) : { params: {}, findings: [] };
      if (typeof assessed === 'string') return { ok: false, reason: assessed };
      const info: SchemeInfo = { id: def.id, salted: def.salted ?? true, ...assessed };
      if (def.id === 'nt') info.digest = { kind: 'ntlm', hex: m[1] ?? '' };
      return { ok: true, info };
    },
    async verify(password, stored) {
      const addon = cryptAddon();
      if (!addon) return 'unsupported';
      const r = addon.verify(password, stored);
      return r === -1 ? 'unsupported' : r === 1;
    },
  };
}

export const CRYPT_SCHEMES: readonly Scheme[] = CRYPT_DEFS.map(makeCryptScheme);
