// pwguard pam install / uninstall: files, backups, pam-auth-update, and a roll-back when the
// resulting stack would not work. Never leaves a stack that locks users out.
import { spawnSync } from 'node:child_process';
import {
  chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import {
  checkPasswordStack, checkoutBundleDir, packageHookFile, chooseMethod, passwordAuthtokSupported, CLIENT_BUNDLE, DEFAULT_SOCKET, defaultConfigText, findCheckLine, findSecurityDirs,
  HOOK_BUNDLE, hookLauncher, INSTALL_PATHS, MODULE_FILE, pamConfigProfile, parseProfile, parseStack, PROFILE_NAME, resolveStack,
  systemdUnits, SYSTEMD_DIR, CHECKER_SOCKET_UNIT, type PamMethod, type PamMethodChoice,
} from '@pwguard/pam';
import { RANKED_FILE } from '@pwguard/runtime';
import { EXIT, UserError } from '../errors.js';
import { pamVersion } from './pam-doctor.js';
import { builtModule, installModule, moduleSelfTest, moduleSource, securityDir, systemFs } from './pam-install-module.js';
import { packagedInstall, type PackagedInstall } from '../packaged.js';

export interface InstallOptions {
  apply?: boolean;
  loginCheck?: boolean;
  printHookPath?: boolean;
  prefix: string;
  method: PamMethodChoice;
  /** Where PAM modules live; default: the directory holding pam_unix.so. */
  securityDir?: string;
}

export interface UninstallOptions {
  purge?: boolean;
  prefix: string;
  securityDir?: string;
}

const PAM_DIR = '/etc/pam.d';
const BACKUP_DIR = '/var/backups/pwguard';
const PAM_AUTH_UPDATE = '/usr/sbin/pam-auth-update';
const STRONG_SAMPLE = 'pwguard self-test: Vq7#unlikely-Rivet-Oboe-42';
const WEAK_SAMPLE = 'password';

function pathsFor(prefix: string) {
  const p = prefix.replace(/\/+$/, '') || '/usr/local';
  // The hook path becomes a word of a PAM stack line (pam_exec's program, the module's hook=).
  if (!p.startsWith('/') || /\s/.test(p)) throw new UserError(`--prefix ${JSON.stringify(prefix)}: must be an absolute path without spaces`);
  return { hook: `${p}/sbin/pwguard-pam-hook`, libDir: `${p}/lib/pwguard` };
}

function requireRoot(what: string): void {
  if (process.getuid?.() !== 0) throw new UserError(`pam ${what} must run as root (it writes ${INSTALL_PATHS.hook} and /etc)`);
}

export async function installPam(opts: InstallOptions): Promise<number> {
  const packaged = packagedInstall();
  if (packaged) return installPackaged(opts, packaged);
  const { hook, libDir } = pathsFor(opts.prefix);
  if (opts.printHookPath) {
    process.stdout.write(`installed: ${hook}\ncheckout: ${packageHookFile()}\n`);
    return EXIT.ok;
  }
  requireRoot('install');
  const src = checkoutBundleDir();
  if (![HOOK_BUNDLE, CLIENT_BUNDLE, RANKED_FILE].every((f) => existsSync(join(src, f)))) {
    throw new UserError(`the bundled hook is missing in ${src}: this @pwguard/pam is incomplete (a checkout makes it with build:native; the npm package ships it): reinstall pwguard`);
  }
  const version = pamVersion();
  const built = existsSync(builtModule());
  const installed = installedModule(opts.securityDir);
  const method = chooseMethod(opts.method, version.supported, built || installed !== null);
  say(`method: ${methodReason(method, opts.method, version.version, built ? 'built' : installed)}`);
  // Everything that can stop the install is checked before the first file is written.
  let modDir: string | null = null;
  if (method === 'module') {
    if (!built && installed === null) moduleSource(opts.method, version.version);
    modDir = securityDir(opts.securityDir);
  }
  installFiles(src, libDir, hook);
  say(`hook: ${hook} -> ${libDir}/${HOOK_BUNDLE} (node ${process.execPath})`);
  if (!existsSync(INSTALL_PATHS.config)) {
    mkdirSync(dirname(INSTALL_PATHS.config), { recursive: true });
    writeFileSync(INSTALL_PATHS.config, defaultConfigText(), { mode: 0o644 });
    say(`config: wrote ${INSTALL_PATHS.config} (defaults, commented)`);
  } else {
    say(`config: kept ${INSTALL_PATHS.config}`);
  }
  selfTest(hook);
  say('self-test: the hook accepts a strong password and gives reasons for a weak one');
  if (modDir) {
    if (built) {
      installModule(builtModule(), modDir);
      say(`module: ${join(modDir, MODULE_FILE)} (0644 root)`);
    } else {
      say(`module: kept ${join(modDir, MODULE_FILE)} (no built module to copy)`);
    }
    say(moduleSelfTest(join(modDir, MODULE_FILE), hook, STRONG_SAMPLE));
  }

  installUnits(hook, opts.apply === true);
  if (method === 'exec' && version.supported === false) {
    say(`warning: Linux-PAM ${version.version} (< 1.6.0) gives pam_exec no password in the password stack:`);
    say('  the hook will refuse every change with a message saying so (on_error = reject). Use --method module');
    say('  (or auto), --login-check, or upgrade Linux-PAM; see docs/pam.md.');
  }
  if (!existsSync(PAM_AUTH_UPDATE)) {
    say('no pam-auth-update here (not Debian/Ubuntu): add the lines from docs/pam.md (authselect or by hand).');
    return EXIT.ok;
  }
  const profile = pamConfigProfile(hook, opts.loginCheck === true, method);
  const fields = parseProfile(profile);
  if (!fields.get('Password')?.includes(method === 'module' ? MODULE_FILE : hook)) throw new UserError('internal: generated pam-auth-update profile has no Password line');
  writeFileSync(INSTALL_PATHS.profile, profile, { mode: 0o644 });
  say(`profile: ${INSTALL_PATHS.profile}`);
  if (!opts.apply) {
    say(`not applied: run \`pwguard pam install --apply\` or \`pam-auth-update --enable ${PROFILE_NAME}\` to enable it`);
    return EXIT.ok;
  }
  applyProfile(hook, method);
  return EXIT.ok;
}

function methodReason(method: PamMethod, choice: PamMethodChoice, version: string | null, module: 'built' | string | null): string {
  const what = method === 'module' ? `${MODULE_FILE} (the module asks for the password and runs the hook)` : 'pam_exec (expose_authtok)';
  if (choice !== 'auto') return `${what}, as chosen`;
  const pam = version === null ? 'Linux-PAM version unknown' : `Linux-PAM ${version}`;
  if (method === 'module') {
    const where = module === 'built' ? 'built' : module === null ? 'not built' : `installed (${module})`;
    return `${what}: ${where}; it asks again after a refusal (pam_exec ends the change with "System error")${version !== null && passwordAuthtokSupported(version) === false ? `, and ${pam} is older than 1.6.0 (pam_exec would get no password)` : ''}`;
  }
  return `${what}: ${MODULE_FILE} is not built and ${pam} passes the new password to pam_exec; a refusal ends the change with "System error" (build the module, libpam0g-dev, for a re-prompt)`;
}

/** pam_pwguard.so already in the security directory, or null. */
function installedModule(given: string | undefined): string | null {
  try {
    const path = join(securityDir(given), MODULE_FILE);
    return existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

function installFiles(src: string, libDir: string, hook: string): void {
  // Build the new lib dir beside the old one and swap, so a running hook never sees half a copy.
  const next = `${libDir}.new`;
  rmSync(next, { recursive: true, force: true });
  mkdirSync(next, { recursive: true, mode: 0o755 });
  for (const f of readdirSync(src)) {
    if (f.endsWith('.mjs') || f.endsWith('.cjs') || f.endsWith('.pwg') || f === RANKED_FILE) {
      copyFileSync(join(src, f), join(next, f));
      chmodSync(join(next, f), 0o644);
    }
  }
  chmodSync(next, 0o755);
  rmSync(libDir, { recursive: true, force: true });
  renameSync(next, libDir);
  mkdirSync(dirname(hook), { recursive: true });
  writeFileSync(`${hook}.new`, hookLauncher(process.execPath, libDir, undefined, DEFAULT_SOCKET), { mode: 0o755 });
  chmodSync(`${hook}.new`, 0o755);
  renameSync(`${hook}.new`, hook);
}

/** Run the installed hook as pam_exec would (empty environment but the PAM variables). */
function selfTest(hook: string): void {
  const run = (password: string) => spawnSync(hook, [], {
    input: password, encoding: 'utf8', timeout: 30_000, env: { PAM_TYPE: 'password', PAM_USER: 'root', PAM_SERVICE: 'pwguard-selftest' },
  });
  const strong = run(STRONG_SAMPLE);
  if (strong.status !== 0) {
    throw new UserError(`self-test failed: the installed hook refused a strong password (status ${strong.status ?? strong.signal}): ${firstLine(strong.stdout || strong.stderr || String(strong.error))}; the PAM stack was not changed`);
  }
  const weak = run(WEAK_SAMPLE);
  if (weak.stdout.trim() === '') throw new UserError('self-test failed: the installed hook gave no reason for a weak password; the PAM stack was not changed');
}

function applyProfile(hook: string, method: PamMethod): void {
  const backup = backupPamDir();
  say(`backup: ${backup}`);
  const res = spawnSync(PAM_AUTH_UPDATE, ['--package', '--enable', PROFILE_NAME], { encoding: 'utf8', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (res.status !== 0) {
    restorePamDir(backup);
    throw new UserError(`pam-auth-update failed (status ${res.status}): ${firstLine(res.stderr)}; /etc/pam.d restored from ${backup}`);
  }
  const read = (name: string) => readOrNull(join(PAM_DIR, name));
  const lines = resolveStack('passwd', 'password', read);
  const errors = checkPasswordStack(lines, hook).filter((p) => p.severity === 'error');
  const found = findCheckLine(lines, hook);
  if (errors.length === 0 && found?.kind !== method) {
    errors.push({ severity: 'error', message: `the passwd stack runs ${found?.kind === 'module' ? MODULE_FILE : 'pam_exec'} first, not the ${method === 'module' ? MODULE_FILE : 'pam_exec'} line just enabled`, fix: '' });
  }
  if (errors.length > 0) {
    restorePamDir(backup);
    throw new UserError(`the resulting stack would not work (${errors[0]?.message}); /etc/pam.d restored from ${backup}`);
  }
  say(`applied: the password stack now runs ${method === 'module' ? MODULE_FILE : 'the hook'} (\`pwguard pam doctor\` checks it)`);
}

/** With systemd: the socket-activated resident checker (enabled only with --apply). */
function installUnits(hook: string, apply: boolean): void {
  if (!existsSync('/run/systemd/system')) {
    say('resident checker: no systemd here; run `pwguard pam-daemon` under your service manager for faster checks (optional)');
    return;
  }
  for (const [name, text] of Object.entries(systemdUnits(hook, DEFAULT_SOCKET))) writeFileSync(join(SYSTEMD_DIR, name), text, { mode: 0o644 });
  // A checker already running still has the old files loaded (and the old request format, e.g.
  // without the old password): restart it if it runs; a stopped one starts on the next change.
  spawnSync('systemctl', ['daemon-reload'], { stdio: 'ignore' });
  spawnSync('systemctl', ['try-restart', 'pwguard-checker.service'], { stdio: 'ignore' });
  if (!apply) {
    say(`resident checker: units in ${SYSTEMD_DIR}; \`systemctl enable --now ${CHECKER_SOCKET_UNIT}\` starts it`);
    return;
  }
  const res = spawnSync('systemctl', ['enable', '--now', CHECKER_SOCKET_UNIT], { encoding: 'utf8' });
  say(res.status === 0 ? `resident checker: ${CHECKER_SOCKET_UNIT} enabled` : `warning: could not enable ${CHECKER_SOCKET_UNIT} (${firstLine(res.stderr)}); the hook checks in its own process`);
}

function removeUnits(): void {
  const units = Object.keys(systemdUnits('', ''));
  if (!units.some((u) => existsSync(join(SYSTEMD_DIR, u)))) return;
  if (existsSync('/run/systemd/system')) spawnSync('systemctl', ['disable', '--now', CHECKER_SOCKET_UNIT, 'pwguard-checker.service'], { stdio: 'ignore' });
  for (const u of units) rmSync(join(SYSTEMD_DIR, u), { force: true });
  if (existsSync('/run/systemd/system')) spawnSync('systemctl', ['daemon-reload'], { stdio: 'ignore' });
  say(`removed: the resident checker units`);
}

export async function uninstallPam(opts: UninstallOptions): Promise<number> {
  requireRoot('uninstall');
  const packaged = packagedInstall();
  const { hook, libDir } = packaged ? { hook: packaged.hook, libDir: packaged.libDir } : pathsFor(opts.prefix);
  disableProfile(hook);
  if (packaged) {
    // The files are the package's: dpkg removes them (and its prerm disables the profile first).
    say(`kept: the files of the ${packaged.package} package (\`apt-get remove ${packaged.package}\` removes them)`);
    return EXIT.ok;
  }
  removeUnits();
  const modules = [...new Set([...(opts.securityDir ? [opts.securityDir] : []), ...findSecurityDirs(systemFs)])]
    .map((d) => join(d, MODULE_FILE)).filter((p) => existsSync(p));
  for (const m of modules) rmSync(m, { force: true });
  rmSync(INSTALL_PATHS.profile, { force: true });
  rmSync(hook, { force: true });
  rmSync(libDir, { recursive: true, force: true });
  say(`removed: ${[INSTALL_PATHS.profile, hook, libDir, ...modules].join(', ')}`);
  if (opts.purge) {
    rmSync(INSTALL_PATHS.config, { force: true });
    say(`removed: ${INSTALL_PATHS.config}`);
  } else if (existsSync(INSTALL_PATHS.config)) {
    say(`kept: ${INSTALL_PATHS.config} (--purge removes it)`);
  }
  return EXIT.ok;
}

/** Take the profile out of the stack; refuse when some stack still names the hook or module. */
function disableProfile(hook: string): void {
  if (existsSync(INSTALL_PATHS.profile) && existsSync(PAM_AUTH_UPDATE)) {
    const backup = backupPamDir();
    const res = spawnSync(PAM_AUTH_UPDATE, ['--package', '--remove', PROFILE_NAME], { encoding: 'utf8', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (res.status !== 0) {
      restorePamDir(backup);
      throw new UserError(`pam-auth-update --remove failed (status ${res.status}): ${firstLine(res.stderr)}; nothing removed`);
    }
    say(`stack: profile disabled (backup ${backup})`);
  }
  // The hook and the module go only once no stack names them any more: a stack pointing at a
  // missing hook refuses every change, and one naming a missing module fails every PAM call.
  const stillUsed = readdirSync(PAM_DIR).filter((f) => {
    const lines = parseStack(readOrNull(join(PAM_DIR, f)) ?? '', f);
    return lines.some((l) => l.module.endsWith(MODULE_FILE) || l.args.includes(hook) || l.module === hook);
  });
  if (stillUsed.length > 0) {
    throw new UserError(`${stillUsed.map((f) => join(PAM_DIR, f)).join(', ')} still run ${hook} or ${MODULE_FILE}: remove those lines first (docs/pam.md); nothing removed`);
  }
}

/**
 * The Debian package already installed the hook, the module, the profile, the config and the
 * units (all owned by dpkg): check them, self-test them, and with --apply enable the profile.
 */
function installPackaged(opts: InstallOptions, pkg: PackagedInstall): number {
  if (opts.printHookPath) {
    process.stdout.write(`installed: ${pkg.hook} (package ${pkg.package})\n`);
    return EXIT.ok;
  }
  const owned = `the ${pkg.package} package installed pwguard: its profile ${pkg.profile} runs ${pkg.method === 'module' ? MODULE_FILE : 'pam_exec'} with ${pkg.hook}`;
  if (opts.prefix.replace(/\/+$/, '') !== '/usr/local') throw new UserError(`--prefix: ${owned}; there is nothing to install elsewhere`);
  if (opts.method !== 'auto' && opts.method !== pkg.method) throw new UserError(`--method ${opts.method}: ${owned}; other stacks: add the lines by hand (docs/pam.md)`);
  if (opts.loginCheck) throw new UserError(`--login-check: ${owned} and no login check; add the auth line by hand (docs/pam.md)`);
  if (opts.securityDir) throw new UserError(`--security-dir: ${owned}, in ${dirname(pkg.module)}`);
  requireRoot('install');
  const missing = [pkg.hook, pkg.module, pkg.profile, join(pkg.libDir, HOOK_BUNDLE)].filter((f) => !existsSync(f));
  if (missing.length > 0) throw new UserError(`missing: ${missing.join(', ')} (reinstall the ${pkg.package} package)`);
  say(`packaged: ${owned}`);
  say(existsSync(INSTALL_PATHS.config) ? `config: ${INSTALL_PATHS.config}` : `config: ${INSTALL_PATHS.config} is missing: the built-in defaults apply`);
  selfTest(pkg.hook);
  say('self-test: the hook accepts a strong password and gives reasons for a weak one');
  if (pkg.method === 'module') say(moduleSelfTest(pkg.module, pkg.hook, STRONG_SAMPLE));
  if (!existsSync(PAM_AUTH_UPDATE)) {
    say('no pam-auth-update here: add the lines from docs/pam.md by hand.');
    return EXIT.ok;
  }
  if (!opts.apply) {
    say(`not applied: run \`pwguard pam install --apply\` or \`pam-auth-update --enable ${PROFILE_NAME}\` to enable it`);
    return EXIT.ok;
  }
  if (existsSync('/run/systemd/system')) {
    const res = spawnSync('systemctl', ['enable', '--now', CHECKER_SOCKET_UNIT], { encoding: 'utf8' });
    say(res.status === 0 ? `resident checker: ${CHECKER_SOCKET_UNIT} enabled` : `warning: could not enable ${CHECKER_SOCKET_UNIT} (${firstLine(res.stderr)}); the hook checks in its own process`);
  }
  applyProfile(pkg.hook, pkg.method);
  return EXIT.ok;
}

function backupPamDir(): string {
  const dir = join(BACKUP_DIR, `pam.d-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  mkdirSync(BACKUP_DIR, { recursive: true, mode: 0o700 });
  cpSync(PAM_DIR, dir, { recursive: true, preserveTimestamps: true });
  return dir;
}

function restorePamDir(backup: string): void {
  cpSync(backup, PAM_DIR, { recursive: true, force: true, preserveTimestamps: true });
}

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

function firstLine(s: string): string {
  return s.trim().split('\n')[0] ?? '';
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}
