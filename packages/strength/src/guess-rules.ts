// Word-mangling rules in the syntax administrators already have: hashcat rule files (best64.rule
// and the like) and John the Ripper's [List.Rules:NAME] sections. The common subset is supported;
// a rule using anything else is reported once with its file and line, and skipped.
//
// Both tools work on bytes, so this engine does too: a word is turned into its UTF-8 bytes (one
// JavaScript char per byte), mangled, and turned back. Positions count bytes, case functions touch
// ASCII letters only, exactly as in the tools; a result that is not valid UTF-8 (say "café"
// reversed byte by byte) is no password anyone types, and comes back as null.

/** A rule that could not be used: where (file), which line, and why. */
export interface RuleProblem {
  readonly where: string;
  readonly line?: number;
  readonly message: string;
}

/** Whose meaning a rule has where the two tools differ (John: `[` starts a class, `p` pluralises). */
export type RuleDialect = 'hashcat' | 'john';

/** One step on the byte string; null rejects the word (John's reject commands). */
type Step = (s: string) => string | null;

export interface Rule {
  /** The rule as written (for John, one expansion of the preprocessor). */
  readonly text: string;
  readonly dialect: RuleDialect;
  /** Where it was read, for messages. */
  readonly where?: string;
  readonly line?: number;
  /** Estimated probability that a password is built this way (built-in rules only). */
  readonly weight?: number;
  /** Compiled steps; private to this module. */
  readonly steps: readonly Step[];
}

export interface ParsedRules {
  readonly rules: Rule[];
  /** One entry per skipped source line, naming the function or syntax not supported. */
  readonly problems: RuleProblem[];
}

export interface ParseRulesOptions {
  /** Default: John if the text has a `[List.Rules:...]` header, else hashcat. */
  readonly dialect?: RuleDialect;
  /** John section to read (case-insensitive); default `Wordlist`, as `john --rules`. */
  readonly section?: string;
}

/** A rule's text cannot be used; `message` says why and names the function. */
export class RuleSyntaxError extends Error {}

// hashcat's RP_PASSWORD_SIZE: a function that would make a word this long or longer does nothing.
const HASHCAT_SIZE = 256;

const isLower = (c: string): boolean => c >= 'a' && c <= 'z';
const isUpper = (c: string): boolean => c >= 'A' && c <= 'Z';
const lower = (s: string): string => s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
const upper = (s: string): string => s.replace(/[a-z]+/g, (m) => m.toUpperCase());
const toggleChar = (c: string): string => (isLower(c) ? c.toUpperCase() : isUpper(c) ? c.toLowerCase() : c);
const reverse = (s: string): string => s.split('').reverse().join('');

/** `0`-`9` then `A`-`Z`: 0..35, as both tools write positions and lengths. */
function position(c: string | undefined): number {
  if (c === undefined) return -1;
  if (c >= '0' && c <= '9') return c.charCodeAt(0) - 48;
  if (c >= 'A' && c <= 'Z') return c.charCodeAt(0) - 55;
  return -1;
}

/** Reads one rule's functions; each reader consumes its arguments from `text` at `at`. */
class RuleReader {
  at = 0;
  constructor(readonly text: string, readonly dialect: RuleDialect) {}

  done(): boolean {
    return this.at >= this.text.length;
  }

  char(fn: string): string {
    const c = this.text[this.at++];
    if (c === undefined) throw new RuleSyntaxError(`'${fn}' needs a character after it`);
    return c;
  }

  pos(fn: string): number {
    const c = this.text[this.at++];
    const n = position(c);
    if (n < 0) throw new RuleSyntaxError(c === undefined ? `'${fn}' needs a position (0-9, A-Z)` : `'${fn}' needs a position (0-9, A-Z), not '${shown(c)}'`);
    return n;
  }
}

/** A byte of the rule as a person would read it. */
function shown(c: string): string {
  const code = c.charCodeAt(0);
  return code < 0x20 || code >= 0x7f ? `\\x${code.toString(16).padStart(2, '0')}` : c;
}

/** Functions both tools share. `hc` is true when hashcat's length limit applies. */
function commonStep(fn: string, r: RuleReader, hc: boolean): Step | undefined {
  const fits = (n: number): boolean => !hc || n < HASHCAT_SIZE;
  switch (fn) {
    case ':': return (s) => s;
    case 'l': return lower;
    case 'u': return upper;
    case 'c': return (s) => upper(s.slice(0, 1)) + lower(s.slice(1));
    case 'C': return (s) => lower(s.slice(0, 1)) + upper(s.slice(1));
    case 't': return (s) => s.replace(/[a-zA-Z]/g, toggleChar);
    case 'T': {
      const n = r.pos(fn);
      return (s) => (n < s.length ? s.slice(0, n) + toggleChar(s[n] as string) + s.slice(n + 1) : s);
    }
    case 'r': return reverse;
    case 'd': return (s) => (fits(s.length * 2) ? s + s : s);
    case 'f': return (s) => (fits(s.length * 2) ? s + reverse(s) : s);
    case '{': return (s) => s.slice(1) + s.slice(0, 1);
    case '}': return (s) => s.slice(-1) + s.slice(0, -1);
    case '$': {
      const x = r.char(fn);
      return (s) => (fits(s.length + 1) ? s + x : s);
    }
    case '^': {
      const x = r.char(fn);
      return (s) => (fits(s.length + 1) ? x + s : s);
    }
    case '[': return (s) => s.slice(1);
    case ']': return (s) => s.slice(0, -1);
    case 'D': {
      const n = r.pos(fn);
      return (s) => (n < s.length ? s.slice(0, n) + s.slice(n + 1) : s);
    }
    case 'i': {
      const n = r.pos(fn);
      const x = r.char(fn);
      return (s) => (n <= s.length && fits(s.length + 1) ? s.slice(0, n) + x + s.slice(n) : s);
    }
    case 'o': {
      const n = r.pos(fn);
      const x = r.char(fn);
      return (s) => (n < s.length ? s.slice(0, n) + x + s.slice(n + 1) : s);
    }
    case "'": {
      const n = r.pos(fn);
      return (s) => s.slice(0, n);
    }
    case 's': {
      const x = r.char(fn);
      const y = r.char(fn);
      return (s) => s.split(x).join(y);
    }
    case '@': {
      const x = r.char(fn);
      return (s) => s.split(x).join('');
    }
    default: return undefined;
  }
}

/** hashcat-only functions (in John these letters mean something else or nothing). */
function hashcatStep(fn: string, r: RuleReader): Step | undefined {
  const fits = (n: number): boolean => n < HASHCAT_SIZE;
  switch (fn) {
    case 'p': {
      const n = r.pos(fn);
      return (s) => (fits(s.length * (n + 1)) ? s.repeat(n + 1) : s);
    }
    case 'x': {
      const [n, m] = [r.pos(fn), r.pos(fn)];
      return (s) => (n < s.length && n + m <= s.length ? s.slice(n, n + m) : s);
    }
    case 'O': {
      const [n, m] = [r.pos(fn), r.pos(fn)];
      return (s) => (n < s.length && n + m <= s.length ? s.slice(0, n) + s.slice(n + m) : s);
    }
    case 'z': {
      const n = r.pos(fn);
      return (s) => (s.length > 0 && fits(s.length + n) ? (s[0] as string).repeat(n) + s : s);
    }
    case 'Z': {
      const n = r.pos(fn);
      return (s) => (s.length > 0 && fits(s.length + n) ? s + (s[s.length - 1] as string).repeat(n) : s);
    }
    case 'q': return (s) => (s.length > 0 && fits(s.length * 2) ? s.replace(/[^]/g, '$&$&') : s);
    case 'k': return (s) => (s.length >= 2 ? (s[1] as string) + s[0] + s.slice(2) : s);
    case 'K': return (s) => (s.length >= 2 ? s.slice(0, -2) + s[s.length - 1] + s[s.length - 2] : s);
    case '*': {
      const [n, m] = [r.pos(fn), r.pos(fn)];
      return (s) => {
        if (n >= s.length || m >= s.length) return s;
        const b = s.split('');
        [b[n], b[m]] = [b[m] as string, b[n] as string];
        return b.join('');
      };
    }
    case 'y': {
      const n = r.pos(fn);
      return (s) => (n <= s.length && fits(s.length + n) ? s.slice(0, n) + s : s);
    }
    case 'Y': {
      const n = r.pos(fn);
      return (s) => (n <= s.length && fits(s.length + n) ? s + s.slice(s.length - n) : s);
    }
    default: return undefined;
  }
}

/** John's own commands (string insert, reject commands) and where John differs from hashcat. */
function johnStep(fn: string, r: RuleReader): Step | undefined {
  switch (fn) {
    case 'x': {
      // John extracts "up to M characters" (nothing past the end); hashcat leaves a word too short.
      const [n, m] = [r.pos(fn), r.pos(fn)];
      return (s) => s.slice(n, n + m);
    }
    case 'i': {
      // Past the end John appends; hashcat leaves the word.
      const n = r.pos(fn);
      const x = r.char(fn);
      return (s) => s.slice(0, n) + x + s.slice(n);
    }
    case 'A': {
      const p = r.text[r.at++];
      const n = p === 'z' ? Infinity : position(p);
      if (n < 0) throw new RuleSyntaxError(`'A' needs a position (0-9, A-Z or z), not '${shown(p ?? '')}'`);
      const quote = r.char(fn);
      const end = r.text.indexOf(quote, r.at);
      if (end < 0) throw new RuleSyntaxError(`'A${p}${quote}' has no closing ${quote}`);
      const str = r.text.slice(r.at, end);
      r.at = end + 1;
      return (s) => (n <= s.length ? s.slice(0, n) + str + s.slice(n) : s + str);
    }
    case 's': {
      const [x, y] = [classOrChar(fn, r), r.char(fn)];
      return (s) => s.split(x).join(y);
    }
    case '@': {
      const x = classOrChar(fn, r);
      return (s) => s.split(x).join('');
    }
    case '<': {
      const n = r.pos(fn);
      return (s) => (s.length < n ? s : null);
    }
    case '>': {
      const n = r.pos(fn);
      return (s) => (s.length > n ? s : null);
    }
    case '!': {
      const x = classOrChar(fn, r);
      return (s) => (s.includes(x) ? null : s);
    }
    case '/': {
      const x = classOrChar(fn, r);
      return (s) => (s.includes(x) ? s : null);
    }
    case '(': {
      const x = classOrChar(fn, r);
      return (s) => (s.startsWith(x) ? s : null);
    }
    case ')': {
      const x = classOrChar(fn, r);
      return (s) => (s.endsWith(x) && s.length > 0 ? s : null);
    }
    default: return undefined;
  }
}

/** John's `?C` character classes are not supported; a literal `?` is written `??`. */
function classOrChar(fn: string, r: RuleReader): string {
  const x = r.char(fn);
  if (x !== '?') return x;
  const c = r.char(fn);
  if (c === '?') return '?';
  throw new RuleSyntaxError(`'${fn}?${shown(c)}': character classes are not supported`);
}

const UNSUPPORTED_HINT: Readonly<Record<string, string>> = {
  M: 'memory', Q: 'memory', X: 'memory', '4': 'memory', '6': 'memory',
  p: 'pluralise', P: 'past tense', I: '-ing', S: 'shift case', V: 'vowels', R: 'keyboard shift or bit shift',
  L: 'keyboard shift or bit shift', v: 'variables', '1': 'word pairs', '2': 'word pairs', '+': 'word pairs or increment',
};

/** Compile one rule (already free of John's preprocessor syntax); throws RuleSyntaxError. */
export function compileRule(text: string, dialect: RuleDialect = 'hashcat'): Rule {
  const bytes = dialect === 'hashcat' ? hexNotation(utf8Bytes(text)) : utf8Bytes(text);
  const r = new RuleReader(bytes, dialect);
  const steps: Step[] = [];
  if (dialect === 'john') johnFlags(r);
  while (!r.done()) {
    const fn = r.text[r.at++] as string;
    if (fn === ' ' || fn === '\t') continue;
    const step = dialect === 'hashcat' ? commonStep(fn, r, true) ?? hashcatStep(fn, r) : johnStep(fn, r) ?? commonStep(fn, r, false);
    if (step === undefined) {
      if (fn.charCodeAt(0) >= 0x80) throw new RuleSyntaxError('non-ASCII character: a rule function takes single bytes (hashcat: write it as \\xHH)');
      const hint = UNSUPPORTED_HINT[fn];
      throw new RuleSyntaxError(`unsupported function '${shown(fn)}'${hint ? ` (${hint})` : ''}`);
    }
    steps.push(step);
  }
  return { text, dialect, steps };
}

/** John's leading reject flags: those that hold for a case-sensitive, 8-bit wordlist run. */
function johnFlags(r: RuleReader): void {
  while (r.text[r.at] === '-') {
    const flag = r.text[r.at + 1];
    if (flag === ':' || flag === 'c' || flag === '8') r.at += 2;
    else if (flag === 's' || flag === 'p') throw new RuleSyntaxError(`flag '-${flag}' applies only to ${flag === 's' ? 'split LM hashes' : "word pairs (John's single mode)"}`);
    else throw new RuleSyntaxError(`unsupported flag '-${shown(flag ?? '')}'`);
  }
}

// hashcat reads `\xHH` anywhere in a rule as that byte.
function hexNotation(s: string): string {
  return s.includes('\\x') ? s.replace(/\\x([0-9a-fA-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))) : s;
}

const ASCII = /^[\x00-\x7f]*$/;
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** The UTF-8 bytes of `s`, one char each (identity for ASCII). */
function utf8Bytes(s: string): string {
  if (ASCII.test(s)) return s;
  let out = '';
  for (const b of encoder.encode(s)) out += String.fromCharCode(b);
  return out;
}

function fromUtf8Bytes(s: string): string | null {
  if (ASCII.test(s)) return s;
  try {
    return decoder.decode(Uint8Array.from(s, (c) => c.charCodeAt(0)));
  } catch {
    return null;
  }
}

/**
 * The candidate `rule` makes of `word`, or null: rejected by a John reject command, empty (the
 * empty password is a guess of its own, tried once), or not valid UTF-8.
 */
export function applyRule(rule: Rule, word: string): string | null {
  const s = applyRuleBytes(rule, word);
  return s === null || s === '' ? null : fromUtf8Bytes(s);
}

/** What the tools print: the result as bytes (one char each), null only when a command rejects. */
export function applyRuleBytes(rule: Rule, word: string): string | null {
  let s: string | null = utf8Bytes(word);
  for (const step of rule.steps) {
    s = step(s);
    if (s === null) return null;
  }
  return s;
}

/**
 * Parse a rule file: one rule per line; blank lines and `#` comments skipped. John config text
 * (section headers, the `[...]` preprocessor) is read from the section `options.section`.
 * Each line that cannot be used becomes one problem naming `file`, the line and the reason.
 */
export function parseRules(text: string, file: string, options: ParseRulesOptions = {}): ParsedRules {
  const lines = text.split('\n');
  const dialect = options.dialect ?? (lines.some((l) => /^\[List\.Rules:/i.test(l.trim())) ? 'john' : 'hashcat');
  const section = (options.section ?? 'Wordlist').toLowerCase();
  const rules: Rule[] = [];
  const problems: RuleProblem[] = [];
  let inSection = dialect === 'hashcat' || !lines.some((l) => l.startsWith('['));
  let sawSection = inSection;
  lines.forEach((raw, i) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (dialect === 'john' && line.startsWith('[')) {
      // As John's config reader: any line starting with `[` is a section header.
      const name = line.slice(1, line.indexOf(']') >= 0 ? line.indexOf(']') : undefined).toLowerCase();
      inSection = name === `list.rules:${section}`;
      sawSection ||= inSection;
      return;
    }
    if (!inSection || line.trim() === '' || line.startsWith('#')) return;
    const problem = (message: string): void => {
      problems.push({ where: file, line: i + 1, message: `rule "${line}" skipped: ${message}` });
    };
    if (dialect === 'john' && line.startsWith('.')) return problem('config directives (.include) are not supported');
    try {
      const texts = dialect === 'john' ? expandJohn(line) : [line];
      for (const t of texts) rules.push({ ...compileRule(t, dialect), where: file, line: i + 1 });
    } catch (e) {
      if (!(e instanceof RuleSyntaxError)) throw e;
      problem(e.message);
    }
  });
  if (!sawSection) problems.push({ where: file, message: `no [List.Rules:${options.section ?? 'Wordlist'}] section: no rules read` });
  return { rules, problems };
}

/** Most rules one John line may expand to; more is a mistake in the file, not a rule set. */
const MAX_EXPANSION = 100_000;

/**
 * John's rule preprocessor, simplest form: `[...]` lists and ranges expand to one rule each (the
 * rightmost varying fastest, as John), `\X` is a literal X. Back-references (`\0`-`\9`, `\p`) are
 * not supported.
 */
export function expandJohn(line: string): string[] {
  const parts: string[][] = [];
  let literal = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (c === '\\') {
      const next = line[++i];
      if (next === undefined) throw new RuleSyntaxError("'\\' at the end of the line");
      if (/[0-9p]/.test(next) && line[i + 1] === '[') throw new RuleSyntaxError(`preprocessor back-reference '\\${next}' is not supported`);
      literal += next;
    } else if (c === '[') {
      const [set, end] = charClass(line, i + 1);
      parts.push([literal]);
      literal = '';
      parts.push(set);
      i = end;
    } else literal += c;
  }
  parts.push([literal]);
  if (parts.reduce((n, set) => n * set.length, 1) > MAX_EXPANSION) throw new RuleSyntaxError(`expands to more than ${MAX_EXPANSION} rules`);
  let out = [''];
  for (const set of parts) out = out.flatMap((prefix) => set.map((s) => prefix + s));
  return out;
}

/** The characters of a `[...]` list starting at `from`, and the index of its `]`. */
function charClass(line: string, from: number): [string[], number] {
  const chars: string[] = [];
  for (let i = from; i < line.length; i++) {
    let c = line[i] as string;
    if (c === ']') {
      if (chars.length === 0) throw new RuleSyntaxError("empty '[]' in the preprocessor");
      return [chars, i];
    }
    if (c === '\\') c = line[++i] ?? '\\';
    const to = line[i + 2];
    if (line[i + 1] === '-' && to !== undefined && to !== ']') {
      for (let k = c.charCodeAt(0); k <= to.charCodeAt(0); k++) chars.push(String.fromCharCode(k));
      i += 2;
    } else chars.push(c);
  }
  throw new RuleSyntaxError("'[' without a closing ']' (a delete-first command is written '\\[' in John's syntax)");
}
