// pwguard ldap install / ldap doctor: put pwguard_ppolicy.so into a running slapd's ppolicy
// overlay (cn=config over ldapi:/// with SASL EXTERNAL) and check that it is there and works.
// The LDIF and the checks are @pwguard/pam's (ldap.ts); this file runs the OpenLDAP tools.
// ldapts (the project's LDAP client) connects only to host:port, not to the ldapi Unix socket that
// SASL EXTERNAL needs for cn=config, so the tools of ldap-utils do the talking.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { Command, Option } from 'commander';
import {
  builtLdapModuleFile, configChecks, configLdif, INSTALL_PATHS, LDAP_MODULE_PATH, moduleArgWords, parseLdif, pickDatabase,
  policyLdif, slapdApiOf, SLAPD_APIS, type LdapCheck, type LdifEntry, type SlapdApi,
} from '@pwguard/pam';
import { EXIT, UserError } from '../errors.js';
import { packagedInstall } from '../packaged.js';

const LDAPSEARCH = '/usr/bin/ldapsearch';
const LDAPMODIFY = '/usr/bin/ldapmodify';
const SLAPD = '/usr/sbin/slapd';
const STRONG_SAMPLE = 'pwguard self-test: Vq7#unlikely-Rivet-Oboe-42';
const WEAK_SAMPLE = 'password';

interface Common {
  ldapi: string;
  suffix?: string;
  slapdApi?: SlapdApi;
  adminDn?: string;
  adminPasswordFile?: string;
}

interface InstallOptions extends Common {
  apply?: boolean;
  module?: string;
  hook?: string;
  timeout: string;
  onError: 'reject' | 'accept';
  policyDn?: string;
}

interface DoctorOptions extends Common {
  format: 'text' | 'json';
  hookRun: boolean;
}

export function registerLdap(program: Command): void {
  const ldap = program.command('ldap').description('Install and check pwguard_ppolicy.so in OpenLDAP\'s ppolicy overlay (slapd 2.5, 2.6).');
  const common = (c: Command): Command => c
    .option('-H, --ldapi <url>', 'slapd\'s ldapi socket (cn=config is read and changed with SASL EXTERNAL)', 'ldapi:///')
    .addOption(new Option('--suffix <dn>', 'the database whose password changes are judged').default(undefined, 'the only one'))
    .addOption(new Option('--slapd-api <version>', 'slapd\'s module interface').choices([...SLAPD_APIS]).default(undefined, 'from `slapd -VV`'))
    .option('--admin-dn <dn>', 'read and write the policy entry as this DN (simple bind over the ldapi socket) instead of EXTERNAL')
    .option('--admin-password-file <file>', 'the password of --admin-dn (the first line)');
  common(ldap.command('install')
    .description('Print the cn=config and policy-entry LDIF that make slapd judge password changes with pwguard; --apply applies it (root).'))
    .option('--apply', 'apply it: copy the built module to --module (when missing or different), self-test the hook, then ldapmodify over ldapi:///')
    .addOption(new Option('--module <path>', 'where slapd loads pwguard_ppolicy.so from').default(undefined, `the Debian package's for this slapd, else ${LDAP_MODULE_PATH}`))
    .addOption(new Option('--hook <path>', 'the judge the module runs (hook= in pwdCheckModuleArg)').default(undefined, `the Debian package's, else ${INSTALL_PATHS.hook}`))
    .option('--timeout <seconds>', 'seconds the hook may take (1-300)', '10')
    .addOption(new Option('--on-error <what>', 'when the hook gives no verdict').choices(['reject', 'accept']).default('reject'))
    .addOption(new Option('--policy-dn <dn>', 'the policy entry').default(undefined, 'cn=pwguard,ou=policies,SUFFIX'))
    .addHelpText('after', `
Reads cn=config through --ldapi with SASL EXTERNAL (root, or a peer credential cn=config lets
manage) and prints only what is missing, in two parts: cn=config (ldapmodify -Y EXTERNAL -H ldapi:///)
and the policy entry (ldapmodify as the directory's administrator). With --apply both are applied
(cn=config first: the ppolicy schema comes with the overlay), the module is copied to --module from
the Debian package's or a checkout's build for this slapd when it is missing there or differs (the
npm packages do not have it), and the hook must accept a
strong password and give a reason for a weak one before anything is changed.
slapd 2.5: the policy names the module (pwdCheckModule); 2.6: the overlay does
(olcPPolicyCheckModule) and the policy says pwdUseCheckModule: TRUE.
Exit status: 0 done (or nothing to do), 2 error. See docs/avenues.md.`)
    .action(async (opts: InstallOptions) => {
      process.exitCode = await ldapInstall(opts);
    });
  common(ldap.command('doctor')
    .description('Check that slapd runs pwguard_ppolicy.so: module loaded, overlay, default policy, policy entry, module file, hook.'))
    .option('--no-hook-run', 'do not run the hook with a sample strong and weak password')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText('after', `
Exit status: 0 no errors (warnings allowed), 1 something is missing or broken, 2 usage error.
JSON: {"ok": bool, "slapd": "2.5.13"|null, "api": "2.5"|"2.6", "checks": [{"name": "slapd"|"module-load"|"overlay"|
"default-policy"|"policy"|"module-file"|"hook", "status": "ok"|"warning"|"error", "message", "fix"?}]}`)
    .action(async (opts: DoctorOptions) => {
      process.exitCode = await ldapDoctor(opts);
    });
}

function slapdApi(given: SlapdApi | undefined): { api: SlapdApi; version: string | null } {
  if (given) return { api: given, version: null };
  const res = spawnSync(SLAPD, ['-VV'], { encoding: 'utf8' });
  const found = slapdApiOf(`${res.stdout ?? ''}${res.stderr ?? ''}`);
  if (!found) throw new UserError(`cannot tell slapd's version from \`${SLAPD} -VV\` (${res.error ? String(res.error.message) : 'no "slapd 2.N" in its output'}): pass --slapd-api 2.5|2.6`);
  return found;
}

/** ldapsearch with SASL EXTERNAL (or the admin's simple bind), as LDIF entries; [] for No such object. */
function search(opts: Common, base: string, scope: 'base' | 'sub', admin: boolean): LdifEntry[] {
  const res = spawnSync(LDAPSEARCH, ['-LLL', '-o', 'ldif-wrap=no', ...auth(opts, admin), '-H', opts.ldapi, '-b', base, '-s', scope], { encoding: 'utf8', timeout: 30_000 });
  if (res.status === 32) return [];
  if (res.status !== 0) throw new UserError(`${LDAPSEARCH} -H ${opts.ldapi} -b ${base}: ${firstLine(res.stderr || String(res.error?.message ?? `status ${res.status}`))}`);
  return parseLdif(res.stdout);
}

function auth(opts: Common, admin: boolean): string[] {
  if (admin && opts.adminDn) {
    if (!opts.adminPasswordFile) throw new UserError('--admin-dn needs --admin-password-file (a password never goes on the command line)');
    return ['-x', '-D', opts.adminDn, '-y', passwordFile(opts.adminPasswordFile)];
  }
  return ['-Q', '-Y', 'EXTERNAL'];
}

/**
 * The ldap tools' -y sends the whole file, a trailing newline included: hand them a 0600 copy of
 * the first line, in a private temp dir removed at exit.
 */
let scratch: string | null = null;
function passwordFile(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UserError(`--admin-password-file ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  if (!text.includes('\n')) return path;
  if (!scratch) {
    const dir = mkdtempSync(join(tmpdir(), 'pwguard-ldap-'));
    scratch = dir;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  const f = join(scratch, 'admin.pw');
  writeFileSync(f, text.split('\n')[0] ?? '', { mode: 0o600 });
  return f;
}

function modify(opts: Common, ldif: string, admin: boolean, what: string): void {
  const res = spawnSync(LDAPMODIFY, [...auth(opts, admin), '-H', opts.ldapi], { input: ldif, encoding: 'utf8', timeout: 60_000 });
  if (res.status !== 0) throw new UserError(`${what}: ldapmodify failed (status ${res.status ?? res.signal}): ${(res.stderr || res.stdout).trim().split('\n').slice(-2).join(' / ')}`);
}

function readState(opts: Common, api: SlapdApi, policyDnGiven?: string) {
  const config = search(opts, 'cn=config', 'sub', false);
  if (config.length === 0) throw new UserError(`cn=config is empty or not readable through ${opts.ldapi} with SASL EXTERNAL (run as root, or as a peer cn=config lets manage)`);
  const db = pickDatabase(config, opts.suffix);
  if ('error' in db) throw new UserError(db.error);
  const overlayPolicy = configChecks(api, config, db.dn, undefined).policyDn;
  const policyDn = policyDnGiven ?? overlayPolicy ?? `cn=pwguard,ou=policies,${db.suffix}`;
  const policy = search(opts, policyDn, 'base', true)[0];
  return { config, db, policyDn, policy };
}

/** The hook slapd's module runs by default: the Debian package's, else `pwguard pam install`'s. */
function defaultHook(): string {
  return packagedInstall()?.hook ?? INSTALL_PATHS.hook;
}

/** Where slapd loads the module from by default: the Debian package's build for this slapd, else LDAP_MODULE_PATH. */
function defaultModule(api: SlapdApi): string {
  return packagedInstall()?.ldapModules?.[api] ?? LDAP_MODULE_PATH;
}

export async function ldapInstall(given: InstallOptions): Promise<number> {
  const { api, version } = slapdApi(given.slapdApi);
  const opts = { ...given, module: given.module ?? defaultModule(api), hook: given.hook ?? defaultHook() };
  if (!isAbsolute(opts.module)) throw new UserError(`--module ${opts.module}: must be an absolute path (slapd loads it)`);
  if (!isAbsolute(opts.hook) || /\s/.test(opts.hook)) throw new UserError(`--hook ${opts.hook}: must be an absolute path without spaces`);
  const timeout = Number(opts.timeout);
  if (!/^\d+$/.test(opts.timeout) || timeout < 1 || timeout > 300) throw new UserError(`--timeout ${opts.timeout}: expected seconds from 1 to 300`);
  const { config, db, policyDn, policy } = readState(opts, api, opts.policyDn);
  const moduleArg = [`hook=${opts.hook}`, `timeout=${timeout}`, ...(opts.onError === 'accept' ? ['on_error=accept'] : [])].join(' ');
  const plan = { api, suffix: db.suffix, policyDn, module: opts.module, moduleArg };
  const cfg = configLdif(plan, config, db.dn);
  const parent = policyDn.slice(policyDn.indexOf(',') + 1);
  const pol = policyLdif(plan, policy, policy !== undefined || search(opts, parent, 'base', true).length > 0);
  if (typeof pol !== 'string') throw new UserError(pol.error);
  say(`# slapd ${version ?? api} (module interface ${api}), database ${db.dn} (${db.suffix}), policy ${policyDn}`);
  say(`# module ${opts.module}, options: ${moduleArg}`);
  say(cfg ? `# cn=config: ldapmodify -Y EXTERNAL -H ${opts.ldapi}\n${cfg}` : '# cn=config: nothing to change');
  say(pol ? `# policy entry: ldapmodify as the directory's administrator\n${pol}` : '# policy entry: nothing to change');
  if (!opts.apply) {
    say('# not applied: `pwguard ldap install --apply` applies it (root)');
    return EXIT.ok;
  }
  installModule(api, opts.module);
  hookSelfTest(opts.hook, timeout);
  say(`# self-test: ${opts.hook} accepts a strong password and gives a reason for a weak one`);
  if (cfg) modify(opts, cfg, false, 'cn=config');
  if (pol) modify(opts, pol, true, `policy entry ${policyDn}`);
  const after = readState(opts, api, policyDn);
  const bad = configChecks(api, after.config, after.db.dn, after.policy).checks.filter((c) => c.status === 'error');
  if (bad.length > 0) throw new UserError(`applied, but ${bad.map((c) => `${c.name}: ${c.message}`).join('; ')}`);
  say(`# applied: password changes under ${db.suffix} now go through ${opts.module} (\`pwguard ldap doctor\` checks it)`);
  return EXIT.ok;
}

/** The checkout's build for this slapd (build.sh makes both) copied to `dest` unless it is already there. */
function installModule(api: SlapdApi, dest: string): void {
  if (packagedInstall()?.ldapModules?.[api] === dest && existsSync(dest)) {
    say(`# module: ${dest} (installed by the ${packagedInstall()?.package} package)`);
    return;
  }
  // The Debian package's own build when it is installed; else this checkout's.
  const src = packagedInstall()?.ldapModules?.[api] ?? builtLdapModuleFile(api);
  if (existsSync(dest) && (!existsSync(src) || readFileSync(dest).equals(readFileSync(src)))) {
    say(`# module: ${dest} ${existsSync(src) ? 'is the current build' : 'kept (no built module to compare)'}`);
    return;
  }
  if (!existsSync(src)) throw new UserError(`${src} is not built (a checkout builds it with a C compiler; the Debian package installs it; the npm packages do not have it): nothing was changed`);
  try {
    mkdirSync(dirname(dest), { recursive: true, mode: 0o755 });
    copyFileSync(src, `${dest}.new`);
    chmodSync(`${dest}.new`, 0o644);
    renameSync(`${dest}.new`, dest);
  } catch (err) {
    throw new UserError(`cannot install the module as ${dest}: ${(err as NodeJS.ErrnoException).code ?? String(err)} (run as root); slapd's configuration was not changed`);
  }
  say(`# module: copied ${src} to ${dest} (0644)`);
}

/** Run the hook as the module does (clean environment, the LDAP avenue); null when it judges. */
function runHook(hook: string, timeoutS: number): string | null {
  const run = (pw: string) => spawnSync(hook, [], {
    input: pw, encoding: 'utf8', timeout: timeoutS * 1000 + 5000, env: { PAM_TYPE: 'password', PAM_USER: 'pwguard-doctor', PWGUARD_AVENUE: 'ldap' },
  });
  const strong = run(STRONG_SAMPLE);
  if (strong.status !== 0) return `refused a strong sample password (${strong.error ? strong.error.message : `status ${strong.status ?? strong.signal}`}: ${firstLine(strong.stdout || strong.stderr)})`;
  const weak = run(WEAK_SAMPLE);
  if (weak.status !== 1 || weak.stdout.trim() === '') return `did not refuse "${WEAK_SAMPLE}" with a reason (status ${weak.status ?? weak.signal})`;
  return null;
}

function hookSelfTest(hook: string, timeoutS: number): void {
  const problem = runHook(hook, timeoutS);
  if (problem) throw new UserError(`self-test failed: ${hook} ${problem}; nothing was changed`);
}

export async function ldapDoctor(opts: DoctorOptions): Promise<number> {
  const checks: LdapCheck[] = [];
  let version: string | null = null;
  let api: SlapdApi = opts.slapdApi ?? '2.5';
  try {
    ({ api, version } = slapdApi(opts.slapdApi));
    const state = readState(opts, api);
    checks.push({ name: 'slapd', status: 'ok', message: `slapd ${version ?? api}: cn=config readable through ${opts.ldapi}; database ${state.db.dn} (${state.db.suffix})` });
    const found = configChecks(api, state.config, state.db.dn, state.policy);
    checks.push(...found.checks);
    if (found.module) checks.push(moduleFileCheck(found.module));
    const words = moduleArgWords(found.moduleArg ?? '');
    const hook = words.get('hook') || defaultHook();
    if (opts.hookRun) {
      const problem = existsSync(hook) ? runHook(hook, Number(words.get('timeout')) || 10) : `does not exist`;
      checks.push(problem
        ? { name: 'hook', status: 'error', message: `${hook} ${problem}`, fix: `install it (pwguard pam install) or set hook= in pwdCheckModuleArg; try: echo -n password | env -i PAM_TYPE=password PAM_USER=x PWGUARD_AVENUE=ldap ${hook}` }
        : { name: 'hook', status: 'ok', message: `${hook} accepts a strong password and gives a reason for a weak one (run as uid ${process.getuid?.() ?? '?'}; slapd runs it as its own user)` });
    }
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    checks.push({ name: 'slapd', status: 'error', message: err.message, fix: 'start slapd with an ldapi:// listener (Debian: SLAPD_SERVICES in /etc/default/slapd) and run as root' });
  }
  const ok = !checks.some((c) => c.status === 'error');
  if (opts.format === 'json') {
    process.stdout.write(`${JSON.stringify({ ok, slapd: version, api, checks })}\n`);
  } else {
    for (const c of checks) {
      process.stdout.write(`${c.status.padEnd(7)} ${c.name}: ${c.message}\n`);
      if (c.fix && c.status !== 'ok') process.stdout.write(`        fix: ${c.fix}\n`);
    }
  }
  return ok ? EXIT.ok : EXIT.findings;
}

function moduleFileCheck(path: string): LdapCheck {
  let st;
  try {
    st = statSync(path);
  } catch (err) {
    return { name: 'module-file', status: 'error', message: `${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}: slapd cannot load it and refuses every change`, fix: 'pwguard ldap install --apply (copies the build), or fix the path' };
  }
  if (!st.isFile()) return { name: 'module-file', status: 'error', message: `${path} is not a regular file` };
  if (st.uid !== 0 || (st.mode & 0o022) !== 0) {
    return { name: 'module-file', status: 'error', message: `${path} is ${st.uid !== 0 ? 'not owned by root' : 'writable by group or others'}: whoever can write it runs code inside slapd`, fix: `chown root:root ${path} && chmod 0644 ${path}` };
  }
  return { name: 'module-file', status: 'ok', message: `${path} (owner root, mode ${(st.mode & 0o777).toString(8)})` };
}

function firstLine(s: string): string {
  return s.trim().split('\n')[0] ?? '';
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}
