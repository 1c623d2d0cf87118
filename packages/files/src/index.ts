// Public surface of @pwguard/files: safe output files (Node only). Every file pwguard writes for a
// user (reports, checkpoints, breach stores) goes through here.
export { OutputFileError, writeFailed, type OutputFileErrorCode } from './errors.js';
export { checkOutputPath, type OutputOptions } from './check.js';
export { AtomicFile, tempNameFor, writeAll, writeFileAtomic, type AtomicOptions } from './atomic.js';
