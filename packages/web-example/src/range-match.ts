// Shared by the server and the browser (no Node imports): how a range answer's keys are made.

/**
 * How the browser turns a password's SHA-1 into the key it looks for in a range answer:
 * `suffix`: the 35 hex digits after the prefix (Have I Been Pwned's range API); `fingerprint`:
 * the breach store's truncated fingerprint of the digest (@pwguard/breach fingerprintHex).
 */
export type RangeMatch =
  | { readonly kind: 'suffix' }
  | { readonly kind: 'fingerprint'; readonly bucketBits: number; readonly highRange: number; readonly lowBits: number };
