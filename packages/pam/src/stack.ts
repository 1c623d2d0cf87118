// Reading PAM stacks (/etc/pam.d/SERVICE) and judging the password stack the hook sits in.
// Pure: the caller passes a reader for files, so tests and `pam doctor --pam-dir` use any tree.

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

/** What is wrong with a password stack for the hook at hookPath, and how to fix it. */
export function checkPasswordStack(lines: readonly StackLine[], hookPath: string): StackProblem[] {
  const problems: StackProblem[] = [];
  const at = (l: StackLine) => `${l.file}:${l.line}`;
  const i = lines.findIndex((l) => isHookLine(l, hookPath));
  if (i < 0) {
    return [{ severity: 'error', message: 'the pwguard hook is not in the password stack', fix: 'run `pwguard pam install --apply` or add the documented line (docs/pam.md)' }];
  }
  const hook = lines[i] as StackLine;
  if (!hook.args.includes('expose_authtok')) {
    problems.push({ severity: 'error', message: `${at(hook)}: pam_exec lacks expose_authtok: the hook gets no password`, fix: 'add expose_authtok before the hook path' });
  }
  if (!hook.args.includes('stdout')) {
    problems.push({ severity: 'warning', message: `${at(hook)}: pam_exec lacks stdout: users will not see why a password is refused`, fix: 'add stdout before the hook path' });
  }
  if (!/^(requisite|required)$|^\[/.test(hook.control) || hook.control.includes('default=ignore')) {
    problems.push({ severity: 'error', message: `${at(hook)}: control "${hook.control}" does not stop a refused password`, fix: 'use requisite' });
  }
  const before = lines.slice(0, i);
  const after = lines.slice(i + 1);
  for (const l of before) {
    if (STORERS.includes(base(l.module))) {
      problems.push({ severity: 'error', message: `${at(l)}: ${base(l.module)} comes before the hook: the password is changed before it is checked`, fix: 'move the hook line above it' });
    }
  }
  if (!before.some((l) => PROMPTERS.includes(base(l.module)))) {
    problems.push({ severity: 'warning', message: 'no module asks for the new password before the hook: pam_exec asks once ("Password: ") with no retype', fix: 'put pam_pwquality or pam_pwhistory before the hook for "New password / Retype new password"' });
  }
  for (const l of after) {
    if (STORERS.includes(base(l.module)) && !l.args.includes('use_authtok')) {
      problems.push({ severity: 'error', message: `${at(l)}: ${base(l.module)} lacks use_authtok: it may ask again and store a password that was never checked`, fix: 'add use_authtok' });
    }
  }
  if (!after.some((l) => STORERS.includes(base(l.module)))) {
    problems.push({ severity: 'warning', message: 'no module after the hook stores the password (pam_unix, pam_sss...)', fix: 'check the stack order' });
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
