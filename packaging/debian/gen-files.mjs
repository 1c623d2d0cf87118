// The package's generated files, from the same functions `pwguard pam install` uses (one home per
// fact): node gen-files.mjs STAGE. Writes under STAGE (the package's root): the hook launcher, the
// pam-auth-update profile, the default config, the systemd units, packaged.json and the man pages.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
const stage = process.argv[2];
const date = process.argv[3] ?? new Date().toISOString().slice(0, 10);
if (!stage) {
  process.stderr.write('usage: gen-files.mjs STAGE [YYYY-MM-DD]\n');
  process.exit(2);
}
const load = (p) => import(pathToFileURL(join(root, p)).href);
const pam = await load('packages/pam/dist/index.js');
const { manPages, DEB_PATHS } = await load('packages/cli/dist/man.js');

const P = DEB_PATHS;
const write = (path, text, mode = 0o644) => {
  const file = join(stage, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text, { mode });
  chmodSync(file, mode);
};

// The launcher: Debian's (and NodeSource's) node, the hook bundle, the resident checker's socket.
write(P.hook, pam.hookLauncher('/usr/bin/node', P.hookLib, undefined, pam.DEFAULT_SOCKET)
  .replace('written by `pwguard pam install`; rewrite it with that command', 'installed by the pwguard Debian package'), 0o755);
// The module runs the packaged hook (hook=), asks itself when first: the same profile as
// `pwguard pam install --method module --prefix /usr`.
write(P.profile, pam.pamConfigProfile(P.hook, false, 'module'));
write(P.config, pam.defaultConfigText().replace('Written by `pwguard pam install`.', 'Installed by the pwguard Debian package (a conffile: your edits are kept on upgrade).'));
for (const [name, text] of Object.entries(pam.systemdUnits(P.hook, pam.DEFAULT_SOCKET))) {
  write(`usr/lib/systemd/system/${name}`, text.replace('[Unit]\n', '[Unit]\nDocumentation=man:pwguard-pam-hook(8)\n'));
}
// An example audit, off until the administrator enables the timer.
write('usr/lib/systemd/system/pwguard-audit.service', [
  '[Unit]', 'Description=pwguard audit of /etc/shadow (example)', 'Documentation=man:pwguard(8)', '',
  '[Service]', 'Type=oneshot',
  'ExecStart=/usr/bin/pwguard audit --shadow /etc/shadow --format json --output /var/lib/pwguard/audit.json',
  'NoNewPrivileges=yes', 'ProtectSystem=strict', 'ReadWritePaths=/var/lib/pwguard', 'ProtectHome=yes', 'PrivateTmp=yes', 'PrivateNetwork=yes',
  'Nice=15', 'IOSchedulingClass=idle', '',
].join('\n'));
write('usr/lib/systemd/system/pwguard-audit.timer', [
  '[Unit]', 'Description=Weekly pwguard audit of /etc/shadow (example; enable with systemctl enable --now pwguard-audit.timer)',
  'Documentation=man:pwguard(8)', '',
  '[Timer]', 'OnCalendar=weekly', 'RandomizedDelaySec=1h', 'Persistent=true', '',
  '[Install]', 'WantedBy=timers.target', '',
].join('\n'));
write('usr/lib/pwguard/packaged.json', `${JSON.stringify({
  package: 'pwguard', hook: P.hook, libDir: P.hookLib, module: P.module, profile: P.profile, method: 'module',
  ldapModules: P.ldapModules, krb5Plugin: P.krb5Plugin,
}, null, 2)}\n`);
for (const [name, text] of Object.entries(manPages(date, P))) write(`usr/share/man/man${name.slice(-1)}/${name}`, text);
