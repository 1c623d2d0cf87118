// Public surface of @pwguard/pam: only what is exported here is API.
export {
  runHook, safeName, EXIT_ACCEPT, EXIT_REJECT, EXIT_NO_VERDICT,
  type HookSystem, type HookRequest, type HookResult, type WeakLogin, type LogPriority,
} from './hook.js';
export { HOOK_MESSAGES, ON_ERROR_SUFFIX, WARNING_PREFIX, hookMessage, type HookMessageCode } from './messages.js';
export { runHookProcess, serve, socketPathProblem, splitHookArgs, main, type HookProcessOptions, type LauncherCall } from './process.js';
export {
  parseStack, resolveStack, isHookLine, isModuleLine, findCheckLine, checkPasswordStack, passwordAuthtokSupported,
  type StackLine, type StackProblem, type CheckLine,
} from './stack.js';
export {
  INSTALL_PATHS, HOOK_BUNDLE, CLIENT_BUNDLE, PROFILE_NAME, checkoutBundleDir, builtModuleFile, builtLdapModuleFile, packageHookFile, hookLauncher, hookLine,
  pamConfigProfile, defaultConfigText, parseProfile, systemdUnits, SYSTEMD_DIR, CHECKER_SOCKET_UNIT, type InstallPaths,
  chooseMethod, moduleLine, MODULE_FILE, MODULE_DEFAULT_HOOK, PAM_METHODS, type PamMethod, type PamMethodChoice,
} from './install.js';
export { findSecurityDirs, type DirReader } from './security-dir.js';
export { MODULE_OPTIONS, type ModuleOption } from './module-options.js';
export {
  askDaemon, parseReply, readStdinSync, DEFAULT_SOCKET, DAEMON_TIMEOUT_MS, MAX_INPUT_BYTES, type DaemonRequest, type DaemonReply,
} from './client.js';
export {
  unfinishedCheck, deadlineMs, LOGIN_DEADLINE_MS, CHANGE_DEADLINE_MS, CHECK_FLAG, REPORT_FD, OLDAUTHTOK_ENV, OLDAUTHTOK_ON_STDIN, splitAuthtoks,
  type OnError, type Unfinished,
  avenueContext, sambaHookEnv, AVENUES, SAMBA_FLAG, type Avenue, type AvenueContext,
} from './protocol.js';
export { superviseHook, type Supervision } from './supervise.js';
export { hookLog } from './syslog.js';
export {
  parseLdif, slapdApiOf, pickDatabase, databases, ppolicyLoaded, ppolicyOverlay, configLdif, policyLdif, configChecks, moduleArgWords, sameDn,
  LDAP_MODULE_PATH, LDAP_MODULE_FILE, SLAPD_APIS, type SlapdApi, type LdifEntry, type LdapPlan, type LdapCheck,
} from './ldap.js';
