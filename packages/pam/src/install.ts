// What `pwguard pam install` writes: paths, the hook launcher, the pam-auth-update profile and the
// default config. Texts only; the CLI does the file system work, backups and validation.
import { fileURLToPath } from 'node:url';
import { POLICY_KEYS } from '@pwguard/strength';
import { RANKED_FILE } from '@pwguard/runtime';
import { MODULE_OPTIONS } from './module-options.js';

export interface InstallPaths {
  /** The launcher pam_exec runs. */
  readonly hook: string;
  /** The bundled hook and its ranked dictionaries. */
  readonly libDir: string;
  readonly config: string;
  /** pam-auth-update profile (Debian/Ubuntu). */
  readonly profile: string;
}

/** Where the hook is installed, and what pam_pwguard.so runs without hook=: the module's table says it once. */
export const MODULE_DEFAULT_HOOK = defaultOf('hook');

export const INSTALL_PATHS: InstallPaths = {
  hook: MODULE_DEFAULT_HOOK,
  libDir: '/usr/local/lib/pwguard',
  config: '/etc/security/pwguard.conf',
  profile: '/usr/share/pam-configs/pwguard',
};

export const HOOK_BUNDLE = 'pam-hook.mjs';
/** The launcher's first stop: the resident-checker client (CommonJS, node: built-ins only). */
export const CLIENT_BUNDLE = 'hook-client.cjs';
export const PROFILE_NAME = 'pwguard';
/** Asks for the new password twice when no other module before the hook does. */
export const PROMPT_MODULE = 'pam_pwhistory.so remember=1';

/**
 * Where this package keeps the bundled hook and ranked file (dist/hook: made by `build:native` in a
 * checkout, shipped in the npm package), the same path in both.
 */
export function checkoutBundleDir(): string {
  // A function, not a constant: evaluated only by the CLI, never inside the bundled hook.
  return fileURLToPath(new URL('./hook/', import.meta.url));
}

/** This package's pam_pwguard.so: module/build/, made by module/build.sh (build:native, or npm's install script). */
export function builtModuleFile(): string {
  return fileURLToPath(new URL(`../module/build/${MODULE_FILE}`, import.meta.url));
}

/** The built pwguard_ppolicy.so for slapd's module interface `api` (ldap/build.sh, a checkout's build:native; not in the npm package). */
export function builtLdapModuleFile(api: '2.5' | '2.6'): string {
  return fileURLToPath(new URL(`../ldap/build/slapd-${api}/pwguard_ppolicy.so`, import.meta.url));
}

/** This package's hook launcher for trying it out (bin/pwguard-pam-hook, beside dist/hook). */
export function packageHookFile(): string {
  return fileURLToPath(new URL('../bin/pwguard-pam-hook', import.meta.url));
}

/**
 * The launcher: an absolute node (pam_exec gives no PATH) and absolute files, so it runs with an
 * empty environment. It asks the resident checker at `socket` when one runs (fast path) and loads
 * the bundled checker otherwise. JSON.stringify quotes the paths as JavaScript strings.
 */
export function hookLauncher(nodePath: string, libDir: string, configPath?: string, socket?: string): string {
  const opts = [`lib: ${JSON.stringify(libDir)}`, `rankedFile: ${JSON.stringify(`${libDir}/${RANKED_FILE}`)}`];
  if (configPath) opts.push(`config: ${JSON.stringify(configPath)}`);
  if (socket) opts.push(`socket: ${JSON.stringify(socket)}`);
  return [
    `#!${nodePath}`,
    '// pwguard PAM hook launcher, written by `pwguard pam install`; rewrite it with that command.',
    `require(${JSON.stringify(`${libDir}/${CLIENT_BUNDLE}`)}).run({ ${opts.join(', ')} });`,
    '',
  ].join('\n');
}

/** The pam_exec arguments of the hook line, e.g. for hand-edited stacks and authselect. */
export function hookLine(hookPath: string, type: 'password' | 'auth'): string {
  return type === 'password'
    ? `pam_exec.so expose_authtok stdout quiet ${hookPath}`
    : `pam_exec.so expose_authtok quiet ${hookPath}`;
}

/** How the password stack reaches the hook: the C module (any Linux-PAM) or pam_exec (>= 1.6.0 only). */
export type PamMethod = 'module' | 'exec';
export const PAM_METHODS = ['auto', 'module', 'exec'] as const;
export type PamMethodChoice = (typeof PAM_METHODS)[number];
/** The module's file name in the security directory; its built copy in a checkout. */
export const MODULE_FILE = 'pam_pwguard.so';
/** The hook pam_pwguard.so runs when its stack line has no hook= (PWG_DEFAULT_HOOK in module/pwguard.h). */

/**
 * auto: the module whenever it is there (built in the checkout or already installed): it asks
 * again after a refusal and returns PAM_AUTHTOK_ERR, where pam_exec turns every refusal into
 * "System error" and ends the change. Without it, pam_exec where that gets the password
 * (Linux-PAM >= 1.6.0); else the module anyway (the install then says how to build it).
 */
export function chooseMethod(choice: PamMethodChoice, authtokSupported: boolean | null, moduleAvailable: boolean): PamMethod {
  if (choice !== 'auto') return choice;
  if (moduleAvailable) return 'module';
  return authtokSupported === true ? 'exec' : 'module';
}

/** The module's arguments; hook= only when the hook is not where the module looks by default. */
export function moduleLine(hookPath: string, initial: boolean): string {
  const words = [MODULE_FILE, initial ? 'retry=3' : 'use_authtok'];
  if (hookPath !== MODULE_DEFAULT_HOOK) words.push(`hook=${hookPath}`);
  return words.join(' ');
}

/**
 * pam-auth-update profile. Primary password module ranked below pam_pwquality (1024), which, when
 * present, asks "New password / Retype" first, and above pam_unix (256), which then stores the
 * checked password (pam-auth-update gives it use_authtok because it is no longer first).
 * When pwguard is the first Primary module (no pam_pwquality), its Password-Initial block starts
 * with pam_pwhistory, which asks "New password / Retype new password" (pam_exec alone would ask
 * once, with no retype); remember=1 keeps only the previous password in /etc/security/opasswd.
 * The login check (auth) is an Additional module: it runs after pam_unix has the password.
 * `Default: no`: pam-auth-update adds a profile it has not seen before only when it says yes, so
 * installing the profile changes no stack until it is enabled by name.
 */
export function pamConfigProfile(hookPath: string, loginCheck: boolean, method: PamMethod = 'exec'): string {
  const password = method === 'module'
    // The module asks itself when first (Password-Initial) and judges the earlier module's token otherwise.
    ? ['Password:', `\trequisite\t${moduleLine(hookPath, false)}`, 'Password-Initial:', `\trequisite\t${moduleLine(hookPath, true)}`]
    : ['Password:', `\trequisite\t${hookLine(hookPath, 'password')}`,
      'Password-Initial:', `\trequisite\t${PROMPT_MODULE}`, `\trequisite\t${hookLine(hookPath, 'password')}`];
  const lines = [
    `Name: pwguard password policy (${method === 'module' ? 'pam_pwguard module' : 'pam_exec hook'})`,
    // No: only `pwguard pam install --apply` or `pam-auth-update --enable pwguard` turns it on.
    // With yes, the next `pam-auth-update --package` (run by any PAM package upgrade) would enable
    // a profile the administrator installed without --apply.
    'Default: no',
    'Priority: 900',
    'Password-Type: Primary',
    ...password,
  ];
  if (loginCheck) lines.push('Auth-Type: Additional', 'Auth:', `\toptional\t${hookLine(hookPath, 'auth')}`);
  return `${lines.join('\n')}\n`;
}

/** systemd units for the resident checker: socket-activated, so it starts on the first change. */
export const SYSTEMD_DIR = '/etc/systemd/system';
export const CHECKER_SOCKET_UNIT = 'pwguard-checker.socket';

export function systemdUnits(hookPath: string, socket: string): Record<string, string> {
  return {
    [CHECKER_SOCKET_UNIT]: [
      '[Unit]', 'Description=pwguard resident password checker (socket)', '',
      '[Socket]', `ListenStream=${socket}`, 'SocketMode=0666', 'DirectoryMode=0755', '',
      '[Install]', 'WantedBy=sockets.target', '',
    ].join('\n'),
    'pwguard-checker.service': [
      '[Unit]', 'Description=pwguard resident password checker', `Requires=${CHECKER_SOCKET_UNIT}`, '',
      // Read-only view of the system: it reads the config, the breach store and /etc/passwd only.
      '[Service]', `ExecStart=${hookPath} --daemon`, 'NoNewPrivileges=yes', 'ProtectSystem=strict', 'ProtectHome=yes', 'PrivateTmp=yes', '',
    ].join('\n'),
  };
}

/** The default config: every key, commented out with its default and help. */
export function defaultConfigText(): string {
  const out = [
    '# /etc/security/pwguard.conf: pwguard password policy (key = value; `pwguard policy show` prints the effective one).',
    '# Written by `pwguard pam install`. Every key is shown with its default, commented out.',
    '',
  ];
  for (const spec of POLICY_KEYS) {
    const v = spec.default;
    const shown = Array.isArray(v) ? v.join(', ') : typeof v === 'boolean' ? (v ? '1' : '0') : String(v);
    out.push(`# ${spec.help}`, `# ${spec.key} = ${shown}`, '');
  }
  return out.join('\n');
}

/** Parse `Key: value` headers of a pam-auth-update profile (enough to validate ours). */
export function parseProfile(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  let current: string | null = null;
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z-]+):\s*(.*)$/.exec(line);
    if (m) {
      current = m[1] as string;
      fields.set(current, m[2] ?? '');
    } else if (current && /^\s+\S/.test(line)) {
      fields.set(current, `${fields.get(current) ?? ''}\n${line.trim()}`.trim());
    }
  }
  return fields;
}

function defaultOf(name: string): string {
  const o = MODULE_OPTIONS.find((x) => x.name === name);
  if (o?.kind !== 'path') throw new Error(`module option ${name} is not a path in module/options.def`);
  return o.default;
}
