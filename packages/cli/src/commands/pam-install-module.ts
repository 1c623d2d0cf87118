// pwguard pam install, the module's part: find the security directory, copy pam_pwguard.so there,
// and prove libpam loads it before any real stack names it.
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, readdirSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtModuleFile, findSecurityDirs, MODULE_FILE, type DirReader, type PamMethodChoice } from '@pwguard/pam';
import { UserError } from '../errors.js';

const PAM_DIR = '/etc/pam.d';

/** The module as @pwguard/pam's build left it (build:native in a checkout, npm's install script). */
export function builtModule(): string {
  return builtModuleFile();
}

export const systemFs: DirReader = {
  exists: existsSync,
  list: (dir) => {
    try {
      return readdirSync(dir);
    } catch {
      return [];
    }
  },
  realpath: (p) => realpathSync(p),
};

/** Where libpam loads modules from: the directory with pam_unix.so (or --security-dir). */
export function securityDir(given: string | undefined): string {
  if (given) {
    if (!existsSync(given)) throw new UserError(`--security-dir ${given}: no such directory`);
    return given;
  }
  const dir = findSecurityDirs(systemFs)[0];
  if (!dir) throw new UserError('no PAM security directory with pam_unix.so found (looked in /usr/lib/<triplet>/security, /usr/lib64/security, /lib/security...): pass --security-dir');
  return dir;
}

/** A UserError saying how to get the module when it is not built (checked before anything is installed). */
export function moduleSource(choice: PamMethodChoice, version: string | null): void {
  const path = builtModule();
  if (existsSync(path)) return;
  const why = choice !== 'auto' ? '' : version === null ? ' (chosen because the Linux-PAM version is unknown)' : ` (chosen because Linux-PAM ${version} is older than 1.6.0)`;
  throw new UserError(`${path} is not built${why}: install gcc libpam0g-dev (Debian packages), then reinstall pwguard (npm builds the module at install time); nothing was installed`);
}

/**
 * Load the installed module through the real libpam (pamtester, where there is one) in a private
 * service whose only other line is pam_permit: nothing is stored, but a module that does not load
 * or cannot run the hook stops the install before any real stack names it.
 */
export function moduleSelfTest(module: string, hook: string, sample: string): string {
  const pamtester = ['/usr/bin/pamtester', '/usr/local/bin/pamtester'].find((p) => existsSync(p));
  if (!pamtester) return 'module self-test: skipped (no pamtester); `pwguard pam doctor` checks the file, try a password change';
  const service = `pwguard-selftest-${process.pid}`;
  const file = join(PAM_DIR, service);
  writeFileSync(file, `password requisite ${module} retry=1 hook=${hook}\npassword required pam_permit.so\n`, { mode: 0o644 });
  try {
    const res = spawnSync(pamtester, [service, 'root', 'chauthtok'], { input: `${sample}\n${sample}\n`, encoding: 'utf8', timeout: 60_000 });
    if (res.status !== 0) {
      const said = `${res.stdout}\n${res.stderr}`.split('\n').find((l) => /pam|pwguard|error|fail/i.test(l))?.trim();
      throw new UserError(`module self-test failed: libpam could not run ${module} with a strong password (${said || `status ${res.status ?? res.signal}`}); the PAM stack was not changed`);
    }
  } finally {
    rmSync(file, { force: true });
  }
  return 'module self-test: libpam loads it and it runs the hook (pamtester, private service)';
}

/** Copy beside, then rename: a process that has the old module loaded keeps its mapping. */
export function installModule(src: string, dir: string): void {
  const dest = join(dir, MODULE_FILE);
  copyFileSync(src, `${dest}.new`);
  chownSync(`${dest}.new`, 0, 0);
  chmodSync(`${dest}.new`, 0o644);
  renameSync(`${dest}.new`, dest);
}
