// Reading PAM stacks (/etc/pam.d/SERVICE) and judging the password stack the hook sits in.
// Pure: the caller passes a reader for files, so tests and `pam doctor --pam-dir` use any tree.
import { MODULE_DEFAULT_HOOK } from './install.js';
import { MODULE_OPTIONS } from './module-options.js';

export interface StackLine {
  readonly file: string;
  readonly line: number;
  readonly type: string;
  readonly control: string;
  readonly module: string;
  readonly args: readonly string[];
}

export interface StackProblem {
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly fix: string;
}

/** Modules that ask for the new password (twice) and set PAM_AUTHTOK for the ones after them. */
const PROMPTERS = ['pam_pwquality.so', 'pam_cracklib.so', 'pam_passwdqc.so', 'pam_pwhistory.so'];
/** Modules that store the new password: they must take it from the stack (use_authtok). */
const STORERS = ['pam_unix.so', 'pam_sss.so', 'pam_ldap.so', 'pam_winbind.so', 'pam_systemd_home.so'];

/** Split text into stack lines: comments, `\` continuations and `[...]` controls handled. */
export function parseStack(text: string, file: string): StackLine[] {
  const out: StackLine[] = [];
  const raw = text.replace(/\\\n/g, ' ').split('\n');
  raw.forEach((l, i) => {
    const s = l.replace(/#.*/, '').trim();
    if (s === '') return;
    const words = s.match(/\[[^\]]*\]|\S+/g) ?? [];
    if (words[0]?.startsWith('@include')) {
      out.push({ file, line: i + 1, type: '@include', control: '', module: words[1] ?? '', args: [] });
      return;
    }
    const [type, control, module, ...args] = words;
    out.push({ file, line: i + 1, type: (type ?? '').replace(/^-/, ''), control: control ?? '', module: module ?? '', args });
  });
  return out;
}

/** The lines of one type in a service, with @include / include / substack followed (depth-limited). */
export function resolveStack(service: string, type: string, read: (name: string) => string | null, depth = 0): StackLine[] {
  const text = depth > 8 ? null : read(service);
  if (text === null) return [];
  const out: StackLine[] = [];
  for (const l of parseStack(text, service)) {
    if (l.type === '@include') out.push(...resolveStack(l.module, type, read, depth + 1));
    else if (l.type === type && (l.control === 'include' || l.control === 'substack')) out.push(...resolveStack(l.module, type, read, depth + 1));
    else if (l.type === type) out.push(l);
  }
  return out;
}

const base = (module: string): string => module.slice(module.lastIndexOf('/') + 1);

/** Is this the pwguard hook's pam_exec line? */
export function isHookLine(l: StackLine, hookPath: string): boolean {
  return base(l.module) === 'pam_exec.so' && l.args.some((a) => a === hookPath || a.endsWith('/pwguard-pam-hook'));
}

/** Is this a pam_pwguard.so line (the C module that asks for the password and runs the hook)? */
export function isModuleLine(l: StackLine): boolean {
  return base(l.module) === 'pam_pwguard.so';
}

/** The line that runs the check, how, and the hook it runs. */
export interface CheckLine {
  readonly kind: 'module' | 'exec';
  readonly line: StackLine;
  readonly index: number;
  /** The hook program: the module's hook= (else its built-in default), or pam_exec's program path. */
  readonly hook: string;
}

/** The first line in a stack that runs the pwguard check (module or pam_exec hook), or null. */
export function findCheckLine(lines: readonly StackLine[], hookPath: string): CheckLine | null {
  const index = lines.findIndex((l) => isModuleLine(l) || isHookLine(l, hookPath));
  const line = lines[index];
  if (!line) return null;
  if (isModuleLine(line)) {
    const hook = line.args.filter((a) => a.startsWith('hook=')).pop()?.slice('hook='.length) ?? MODULE_DEFAULT_HOOK;
    return { kind: 'module', line, index, hook };
  }
  return { kind: 'exec', line, index, hook: line.args.find((a) => a.startsWith('/')) ?? hookPath };
}

/** Does pam_pwguard.so accept this word? The module's own table (module/options.def); any other word stops every change. */
export function moduleWordOk(word: string): boolean {
  const eq = word.indexOf('=');
  const name = eq < 0 ? word : word.slice(0, eq);
  const value = eq < 0 ? undefined : word.slice(eq + 1);
  return MODULE_OPTIONS.some((o) => {
    switch (o.kind) {
      case 'int': return o.name === name && value !== undefined && /^\d{1,9}$/.test(value) && Number(value) >= o.min && Number(value) <= o.max;
      case 'choice': return o.name === name && value !== undefined && o.values.includes(value);
      case 'path': return o.name === name && value !== undefined && value.startsWith('/');
      case 'pamPrefix': return word.startsWith(o.name);
      default: return o.name === word;
    }
  });
}

/** What is wrong with a password stack for the hook at hookPath (or pam_pwguard.so), and how to fix it. */
export function checkPasswordStack(lines: readonly StackLine[], hookPath: string): StackProblem[] {
  const found = findCheckLine(lines, hookPath);
  if (!found) {
    return [{ severity: 'error', message: 'the pwguard check is not in the password stack (neither pam_pwguard.so nor the pam_exec hook)', fix: 'run `pwguard pam install --apply` or add the documented line (docs/pam.md)' }];
  }
  const before = lines.slice(0, found.index);
  const after = lines.slice(found.index + 1);
  const prompted = before.some((l) => PROMPTERS.includes(base(l.module)));
  const problems = found.kind === 'module' ? moduleProblems(found.line, prompted) : execProblems(found.line, prompted);
  const hook = found.line;
  const what = found.kind === 'module' ? 'pam_pwguard.so' : 'the hook';
  if (!/^(requisite|required)$|^\[/.test(hook.control) || hook.control.includes('default=ignore')) {
    problems.push({ severity: 'error', message: `${at(hook)}: control "${hook.control}" does not stop a refused password`, fix: 'use requisite' });
  }
  for (const l of before) {
    if (STORERS.includes(base(l.module))) {
      problems.push({ severity: 'error', message: `${at(l)}: ${base(l.module)} comes before ${what}: the password is changed before it is checked`, fix: `move the ${what === 'the hook' ? 'hook' : what} line above it` });
    }
  }
  for (const l of after) {
    if (STORERS.includes(base(l.module)) && !l.args.includes('use_authtok')) {
      problems.push({ severity: 'error', message: `${at(l)}: ${base(l.module)} lacks use_authtok: it may ask again and store a password that was never checked`, fix: 'add use_authtok' });
    }
  }
  if (!after.some((l) => STORERS.includes(base(l.module)))) {
    problems.push({ severity: 'warning', message: `no module after ${what} stores the password (pam_unix, pam_sss...)`, fix: 'check the stack order' });
  }
  return problems;
}

const at = (l: StackLine) => `${l.file}:${l.line}`;

function execProblems(hook: StackLine, prompted: boolean): StackProblem[] {
  const problems: StackProblem[] = [];
  if (!hook.args.includes('expose_authtok')) {
    problems.push({ severity: 'error', message: `${at(hook)}: pam_exec lacks expose_authtok: the hook gets no password`, fix: 'add expose_authtok before the hook path' });
  }
  if (!hook.args.includes('stdout')) {
    problems.push({ severity: 'warning', message: `${at(hook)}: pam_exec lacks stdout: users will not see why a password is refused`, fix: 'add stdout before the hook path' });
  }
  if (!prompted) {
    problems.push({ severity: 'warning', message: 'no module asks for the new password before the hook: pam_exec asks once ("Password: ") with no retype', fix: 'put pam_pwquality or pam_pwhistory before the hook for "New password / Retype new password"' });
  }
  return problems;
}

/** The module asks for the password itself and shows the hook's lines: only its words and use_authtok matter. */
function moduleProblems(mod: StackLine, prompted: boolean): StackProblem[] {
  const problems: StackProblem[] = [];
  for (const word of mod.args.filter((a) => !moduleWordOk(a))) {
    problems.push({ severity: 'error', message: `${at(mod)}: pam_pwguard.so does not accept "${word}" (unknown word or out of range): it refuses every change until it is fixed`, fix: 'see docs/pam-module.md for the options' });
  }
  if (mod.args.includes('use_authtok') && !prompted) {
    problems.push({ severity: 'error', message: `${at(mod)}: pam_pwguard.so has use_authtok but no module before it asks for the new password: every change fails`, fix: 'drop use_authtok (the module then asks itself), or put pam_pwquality before it' });
  }
  return problems;
}

/** Linux-PAM >= 1.6.0 hands the new password to pam_exec in the password stack. */
export function passwordAuthtokSupported(version: string): boolean | null {
  const m = /^(?:\d+:)?(\d+)\.(\d+)/.exec(version.trim());
  if (!m) return null;
  const major = Number(m[1]);
  const minor = Number(m[2]);
  return major > 1 || (major === 1 && minor >= 6);
}
