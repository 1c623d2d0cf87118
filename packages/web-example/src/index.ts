// Public surface of @pwguard/web-example (private package): the pieces a site reuses when it
// builds its own reset service around the pwguard library.
export { startService, DEMO_USERS, type ServiceOptions, type Service } from './service.js';
export { createResetServer, type ServerOptions } from './server.js';
export { MemoryBackend, BackendError, type AccountBackend, type MemoryUser } from './accounts.js';
export { LdapBackend, type LdapBackendOptions } from './ldap-backend.js';
export { hashUserPassword, LDAP_HASHES, PBKDF2_ITERATIONS, type LdapHash } from './ldap-hash.js';
export { issueResetToken, verifyResetToken, weakKeyReason, MIN_KEY_BYTES, UsedTokens, USER_PATTERN, type TokenClaims, type TokenCheck } from './token.js';
export { RateLimiter, type RateLimit } from './rate-limit.js';
export { CheckQueue, QueueFull, defaultQueueSize, QUEUE_PER_CORE } from './check-queue.js';
export { rangeBody, padTarget, storeRangeSource, embeddedRangeSource, COUNT_WIDTH, type RangeSource } from './range.js';
export type { RangeMatch } from './range-match.js';
export { PAGE_POLICY_KEYS, pagePolicy, type PageConfig, type PagePolicy } from './page-config.js';
export { readLdapConfig, readSecret, readTokenKey, SiteConfigError } from './site-config.js';
