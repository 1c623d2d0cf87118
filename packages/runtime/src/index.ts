// Public surface of @pwguard/runtime: the Node side of the policy that every front end calls (the
// CLI, the PAM hook and resident checker, the web server, the audit's judge). Node only.
export { ConfigError } from './errors.js';
export { readSmallFile, isMissingFile, fileKind, MAX_SMALL_FILE_BYTES } from './files.js';
export { DEFAULT_CONFIG, MAX_CONFIG_BYTES, configPath, loadPolicy, type Loaded, type PolicyOptions } from './config.js';
export { readBannedWords } from './words.js';
export { openPolicyBreach, openPolicyStore } from './breach.js';
export { lookupUser, parsePasswdLine, type PasswdEntry } from './passwd.js';
export { buildRankedFile, openRankedFile, rankedLoader, RankedFileError } from './ranked.js';
export {
  checkerFor, defaultRankedFile, loadChecker, zxcvbnLoader, RANKED_FILE, type LoadedChecker, type PolicyChecker,
} from './checker.js';
export { bundleAssets } from './assets.js';
