// Public surface of the pwguard package (the CLI), usable as a library too.
export { main } from './main.js';
export { EXIT, UserError } from './errors.js';
