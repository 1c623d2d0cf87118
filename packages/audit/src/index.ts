// Public surface of @pwguard/audit: only what is exported here is API.
export { mergeAccounts, sourceLabel, type Account, type RawAccount, type Credential, type SourceRef, type AccountFlag } from './account.js';
export { auditAccounts, buildSharedStream, prepareAudit, runPrepared, defaultJobs, DEFAULT_MAX_GUESSES, type AuditOptions, type PreparedAudit } from './audit.js';
export { createBackend, type Backend } from './backend.js';
export { CheckpointError, defaultCheckpointKeyDir, type CheckpointOptions } from './checkpoint.js';
export type { CrackStats } from './crack.js';
export { applyExpire, planExpire, type ExpireAction, type ExpireResult } from './expire.js';
export { FINDINGS, finding, needsAction, type Finding, type FindingCode } from './findings.js';
export { formatReport, printable, type ReportFormat } from './format.js';
export { contextCandidates, contextGuesses, contextRules, contextWords, type ContextInput } from './guesses/context.js';
export { buildGuessStream, listPrior, type GuessStream } from './guesses/stream.js';
export { readRuleFiles } from './guesses/rule-files.js';
export { candidates, guessContextOf, type ContextSpec, type Guess, type GuessOrigin } from './targets.js';
export { buildGuessList, commonPasswords, parseWordlist, KEYBOARD_WALKS, MAX_LIST_WORDS, type GuessList, type GuessListOptions } from './guesses/lists.js';
export type { BreachSource, Judge, Judgement } from './judge.js';
export { asReport, mergeReports, MergeError } from './merge.js';
export {
  addressFor, appendNotifyRecord, DEFAULT_NOTIFY_TEMPLATE, findingDigest, findingKeys, findingLines, isMailDomain, isOneLine, isPlainAddress,
  messageFileName, NOTIFY_ACTION, NOTIFY_PLACEHOLDERS, NOTIFY_TEXT, NotifyError, parseNotifyTemplate, planNotify, readNotifyRecord, renderMessage, sendMail,
  type AddressSource, type NotifyAccountInfo, type NotifyMessage, type NotifyPlanOptions, type NotifyRecordEntry, type NotifySkip, type NotifyTemplate,
} from './notify.js';
export { makePlan, formatPlan, parseDuration, duration, type Plan, type PlanRow } from './plan.js';
export { checkReport, FINDING_DETAILS, REPORT_FIELDS, schemaMarkdown } from './schema.js';
export { AUDIT_STATUS, exitStatusHelp, exitStatusMarkdown, statusLine, statusOf, type AuditStatus } from './status.js';
export { BAND_TEXT, bandOf, bySeverity, REPORT_SCHEMA, SEVERITY, severityOf, summarize, type ListCoverage, type Severity, type FoundBand, type AuditReport, type AccountReport, type FoundPassword, type FoundHow, type Coverage, type ReportSummary } from './report.js';
export { parseShard, inShard, type Shard } from './shard.js';
export { newShareKeyText, readShareKey, ShareKey, ShareKeyError, SHARE_KEY_BYTES } from './share.js';
export { parseHtpasswd } from './sources/htpasswd.js';
export { readLdap, connectLdap, DEFAULT_LDAP_FILTER, type LdapSourceOptions } from './sources/ldap.js';
export { loadSources, type SourceOptions } from './sources/load.js';
export { SourceError, type SourceProblem } from './sources/problems.js';
export { MAX_SOURCE_BYTES, MAX_LINE_BYTES } from './sources/files.js';
export { parseShadow, parsePasswd, shadowField, type ShadowField } from './sources/shadow.js';
