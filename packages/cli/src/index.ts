// Public surface of the pwguard package (the CLI), usable as a library too.
export { runCli } from './program.js';
export { EXIT, UserError } from './errors.js';
export { loadChecker, loadPolicy, readBannedWords, type LoadedChecker, type Loaded, type PolicyOptions } from './policy-loader.js';
