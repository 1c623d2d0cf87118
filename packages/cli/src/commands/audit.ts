// pwguard audit: find the weak passwords among existing accounts (shadow, LDAP, htpasswd).
import { Command, Option } from 'commander';
import { checkOutputPath } from '@pwguard/files';
import {
  applyExpire, AUDIT_STATUS, auditAccounts, exitStatusHelp, CheckpointError, DEFAULT_LDAP_FILTER, DEFAULT_MAX_GUESSES, defaultJobs, formatPlan,
  formatReport, loadSources, readRuleFiles, makePlan, printable, mergeAccounts, MergeError, parseDuration, parseShard, planExpire, prepareAudit,
  readShareKey, ShareKeyError, SourceError, type AuditOptions, type AuditReport, type BreachSource, type Judge, type LdapSourceOptions, type ReportFormat,
} from '@pwguard/audit';
import { cryptSupport, maxJobs } from '@pwguard/hashes';
import { EXIT, UserError } from '../errors.js';
import { readSecretFile, writePrivateFile } from '../io.js';
import { CheckError, type Checker } from '@pwguard/strength';
import { checkerFor, DEFAULT_CONFIG, loadChecker } from '@pwguard/runtime';
import { openAuditBreachStore } from './audit-breach.js';
import { addNotifyOptions, prepareNotify, runNotify, type NotifyCliOptions } from './audit-notify.js';
import { progressReporter } from './audit-progress.js';

export interface AuditCliOptions extends NotifyCliOptions {
  shadow?: string;
  passwd?: string;
  htpasswd: string[];
  ldap?: string;
  bindDn?: string;
  bindPasswordFile?: string;
  base?: string;
  filter?: string;
  caFile?: string;
  insecureSkipTlsVerify?: boolean;
  ldapTimeout: string;
  wordlist: string[];
  rules: string[];
  rulesDialect?: 'hashcat' | 'john';
  common: boolean;
  maxGuesses: string;
  budget?: string;
  jobs?: string;
  plan?: boolean;
  format?: ReportFormat;
  output?: string;
  showPasswords?: boolean;
  checkpoint?: string;
  checkpointKeyDir?: string;
  resume?: boolean;
  expire?: boolean;
  apply?: boolean;
  shard?: string;
  shareKey?: string;
  breachStore?: string;
  config?: string;
  judge: boolean;
  progress: boolean;
}

const collect = (v: string, prev: string[]): string[] => [...prev, v];

export function registerAudit(program: Command): void {
  const audit = program
    .command('audit')
    .description('Find weak passwords among existing accounts (shadow, LDAP, htpasswd).')
    .option('--shadow <file>', 'shadow(5) file, e.g. /etc/shadow')
    .addOption(new Option('--passwd <file>', 'passwd(5) file for GECOS').default(undefined, '/etc/passwd with --shadow /etc/shadow'))
    .option('--htpasswd <file>', 'Apache htpasswd file (repeatable)', collect, [])
    .option('--ldap <url>', 'LDAP directory: ldap://host (StartTLS) or ldaps://host')
    .option('--bind-dn <dn>', 'DN to bind as (it must be allowed to read userPassword)')
    .option('--bind-password-file <file>', 'file whose first line is the bind password (never on the command line)')
    .option('--base <dn>', 'search base')
    .addOption(new Option('--filter <filter>', 'search filter').default(undefined, DEFAULT_LDAP_FILTER))
    .option('--ca-file <file>', 'CA certificate(s) to verify the LDAP server with (PEM)')
    .option('--insecure-skip-tls-verify', 'do not verify the LDAP server certificate (only for tests)')
    .option('--ldap-timeout <seconds>', 'LDAP connect and operation timeout', '10')
    .option('--wordlist <file>', 'site guesses, one per line or WORD:COUNT (repeatable; crossed with the rules, reached early)', collect, [])
    .addOption(new Option('--rules <file>', 'mangling rules for the list words, hashcat or John syntax (repeatable)').argParser(collect).default([], 'the built-in weighted rules'))
    .addOption(new Option('--rules-dialect <dialect>', 'syntax of --rules files').choices(['hashcat', 'john']).default(undefined, 'john with a [List.Rules:...] header, else hashcat'))
    .option('--no-common', 'do not use the built-in ranked common-password list')
    .option('--max-guesses <n>', 'per-account cap on guesses', String(DEFAULT_MAX_GUESSES))
    .option('--budget <duration>', 'time budget for the whole run, e.g. 90s, 30m, 2h')
    .addOption(new Option('-j, --jobs <n>', 'worker threads, at most 4 x the cores').default(undefined, 'all cores'))
    .option('--plan', 'measure speed per scheme and print how long the guesses will take; guess nothing')
    .addOption(new Option('-f, --format <format>', 'report format').choices(['table', 'json', 'csv', 'html']).default(undefined, 'table on a terminal, else json'))
    .option('-o, --output <file>', 'write the report to FILE (created mode 0600) instead of standard output')
    .option('--show-passwords', 'include found passwords in the report (they are shown nowhere otherwise)')
    .option('--checkpoint <file>', 'save progress to FILE (mode 0600, no passwords or hashes in it)')
    .addOption(new Option('--checkpoint-key-dir <dir>', 'private folder for the checkpoint\'s HMAC key, kept apart from the checkpoint').default(undefined, '$XDG_STATE_HOME/pwguard/checkpoint-keys, else ~/.local/state/pwguard/checkpoint-keys'))
    .option('--resume', 'continue from --checkpoint FILE without redoing finished work')
    .option('--expire', 'force a password change at next login for weak accounts (dry run unless --apply)')
    .option('--apply', 'with --expire or --notify: really do it')
    .option('--shard <k/n>', 'audit only part K of N (1-based) of the accounts; join reports with `pwguard report merge`')
    .option('--share-key <file>', 'with --shard: per-audit secret (`pwguard report new-key FILE`) so `report merge` finds passwords shared across shards')
    .addOption(new Option('--breach-store <file>', 'breach store for unsalted hashes and counts').default(undefined, 'breach_store from the policy'))
    .addOption(new Option('-c, --config <file>', 'policy file used to judge found passwords').default(undefined, '$PWGUARD_CONFIG, else /etc/security/pwguard.conf'))
    .option('--no-judge', 'do not judge found passwords against the policy')
    .option('--no-progress', 'no progress bar even on a terminal')
    .addHelpText('after', `
Found passwords never appear in any output unless --show-passwords is given.
The report's first line (JSON: "status") says how the run ended; so does the exit status:
${exitStatusHelp()}

Examples:
  pwguard audit --shadow /etc/shadow --budget 30m --output /var/lib/pwguard/audit.json --format json
  pwguard audit --ldap ldaps://ldap.example.org --bind-dn cn=audit,dc=example,dc=org \\
      --bind-password-file /etc/pwguard/bind.pw --base ou=people,dc=example,dc=org
  pwguard audit --htpasswd /etc/apache2/.htpasswd --wordlist site-words.txt --plan`)
    .action(async (opts: AuditCliOptions) => {
      process.exitCode = await runAudit(opts);
    });
  addNotifyOptions(audit);
}

function positiveInt(text: string, option: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new UserError(`${option} ${text}: expected a whole number of at least 1`);
  return Number(text);
}

/** More threads than a few per core only cost memory (2,074 threads and 10 GB at --jobs 100000). */
function jobsOption(text: string): number {
  const n = positiveInt(text, '--jobs');
  if (n > maxJobs()) throw new UserError(`--jobs ${text}: at most ${maxJobs()} on this machine (4 x its ${maxJobs() / 4} cores)`);
  return n;
}

function ldapOptions(opts: AuditCliOptions): LdapSourceOptions | undefined {
  if (!opts.ldap) {
    if (opts.bindDn || opts.base || opts.bindPasswordFile) throw new UserError('--bind-dn, --base and --bind-password-file need --ldap URL');
    return undefined;
  }
  if (!opts.base) throw new UserError('--ldap needs --base DN (the search base)');
  if (opts.bindDn && !opts.bindPasswordFile) throw new UserError('--bind-dn needs --bind-password-file (passwords never go on the command line)');
  const password = opts.bindPasswordFile ? readSecretFile(opts.bindPasswordFile, 'bind password') : undefined;
  return {
    url: opts.ldap,
    base: opts.base,
    timeoutSeconds: positiveInt(opts.ldapTimeout, '--ldap-timeout'),
    ...(opts.bindDn ? { bindDn: opts.bindDn } : {}),
    ...(password !== undefined ? { bindPassword: password } : {}),
    ...(opts.filter ? { filter: opts.filter } : {}),
    ...(opts.caFile ? { caFile: opts.caFile } : {}),
    ...(opts.insecureSkipTlsVerify ? { insecureSkipVerify: true } : {}),
  };
}

function validate(opts: AuditCliOptions): void {
  if (!opts.shadow && !opts.ldap && opts.htpasswd.length === 0) throw new UserError('nothing to audit: give --shadow FILE, --ldap URL or --htpasswd FILE');
  if (opts.passwd && !opts.shadow) throw new UserError('--passwd needs --shadow');
  if (opts.resume && !opts.checkpoint) throw new UserError('--resume needs --checkpoint FILE');
  if (opts.apply && !opts.expire && opts.notify === undefined) throw new UserError('--apply only goes with --expire or --notify');
  if (opts.checkpointKeyDir && !opts.checkpoint) throw new UserError('--checkpoint-key-dir needs --checkpoint FILE');
  if (opts.shareKey && !opts.shard) throw new UserError('--share-key needs --shard K/N (one run finds shared passwords without a key)');
}

/** Every file the run reads: no output may replace one of them. */
function inputsOf(opts: AuditCliOptions, breachPath: string | undefined): Array<string | undefined> {
  const passwd = opts.passwd ?? (opts.shadow === '/etc/shadow' ? '/etc/passwd' : undefined);
  const config = opts.judge ? opts.config ?? (process.env.PWGUARD_CONFIG || DEFAULT_CONFIG) : undefined;
  return [opts.shadow, passwd, ...opts.htpasswd, ...opts.wordlist, ...opts.rules, opts.bindPasswordFile, opts.caFile, opts.shareKey, config, opts.breachStore ?? breachPath];
}

/** Before any work: a bad --output or --checkpoint path must not cost a long run. */
function checkOutputs(opts: AuditCliOptions, inputs: Array<string | undefined>): void {
  if (opts.output) checkOutputPath(opts.output, { inputs: [...inputs, opts.checkpoint], what: 'report' });
  if (opts.checkpoint) checkOutputPath(opts.checkpoint, { inputs: [...inputs, opts.output], what: 'checkpoint' });
}

/**
 * The policy as `pwguard check` applies it. When the breach lookup fails (a damaged store), the
 * password is judged by every other rule and the judgement says the breach check could not run:
 * the account gets a breach_unchecked finding and the run exits 2 (fail closed, never "ok").
 */
async function judgeFrom(opts: AuditCliOptions): Promise<{ judge?: Judge; breachPath?: string; orgWords?: readonly string[] }> {
  if (!opts.judge) return {};
  const { checker, loaded } = await loadChecker({ config: opts.config });
  let withoutBreach: Checker | undefined;
  const judge: Judge = async (password, context) => {
    try {
      return await checker.check(password, context);
    } catch (err) {
      if (!(err instanceof CheckError)) throw err;
      withoutBreach ??= checkerFor({ ...loaded.policy, breach_check: false }).checker;
      return { ...(await withoutBreach.check(password, context)), breachUnchecked: err.message };
    }
  };
  const storePath = (loaded.policy as { breach_store?: string }).breach_store;
  return { judge, orgWords: loaded.policy.org_words, ...(storePath ? { breachPath: storePath } : {}) };
}

export async function runAudit(opts: AuditCliOptions): Promise<number> {
  validate(opts);
  const shard = opts.shard === undefined ? undefined : parseShard(opts.shard);
  if (opts.shard !== undefined && !shard) throw new UserError(`--shard ${opts.shard}: expected K/N with 1 <= K <= N, e.g. 1/4`);
  const budgetMs = opts.budget === undefined ? undefined : parseDuration(opts.budget);
  if (opts.budget !== undefined && (budgetMs === undefined || budgetMs <= 0)) throw new UserError(`--budget ${opts.budget}: expected a duration like 90s, 30m, 2h or 1h30m`);
  const jobs = opts.jobs === undefined ? defaultJobs() : jobsOption(opts.jobs);
  const maxGuesses = positiveInt(opts.maxGuesses, '--max-guesses');
  const ldap = ldapOptions(opts);
  let shareKey;
  try {
    shareKey = opts.shareKey ? readShareKey(opts.shareKey) : undefined;
  } catch (err) {
    if (err instanceof ShareKeyError) throw new UserError(err.message);
    throw err;
  }
  const notify = prepareNotify(opts);
  const format: ReportFormat = opts.format ?? (process.stdout.isTTY && !opts.output ? 'table' : 'json');
  const { judge, breachPath, orgWords } = await judgeFrom(opts);
  const inputs = inputsOf(opts, breachPath);
  if (!opts.plan) checkOutputs(opts, inputs);
  const breach: BreachSource | undefined = openAuditBreachStore(opts.breachStore ?? breachPath, opts.breachStore !== undefined);
  try {
    const { raw, problems } = await loadSources({ ...(opts.shadow ? { shadow: opts.shadow } : {}), ...(opts.passwd ? { passwd: opts.passwd } : {}), htpasswd: opts.htpasswd, ...(ldap ? { ldap } : {}) });
    const accounts = mergeAccounts(raw);
    const rules = await readRuleFiles(opts.rules, problems, opts.rulesDialect);
    const controller = new AbortController();
    // The first signal stops the run cleanly; a second one (of either kind) ends it at once.
    const onSigint = (): void => {
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigint);
      controller.abort();
    };
    process.on('SIGINT', onSigint);
    process.on('SIGTERM', onSigint);
    const progress = opts.progress && process.stderr.isTTY ? progressReporter(process.stderr) : undefined;
    const options: AuditOptions = {
      jobs, maxGuesses, wordlists: opts.wordlist, common: opts.common, showPasswords: opts.showPasswords === true,
      ...(rules ? { rules } : {}),
      ...(orgWords && orgWords.length > 0 ? { orgWords } : {}),
      signal: controller.signal,
      ...(budgetMs !== undefined ? { budgetMs } : {}),
      ...(judge ? { judge } : {}),
      ...(breach ? { breach } : {}),
      ...(shard ? { shard } : {}),
      ...(shareKey ? { shareKey } : {}),
      ...(opts.checkpoint ? {
        checkpoint: {
          path: opts.checkpoint, resume: opts.resume === true, inputs: [...inputs, opts.output],
          ...(opts.checkpointKeyDir ? { keyDir: opts.checkpointKeyDir } : {}),
        },
      } : {}),
      ...(progress ? { onProgress: progress.update } : {}),
    };
    if (opts.plan) return await printPlan(accounts, problems, options, jobs, budgetMs);
    let report: AuditReport;
    try {
      report = await auditAccounts(accounts, problems, options);
    } finally {
      progress?.done();
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigint);
    }
    emit(formatReport(report, format), opts.output, [...inputs, opts.checkpoint]);
    const crypt = cryptSupport();
    if (!crypt.ok && (report.summary.findings.not_checked ?? 0) > 0) {
      // Once, not per account: what to install (the report's findings name each scheme).
      process.stderr.write(`pwguard: warning: ${report.summary.findings.not_checked} account(s) not checked: ${crypt.reason}\n`);
    }
    if (report.summary.stopReason === 'interrupted') {
      process.stderr.write(`pwguard: interrupted${opts.checkpoint ? `; continue with --checkpoint ${opts.checkpoint} --resume` : ''}\n`);
      return EXIT.error;
    }
    if (opts.expire) await expire(report, opts.apply === true, ldap);
    if (notify && (await runNotify(notify, report, accounts, opts.apply === true)) > 0) return EXIT.error;
    const unchecked = report.summary.findings.breach_unchecked ?? 0;
    if (unchecked > 0) {
      process.stderr.write(`pwguard: warning: the breach check could not run for ${unchecked} account(s); they were judged without it (finding breach_unchecked)\n`);
      return EXIT.error;
    }
    if (report.status === 'unusable_input') process.stderr.write(`pwguard: no account could be read from the sources (${report.summary.problems} input problem(s)): nothing was audited\n`);
    return AUDIT_STATUS[report.status].exit;
  } catch (err) {
    if (err instanceof SourceError || err instanceof CheckpointError || err instanceof MergeError) throw new UserError(err.message);
    throw err;
  } finally {
    await breach?.close?.();
  }
}

async function printPlan(accounts: Parameters<typeof prepareAudit>[0], problems: Parameters<typeof prepareAudit>[1], options: AuditOptions, jobs: number, budgetMs?: number): Promise<number> {
  const prep = await prepareAudit(accounts, problems, options);
  try {
    const plan = await makePlan(prep, jobs);
    process.stdout.write(`${prep.accounts.length} account(s), ${prep.targets.length} distinct stored password(s), ${prep.unchecked.length} not checkable\n`);
    process.stdout.write(formatPlan(plan, budgetMs));
    return EXIT.ok;
  } finally {
    await prep.backend.close();
  }
}

function emit(text: string, output: string | undefined, inputs: Array<string | undefined>): void {
  if (output) writePrivateFile(output, text, inputs);
  else process.stdout.write(text);
}

async function expire(report: AuditReport, apply: boolean, ldap?: LdapSourceOptions): Promise<void> {
  const actions = planExpire(report);
  if (actions.length === 0) {
    process.stderr.write('expire: no weak account to expire\n');
    return;
  }
  if (!apply) {
    process.stderr.write(`expire (dry run; add --apply to do it):\n${actions.map((a) => `  would: ${printable(a.description)}`).join('\n')}\n`);
    return;
  }
  for (const r of await applyExpire(actions, ldap)) {
    process.stderr.write(`${printable(`expire: ${r.ok ? 'done' : 'FAILED'}: ${r.description}${r.message ? ` (${r.message})` : ''}`)}\n`);
  }
}
