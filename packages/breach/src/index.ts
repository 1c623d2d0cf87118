// Public surface of @pwguard/breach: only what is exported here is API.
export { openStore, type BreachStore, type OpenOptions, type RangeEntry } from './store.js';
export { StoreError, type Header, type StoreParams } from './format.js';
export { buildStore, type BuildOptions, type BuildProgress, type BuildResult } from './build.js';
export { DEFAULT_MEMORY } from './partitions.js';
export { InputError, type InputKind } from './input.js';
export { embeddedLookup, BUILTIN_STORE_FILE, type EmbeddedList, type DigestLookup } from './embedded.js';
export { openBreachLookup } from './open.js';
export { verifyStore, type VerifyResult } from './verify.js';
export { fingerprintHex, type Cut as RangeParams, type HashKind } from './lead.js';
export { countCode, type CountCode } from './countcode.js';
