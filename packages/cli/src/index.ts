// Public surface of the pwguard package (the CLI), usable as a library too.
export { runCli } from './program.js';
export { EXIT, UserError } from './errors.js';
