// THE JSON schema of the audit report (`pwguard-audit/1`) as a table: every field, its type and
// what it means. checkReport() validates a report against it (the tests run it on real reports),
// and docs/audit.md's field table is schemaMarkdown() (a test keeps them equal). Fields are only
// ever added; a reader must ignore fields it does not know, the checker does not (it is strict, so
// that the table stays complete).
import { FINDINGS, type FindingCode } from './findings.js';
import { AUDIT_STATUS } from './status.js';
import { SEVERITY } from './report.js';

type Leaf = 'string' | 'integer' | 'number' | 'boolean' | 'string[]';
interface Field {
  readonly t: Leaf | Shape | { readonly list: Shape } | { readonly oneOf: readonly string[] } | { readonly counts: true };
  /** May be null. */
  readonly null?: true;
  /** May be absent. */
  readonly opt?: true;
  readonly doc: string;
}
type Shape = { readonly [key: string]: Field };

const SHARD: Shape = { index: { t: 'integer', doc: 'K of --shard K/N' }, count: { t: 'integer', doc: 'N' } };
const FOUND_HOW = ['empty', 'context', 'common', 'wordlist', 'breached_hash', 'cleartext'] as const;
const BANDS = ['top10', 'top100', 'top1000', 'top10000', 'common', 'mangled', 'wordlist', 'context', 'empty', 'cleartext', 'breached_hash'] as const;

/** The details each finding code carries, besides `code`, `message` and `suggestion`. */
export const FINDING_DETAILS: Readonly<Record<FindingCode, Shape>> = {
  weak_password: { foundBy: { t: { oneOf: FOUND_HOW }, doc: 'as found.how' }, band: { t: { oneOf: BANDS }, doc: 'as found.band' } },
  breached_hash: { count: { t: 'integer', doc: 'times seen in breaches' } },
  policy_rejects: { reasonCodes: { t: 'string[]', doc: "today's policy's reason codes (pwguard check)" } },
  no_password: {},
  shared_password: { count: { t: 'integer', doc: 'other accounts with the same password' }, sharedWith: { t: 'string[]', doc: 'their user names' } },
  lm_present: {},
  storage: {
    issue: { t: 'string', doc: 'storage issue code (@pwguard/hashes): md5crypt, low_cost, unsalted, ...' },
    scheme: { t: 'string', doc: 'scheme id' },
    issueText: { t: 'string', doc: 'why it matters, in words' },
  },
  locked: { hashKept: { t: 'boolean', doc: 'the old hash is kept (`!` + hash) and was audited' } },
  expired: { date: { t: 'string', opt: true, doc: 'expiry date' } },
  must_change: {},
  not_checked: { reason: { t: 'string', doc: 'why not' } },
  not_found: {
    tried: { t: 'integer', doc: 'guesses tried' },
    planned: { t: 'integer', doc: 'guesses planned' },
    complete: { t: 'boolean', doc: 'every planned guess was tried' },
  },
  breach_unchecked: { error: { t: 'string', doc: 'why the breach lookup failed' } },
};

const FINDING: Shape = {
  code: { t: { oneOf: Object.keys(FINDINGS) }, doc: 'stable finding code (table above); its details follow `FINDING_DETAILS`' },
  message: { t: 'string', doc: 'English text; may improve between versions' },
  suggestion: { t: 'string', opt: true, doc: 'suggested next step, for findings that need action' },
};

const LIST_COVERAGE: Shape = {
  list: { t: 'string', doc: 'as in summary.guessLists' },
  words: { t: 'integer', doc: 'base words of the list in play' },
  wordsTried: { t: 'integer', doc: 'base words tried as written (identity rule)' },
  candidatesTried: { t: 'integer', doc: 'candidates from the list (word x rule) tried' },
};

const ACCOUNT: Shape = {
  user: { t: 'string', doc: 'login name' },
  sources: { t: 'string[]', doc: '`shadow:FILE:LINE`, `htpasswd:FILE:LINE`, `ldap:DN`' },
  state: { t: { oneOf: ['active', 'locked', 'expired', 'no_password'] }, doc: 'account state' },
  severity: { t: { oneOf: SEVERITY }, doc: 'order of urgency; `accounts` are sorted by it, then by user' },
  scheme: { t: 'string', null: true, doc: 'scheme of the stored password the coverage is about' },
  schemes: { t: 'string[]', doc: 'every scheme the account\'s stored passwords use' },
  lastChange: { t: 'string', null: true, doc: 'last password change, YYYY-MM-DD (shadow lastchg, LDAP pwdChangedTime or shadowLastChange)' },
  weak: { t: 'boolean', doc: 'found, empty, or its hash is in the breach store' },
  needsAction: { t: 'boolean', doc: 'a finding needs action' },
  found: {
    t: {
      how: { t: { oneOf: FOUND_HOW }, doc: 'how it was found' },
      band: { t: { oneOf: BANDS }, doc: 'how weak, never which' },
      rank: { t: 'integer', opt: true, doc: 'rank in its list; only with --show-passwords' },
      list: { t: 'string', opt: true, doc: 'wordlist path (how = wordlist)' },
      attribute: { t: 'string', doc: 'shadow, htpasswd, userPassword, sambaNTPassword' },
      breachCount: { t: 'integer', opt: true, doc: 'times seen in breaches' },
      password: { t: 'string', opt: true, doc: 'only with --show-passwords' },
    },
    null: true,
    doc: 'the found password, how and how weak',
  },
  coverage: {
    t: {
      tried: { t: 'integer', doc: 'guesses tried against the least-tested stored password' },
      planned: { t: 'integer', doc: 'guesses planned for it (the cap, or the whole stream)' },
      complete: { t: 'boolean', doc: 'true only when every planned guess was tried (or the password was found)' },
      lists: { t: { list: LIST_COVERAGE }, doc: 'per guess list, how far it got' },
    },
    null: true,
    doc: 'how far guessing got; null when there was nothing to guess',
  },
  findings: { t: { list: FINDING }, doc: 'what was found' },
  dn: { t: 'string', opt: true, doc: 'LDAP entry (for --expire)' },
  shareDigests: { t: 'string[]', opt: true, doc: 'only in shard reports made with --share-key: keyed digests of the stored values and the found password (never the values); `report merge` groups by them and drops them' },
};

export const REPORT_FIELDS: Shape = {
  schema: { t: { oneOf: ['pwguard-audit/1'] }, doc: 'this schema' },
  status: { t: { oneOf: Object.keys(AUDIT_STATUS) }, doc: 'how the run ended; the exit status says the same (table below)' },
  generatedAt: { t: 'string', doc: 'ISO 8601 time' },
  shard: { t: SHARD, null: true, doc: 'the part audited (--shard K/N)' },
  shardsMerged: { t: { list: SHARD }, opt: true, doc: 'only in `report merge` output: the parts joined' },
  shareKeyId: { t: 'string', opt: true, doc: 'only in shard reports made with --share-key: names the key (not the key), so merge refuses reports made with different keys' },
  passwordsShown: { t: 'boolean', doc: '--show-passwords was given' },
  summary: {
    t: {
      accounts: { t: 'integer', doc: 'accounts audited' },
      inputAccounts: { t: 'integer', doc: 'accounts read from the sources, before --shard (0: unusable input)' },
      weak: { t: 'integer', doc: 'accounts with a weak password' },
      needsAction: { t: 'integer', doc: 'accounts that need action' },
      notChecked: { t: 'integer', doc: 'accounts with a value that could not be checked' },
      incomplete: { t: 'integer', doc: 'accounts not found whose guessing stopped before its plan (budget, interrupt)' },
      foundBy: { t: { counts: true }, doc: 'accounts per found.how' },
      findings: { t: { counts: true }, doc: 'accounts per finding code' },
      guessesTried: { t: 'integer', doc: 'guesses tried in all' },
      seconds: { t: 'number', doc: 'run time' },
      stopReason: { t: { oneOf: ['budget', 'interrupted'] }, null: true, doc: 'why guessing stopped early' },
      maxGuesses: { t: 'integer', doc: '--max-guesses' },
      guessLists: { t: 'string[]', doc: '`org_words`, `famous`, `common`, `keyboard`, `wordlist:PATH`, in the order they are merged' },
      problems: { t: 'integer', doc: 'input problems' },
    },
    doc: 'figures for the whole run',
  },
  accounts: { t: { list: ACCOUNT }, doc: 'one per account, most urgent first' },
  problems: {
    t: { list: { where: { t: 'string', doc: 'file, URL or step' }, line: { t: 'integer', opt: true, doc: 'line number' }, message: { t: 'string', doc: 'what is wrong' } } },
    doc: 'input problems (lines skipped, lists cut, ...)',
  },
  expirePlan: {
    t: {
      list: {
        user: { t: 'string', doc: 'login name' },
        kind: { t: { oneOf: ['local', 'ldap', 'none'] }, doc: 'chage, an LDAP modify, or nothing pwguard can do' },
        description: { t: 'string', doc: 'what --expire --apply does, or what to do by hand' },
        argv: { t: 'string[]', opt: true, doc: 'the command (local)' },
        dn: { t: 'string', opt: true, doc: 'the entry (ldap)' },
      },
    },
    doc: 'what `--expire` does (or would do) for the weak accounts',
  },
};

function kind(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

/** Every way `value` differs from the schema, as `path: what` lines; [] when it is a valid report. */
export function checkReport(value: unknown): string[] {
  const errors: string[] = [];
  checkShape(value, REPORT_FIELDS, '', errors);
  return errors;
}

function checkShape(v: unknown, shape: Shape, path: string, errors: string[], extra: Shape = {}): void {
  if (kind(v) !== 'object') {
    errors.push(`${path || '(report)'}: expected an object, got ${kind(v)}`);
    return;
  }
  const o = v as Record<string, unknown>;
  const all: Shape = { ...shape, ...extra };
  for (const [k, f] of Object.entries(all)) {
    const at = path ? `${path}.${k}` : k;
    if (!(k in o)) {
      if (!f.opt) errors.push(`${at}: missing`);
      continue;
    }
    if (o[k] === null) {
      if (!f.null) errors.push(`${at}: null is not allowed`);
      continue;
    }
    checkField(o[k], f, at, errors);
  }
  for (const k of Object.keys(o)) if (!(k in all)) errors.push(`${path ? `${path}.${k}` : k}: not in the schema`);
}

function checkField(v: unknown, f: Field, at: string, errors: string[]): void {
  const t = f.t;
  if (typeof t === 'string') {
    const ok = t === 'string[]' ? Array.isArray(v) && v.every((x) => typeof x === 'string')
      : t === 'integer' ? Number.isInteger(v)
      : typeof v === t;
    if (!ok) errors.push(`${at}: expected ${t}, got ${kind(v)} ${JSON.stringify(v)}`);
    return;
  }
  if ('oneOf' in t) {
    if (typeof v !== 'string' || !(t.oneOf as readonly string[]).includes(v)) errors.push(`${at}: expected one of ${(t.oneOf as readonly string[]).join(', ')}, got ${JSON.stringify(v)}`);
    return;
  }
  if ('counts' in t) {
    if (kind(v) !== 'object' || !Object.values(v as object).every((n) => Number.isInteger(n))) errors.push(`${at}: expected an object of counts`);
    return;
  }
  if ('list' in t && kind(t.list) === 'object' && !('t' in (t.list as object))) {
    if (!Array.isArray(v)) {
      errors.push(`${at}: expected an array, got ${kind(v)}`);
      return;
    }
    v.forEach((x, i) => {
      const code = t.list === FINDING && kind(x) === 'object' ? (x as { code?: unknown }).code : undefined;
      const extra = typeof code === 'string' && Object.hasOwn(FINDING_DETAILS, code) ? FINDING_DETAILS[code as FindingCode] : {};
      checkShape(x, t.list as Shape, `${at}[${i}]`, errors, extra);
    });
    return;
  }
  checkShape(v, t as Shape, at, errors);
}

function typeText(f: Field): string {
  const t = f.t;
  const base = typeof t === 'string' ? t
    : 'oneOf' in t ? (t.oneOf as readonly string[]).map((x) => `"${x}"`).join(' \\| ')
    : 'counts' in t ? 'object of integers'
    : 'list' in t && !('t' in (t.list as object)) ? 'array of objects'
    : 'object';
  return `${base}${f.null ? ' \\| null' : ''}${f.opt ? ' (optional)' : ''}`;
}

function rows(shape: Shape, path: string, out: string[]): void {
  for (const [k, f] of Object.entries(shape)) {
    const at = path ? `${path}.${k}` : k;
    out.push(`| \`${at}\` | ${typeText(f)} | ${f.doc} |`);
    const t = f.t;
    if (typeof t === 'string' || 'oneOf' in t || 'counts' in t) continue;
    if ('list' in t && !('t' in (t.list as object))) rows(t.list as Shape, `${at}[]`, out);
    else rows(t as Shape, at, out);
  }
}

/** The schema as the Markdown tables docs/audit.md shows: the fields, then each finding code's details. */
export function schemaMarkdown(): string {
  const out = ['| field | type | meaning |', '|---|---|---|'];
  rows(REPORT_FIELDS, '', out);
  out.push('', '| finding code | details (besides `code`, `message`, `suggestion`) |', '|---|---|');
  for (const [code, shape] of Object.entries(FINDING_DETAILS)) {
    const ds = Object.entries(shape).map(([k, f]) => `\`${k}\` ${typeText(f)}`);
    out.push(`| \`${code}\` | ${ds.length ? ds.join(', ') : '(none)'} |`);
  }
  return out.join('\n');
}
