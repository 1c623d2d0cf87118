// pwguard pam-hook / pam install / pam uninstall / pam doctor: the PAM side of pwguard.
// The hook's process lives in pam-hook.ts (bundled without commander); the checks and texts in
// @pwguard/pam; this file does the installing, backups and diagnosis on the real system.
import { Command, Option } from 'commander';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CHECK_FLAG, checkoutBundleDir, DEFAULT_SOCKET, INSTALL_PATHS, PAM_METHODS, REPORT_FD, runHookProcess, sambaHookEnv, serve, socketPathProblem, splitHookArgs, superviseHook } from '@pwguard/pam';
import { UserError } from '../errors.js';
import { RANKED_FILE } from '@pwguard/runtime';
import { installPam, uninstallPam, type InstallOptions, type UninstallOptions } from './pam-install.js';
import { runDoctor, type DoctorOptions } from './pam-doctor.js';
import { packagedInstall } from '../packaged.js';

export function registerPam(program: Command): void {
  program
    .command('pam-hook')
    .description('The pam_exec hook: judge the password on stdin for PAM_USER (run by PAM, not by hand).')
    .argument('[settings...]', 'config=FILE, or policy settings that win over the config file (key=value, as on the stack line)')
    .addOption(new Option('-c, --config <file>', 'policy file').default(undefined, '$PWGUARD_CONFIG, else /etc/security/pwguard.conf'))
    .addOption(new Option('--ranked <file>', 'prebuilt zxcvbn dictionaries').default(undefined, 'the checkout\'s, else built at start'))
    .option('--samba', 'run as Samba\'s check password script: the account and full name come from SAMBA_CPS_*')
    .addOption(new Option(CHECK_FLAG, 'the check itself, in the child the deadline supervises').hideHelp())
    .addHelpText('after', `
Protocol: the password is the raw bytes on stdin (one trailing NUL, \\n or \\r\\n is dropped);
PAM_USER and PAM_TYPE (password or auth) come from pam_exec. Reasons are printed one per line.
Exit status: 0 accept, 1 refuse the password (pam_pwguard.so asks again), 2 the check could not run
and on_error = reject (pam_pwguard.so stops without asking again). In the auth stack always 0: weak
logins are only recorded. Every refusal prints at least one line.
Installed systems run ${INSTALL_PATHS.hook} (see \`pwguard pam install\`), which starts faster.
Samba: \`check password script = ${INSTALL_PATHS.hook} --samba\` (docs/avenues.md).`)
    .action(async (settings: string[], opts: { config?: string; ranked?: string; samba?: boolean; checkNow?: boolean }) => {
      if (opts.samba) {
        const mapped = sambaHookEnv(process.env);
        if ('error' in mapped) {
          process.stdout.write(`${mapped.error}\n`);
          process.exitCode = 2;
          return;
        }
        process.env = mapped.env; // the check child inherits it
      }
      if (!opts.checkNow) {
        // The same hard deadline as the installed hook: the check runs in a child that is killed then.
        const again = [...(opts.config ? ['--config', opts.config] : []), ...(opts.ranked ? ['--ranked', opts.ranked] : [])];
        superviseHook({ check: [...process.execArgv, process.argv[1] ?? '', 'pam-hook', CHECK_FLAG, ...again, ...settings] });
        return;
      }
      const bundled = join(checkoutBundleDir(), RANKED_FILE);
      const rankedFile = opts.ranked ?? (existsSync(bundled) ? bundled : undefined);
      const { config, args } = splitHookArgs(settings, opts.config);
      process.exitCode = await runHookProcess({ config, args, rankedFile, reportFd: REPORT_FD });
    });

  program
    .command('pam-daemon')
    .description('The resident checker: answers the installed hook over a Unix socket so password changes start fast.')
    .option('--socket <path>', 'socket to listen on (ignored under systemd socket activation)', DEFAULT_SOCKET)
    .addOption(new Option('--ranked <file>', 'prebuilt zxcvbn dictionaries').default(undefined, 'the checkout\'s'))
    .addHelpText('after', `
Runs until stopped. The hook falls back to checking in its own process when no checker answers,
so stopping it only makes changes slower. The config is read for every request. Run as root (the
breach store may be root-only); the socket is world-writable because users run the hook as
themselves. Under systemd: ${INSTALL_PATHS.hook} --daemon (see docs/pam.md for the units).`)
    .action(async (opts: { socket: string; ranked?: string }) => {
      const problem = process.env.LISTEN_FDS === '1' ? null : socketPathProblem(opts.socket);
      if (problem) throw new UserError(problem);
      const bundled = join(checkoutBundleDir(), RANKED_FILE);
      await serve({ socket: opts.socket, rankedFile: opts.ranked ?? (existsSync(bundled) ? bundled : undefined) });
      await new Promise(() => { /* serve until killed */ });
    });

  const pam = program.command('pam').description('Install, remove and diagnose the PAM hook and module.');
  pam
    .command('install')
    .description('Install the hook, the module or pam_exec line, a default config and a pam-auth-update profile (root).')
    .addOption(new Option('--method <method>', 'how the password stack runs the hook: module (pam_pwguard.so, any Linux-PAM), exec (pam_exec, Linux-PAM >= 1.6), auto').choices([...PAM_METHODS]).default('auto'))
    .addOption(new Option('--security-dir <dir>', 'where PAM modules live').default(undefined, 'the directory holding pam_unix.so'))
    .option('--apply', 'also enable the profile with pam-auth-update (backs up /etc/pam.d, validates, rolls back on failure)')
    .option('--login-check', 'also check passwords at login (auth stack; works on every Linux-PAM)')
    .option('--print-hook-path', 'print the installed hook path and the checkout hook path, and do nothing else')
    .option('--prefix <dir>', 'install prefix for sbin/ and lib/pwguard/', '/usr/local')
    .addHelpText('after', `
--method auto (the default) picks the module wherever it is built (or already installed): it asks
again after a refusal, where pam_exec ends the change with "System error". Without the module it
picks pam_exec on Linux-PAM 1.6 and later (below, pam_exec gets no password: build the module).
--method exec keeps pam_exec. The module is copied from @pwguard/pam's module/build (built when
it is installed, if gcc and libpam0g-dev are there) to the security directory, 0644 root.
Without --apply the stack is not touched: the profile is written and the command to enable it is
printed. RHEL/Fedora (authselect) and hand-edited stacks: see docs/pam.md for the lines to add.`)
    .action(async (opts: InstallOptions) => {
      process.exitCode = await installPam(opts);
    });
  pam
    .command('uninstall')
    .description('Disable and remove the profile, the hook, its files and pam_pwguard.so (root). The config is kept unless --purge.')
    .option('--purge', 'also remove /etc/security/pwguard.conf')
    .option('--prefix <dir>', 'install prefix used at install', '/usr/local')
    .option('--security-dir <dir>', 'also remove pam_pwguard.so from this directory')
    .action(async (opts: UninstallOptions) => {
      process.exitCode = await uninstallPam(opts);
    });
  pam
    .command('doctor')
    .description('Check the Linux-PAM version, the stack (module or pam_exec), the module, the hook, the config, the store and the latency.')
    .option('--service <name>', 'PAM service whose password stack is checked', 'passwd')
    .option('--pam-dir <dir>', 'where the PAM service files are', '/etc/pam.d')
    .option('--hook <path>', 'hook path expected in a pam_exec line (a module line names its own: hook= or its built-in path)', packagedInstall()?.hook ?? INSTALL_PATHS.hook)
    .addOption(new Option('--security-dir <dir>', 'where PAM modules live').default(undefined, 'the directory holding pam_unix.so'))
    .addOption(new Option('-c, --config <file>', 'policy file').default(undefined, '$PWGUARD_CONFIG, else /etc/security/pwguard.conf'))
    .option('--no-latency', 'do not run the hook to measure it')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText('after', `
Exit status: 0 no errors (warnings allowed), 1 something will not work, 2 usage error.
JSON: {"ok": bool, "method": "module"|"exec"|null, "checks": [{"name", "status": "ok"|"warning"|"error", "message", "fix"?}]}`)
    .action(async (opts: DoctorOptions) => {
      process.exitCode = await runDoctor(opts);
    });
}
