// Public surface of @pwguard/hashes: identify and verify stored passwords in every scheme an
// auditor meets (crypt(3) via libxcrypt, LDAP userPassword, htpasswd, Samba).
export type {
  Digest, Finding, Identification, IdentifyOptions, Password, Scheme, SchemeInfo, SchemeSpeed, ValueSource, VerifyResult,
} from './types.js';
export { FINDINGS } from './findings.js';
export type { FindingCode } from './findings.js';
export { COST_FLOORS, type CostFloor, type FloorName } from './floors.js';
export { SCHEMES, identify, identifyAll, schemeSpeed, verify } from './schemes.js';
export { cryptSupport } from './native.js';
export type { CryptSupport } from './native.js';
export { createVerifierPool, maxJobs, PoolClosedError, UncheckableHashError } from './pool.js';
export type { VerifierPool, VerifierPoolOptions } from './pool.js';
export { ntHash, sha1Hex } from './primitives.js';
export { md5cryptWithMagic } from './schemes/apr1.js';
export { measureSpeed } from './speed.js';
