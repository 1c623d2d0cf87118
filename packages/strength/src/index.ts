// Public surface of @pwguard/strength: only what is exported here is API.
export type { Reason, Feedback, Verdict, CheckContext, BreachLookup } from './verdict.js';
export { MESSAGES, formatMessage, type ReasonCode } from './messages.js';
