// The OpenLDAP side of `pwguard ldap install|doctor`, pure: read slapd's cn=config and the policy
// entry (as LDIF text from ldapsearch), say what is missing, and write the LDIF that adds it.
// Running ldapsearch/ldapmodify, copying the module and running the hook are the CLI's part.
//
// What ppolicy needs to call pwguard_ppolicy.so (docs/avenues.md, "OpenLDAP"):
//   cn=module{N},cn=config      olcModuleLoad: ppolicy          (the overlay, unless built in)
//   olcOverlay=ppolicy,<db>     olcPPolicyDefault: <policy DN>, olcPPolicyHashCleartext: TRUE
//                               2.6: olcPPolicyCheckModule: <module path> (one module per overlay)
//   <policy DN>                 objectClass pwdPolicy + pwdPolicyChecker, pwdAttribute: userPassword,
//                               pwdCheckQuality: 2, pwdCheckModuleArg: <options>,
//                               2.5: pwdCheckModule: <module path>; 2.6: pwdUseCheckModule: TRUE

export type SlapdApi = '2.5' | '2.6';
export const SLAPD_APIS = ['2.5', '2.6'] as const;

/** Where `pwguard ldap install --apply` puts the module (not lib/pwguard: `pam install` replaces that folder). */
export const LDAP_MODULE_PATH = '/usr/local/lib/ldap/pwguard_ppolicy.so';
export const LDAP_MODULE_FILE = 'pwguard_ppolicy.so';

/** One LDIF entry; attribute names lower-cased, values decoded (base64 `::` values too). */
export interface LdifEntry {
  readonly dn: string;
  readonly attrs: ReadonlyMap<string, readonly string[]>;
}

/** The entries of ldapsearch -LLL output (`-o ldif-wrap=no` or wrapped: continuation lines are joined). */
export function parseLdif(text: string): LdifEntry[] {
  const entries: LdifEntry[] = [];
  for (const block of text.replace(/\r\n/g, '\n').split(/\n\s*\n/)) {
    const lines: string[] = [];
    for (const raw of block.split('\n')) {
      if (raw.startsWith('#')) continue;
      if (raw.startsWith(' ') && lines.length > 0) lines[lines.length - 1] += raw.slice(1);
      else if (raw.trim() !== '') lines.push(raw);
    }
    let dn: string | null = null;
    const attrs = new Map<string, string[]>();
    for (const line of lines) {
      const m = /^([A-Za-z0-9;.-]+)(::?)\s?(.*)$/.exec(line);
      if (!m) continue;
      const value = m[2] === '::' ? Buffer.from(m[3] ?? '', 'base64').toString('utf8') : (m[3] ?? '');
      const name = (m[1] ?? '').toLowerCase();
      if (name === 'dn' && dn === null) {
        dn = value;
        continue;
      }
      attrs.set(name, [...(attrs.get(name) ?? []), value]);
    }
    if (dn !== null) entries.push({ dn, attrs });
  }
  return entries;
}

/** 2.5 or 2.6 (and later) from `slapd -VV` output ("@(#) $OpenLDAP: slapd 2.5.13+dfsg-5 ..."). */
export function slapdApiOf(versionText: string): { version: string; api: SlapdApi } | null {
  const m = /slapd (\d+)\.(\d+)(\.\d+)?/.exec(versionText);
  if (!m) return null;
  const [major, minor] = [Number(m[1]), Number(m[2])];
  if (major < 2 || (major === 2 && minor < 5)) return null;
  return { version: `${m[1]}.${m[2]}${m[3] ?? ''}`, api: major === 2 && minor === 5 ? '2.5' : '2.6' };
}

export interface LdapPlan {
  readonly api: SlapdApi;
  /** The suffix of the database whose password changes are judged. */
  readonly suffix: string;
  readonly policyDn: string;
  /** Absolute path of pwguard_ppolicy.so as slapd loads it. */
  readonly module: string;
  /** The module's option words (pwdCheckModuleArg), e.g. "hook=/usr/local/sbin/pwguard-pam-hook timeout=10". */
  readonly moduleArg: string;
}

const first = (e: LdifEntry | undefined, attr: string): string | undefined => e?.attrs.get(attr.toLowerCase())?.[0];
const all = (e: LdifEntry | undefined, attr: string): readonly string[] => e?.attrs.get(attr.toLowerCase()) ?? [];
/** DNs compare without case and without spaces after commas (enough for the DNs slapd prints back). */
export const sameDn = (a: string, b: string): boolean => a.replace(/,\s+/g, ',').toLowerCase() === b.replace(/,\s+/g, ',').toLowerCase();
/** "{3}ppolicy.la" -> "ppolicy"; "/usr/lib/ldap/ppolicy.so" -> "ppolicy". */
const moduleName = (v: string): string => v.replace(/^\{\d+\}/, '').replace(/^.*\//, '').replace(/\.(la|so)$/, '');

/** The databases of cn=config with a suffix: DN and suffixes. */
export function databases(config: readonly LdifEntry[]): { dn: string; suffixes: readonly string[] }[] {
  return config.filter((e) => /^olcDatabase=[^,]+,cn=config$/i.test(e.dn) && all(e, 'olcSuffix').length > 0)
    .map((e) => ({ dn: e.dn, suffixes: all(e, 'olcSuffix') }));
}

/** The one database to use: the one holding `suffix`, or the only one when no suffix is given. */
export function pickDatabase(config: readonly LdifEntry[], suffix: string | undefined): { dn: string; suffix: string } | { error: string } {
  const dbs = databases(config);
  if (suffix !== undefined) {
    const db = dbs.find((d) => d.suffixes.some((s) => sameDn(s, suffix)));
    return db ? { dn: db.dn, suffix } : { error: `no database in cn=config has suffix ${suffix} (there are: ${dbs.flatMap((d) => d.suffixes).join('; ') || 'none'})` };
  }
  const only = dbs.length === 1 ? dbs[0] : undefined;
  if (only && only.suffixes[0] !== undefined) return { dn: only.dn, suffix: only.suffixes[0] };
  return { error: `${dbs.length === 0 ? 'no database with a suffix' : `${dbs.length} databases`} in cn=config: name one with --suffix` };
}

const isModuleList = (e: LdifEntry): boolean => /^cn=module(\{\d+\})?,cn=config$/i.test(e.dn);
export const ppolicyLoaded = (config: readonly LdifEntry[]): boolean =>
  config.some((e) => isModuleList(e) && all(e, 'olcModuleLoad').some((v) => moduleName(v) === 'ppolicy'));
/** The overlay entry under the database, if any. */
export function ppolicyOverlay(config: readonly LdifEntry[], databaseDn: string): LdifEntry | undefined {
  return config.find((e) => /^olcOverlay=(\{\d+\})?ppolicy,/i.test(e.dn) && sameDn(e.dn.slice(e.dn.indexOf(',') + 1), databaseDn));
}

const b64 = (attr: string, v: string): string => (/^[\x21-\x39\x3b\x3d-\x7e][\x20-\x7e]*$/.test(v) && !v.endsWith(' ') ? `${attr}: ${v}` : `${attr}:: ${Buffer.from(v).toString('base64')}`);

/** LDIF for cn=config (applied with ldapmodify -Y EXTERNAL -H ldapi:///); '' when nothing is missing. */
export function configLdif(plan: LdapPlan, config: readonly LdifEntry[], databaseDn: string): string {
  const out: string[] = [];
  if (!ppolicyLoaded(config)) {
    const list = config.find(isModuleList);
    out.push(list
      ? `dn: ${list.dn}\nchangetype: modify\nadd: olcModuleLoad\nolcModuleLoad: ppolicy\n`
      : 'dn: cn=module,cn=config\nchangetype: add\nobjectClass: olcModuleList\ncn: module\nolcModuleLoad: ppolicy\n');
  }
  const overlay = ppolicyOverlay(config, databaseDn);
  const want: [string, string][] = [['olcPPolicyDefault', plan.policyDn], ['olcPPolicyHashCleartext', 'TRUE'],
    ...(plan.api === '2.6' ? [['olcPPolicyCheckModule', plan.module] as [string, string]] : [])];
  if (!overlay) {
    out.push([`dn: olcOverlay=ppolicy,${databaseDn}`, 'changetype: add', 'objectClass: olcOverlayConfig', 'objectClass: olcPPolicyConfig',
      'olcOverlay: ppolicy', ...want.map(([a, v]) => b64(a, v))].join('\n') + '\n');
  } else {
    const changes = want.filter(([a, v]) => first(overlay, a) !== v && !(a === 'olcPPolicyDefault' && sameDn(first(overlay, a) ?? '', v)));
    if (changes.length > 0) out.push([`dn: ${overlay.dn}`, 'changetype: modify', ...changes.map(([a, v]) => `replace: ${a}\n${b64(a, v)}\n-`)].join('\n') + '\n');
  }
  return out.join('\n');
}

/** The policy entry's attributes pwguard needs, by API. */
function policyWants(plan: LdapPlan): [string, string][] {
  return [['pwdAttribute', 'userPassword'], ['pwdCheckQuality', '2'],
    plan.api === '2.5' ? ['pwdCheckModule', plan.module] : ['pwdUseCheckModule', 'TRUE'], ['pwdCheckModuleArg', plan.moduleArg]];
}

/**
 * LDIF for the policy entry (in the directory, applied as its administrator or EXTERNAL); '' when it
 * is already right. `parentExists` false adds the parent as an organizationalUnit (ou=... only).
 */
export function policyLdif(plan: LdapPlan, policy: LdifEntry | undefined, parentExists: boolean): string | { error: string } {
  if (!policy) {
    const rdn = /^([a-zA-Z]+)=([^,]+),/.exec(plan.policyDn);
    if (!rdn) return { error: `policy DN ${plan.policyDn}: expected ATTR=VALUE,PARENT` };
    const out: string[] = [];
    if (!parentExists) {
      const parent = plan.policyDn.slice(plan.policyDn.indexOf(',') + 1);
      const ou = /^ou=([^,]+),/i.exec(parent);
      if (!ou) return { error: `the parent of ${plan.policyDn} does not exist and is not an ou=... entry pwguard could add: add ${parent} first` };
      out.push(`dn: ${parent}\nchangetype: add\nobjectClass: organizationalUnit\nou: ${ou[1]}\n`);
    }
    const structural = (rdn[1] ?? '').toLowerCase() === 'cn' ? ['objectClass: device'] : [];
    if (structural.length === 0) return { error: `policy DN ${plan.policyDn}: use a cn=... RDN (the entry is a device with pwdPolicy)` };
    out.push([`dn: ${plan.policyDn}`, 'changetype: add', 'objectClass: pwdPolicy', 'objectClass: pwdPolicyChecker', ...structural,
      `cn: ${rdn[2]}`, ...policyWants(plan).map(([a, v]) => b64(a, v))].join('\n') + '\n');
    return out.join('\n');
  }
  const mods: string[] = [];
  if (!all(policy, 'objectClass').some((c) => c.toLowerCase() === 'pwdpolicychecker')) mods.push('add: objectClass\nobjectClass: pwdPolicyChecker\n-');
  if (!all(policy, 'objectClass').some((c) => c.toLowerCase() === 'pwdpolicy')) mods.push('add: objectClass\nobjectClass: pwdPolicy\n-');
  for (const [a, v] of policyWants(plan)) {
    const have = first(policy, a);
    if (have === v || (a === 'pwdUseCheckModule' && have?.toUpperCase() === 'TRUE')) continue;
    mods.push(`replace: ${a}\n${b64(a, v)}\n-`);
  }
  return mods.length === 0 ? '' : [`dn: ${policy.dn}`, 'changetype: modify', ...mods].join('\n') + '\n';
}

export interface LdapCheck {
  readonly name: 'slapd' | 'module-load' | 'overlay' | 'default-policy' | 'policy' | 'module-file' | 'hook';
  readonly status: 'ok' | 'warning' | 'error';
  readonly message: string;
  readonly fix?: string;
}

/** The words of pwdCheckModuleArg the doctor needs (the module's own parser is the judge of the rest). */
export function moduleArgWords(arg: string): Map<string, string> {
  const words = new Map<string, string>();
  for (const w of arg.split(/\s+/).filter(Boolean)) {
    const eq = w.indexOf('=');
    words.set(eq < 0 ? w : w.slice(0, eq), eq < 0 ? '' : w.slice(eq + 1));
  }
  return words;
}

const FIX_INSTALL = 'pwguard ldap install --apply (or apply the LDIF `pwguard ldap install` prints)';

/**
 * What cn=config and the policy entry say, as doctor lines (the file and hook checks are the CLI's).
 * Returns also the module path and the option words slapd will use, for those checks.
 */
export function configChecks(api: SlapdApi, config: readonly LdifEntry[], databaseDn: string, policy: LdifEntry | undefined):
  { checks: LdapCheck[]; module: string | undefined; moduleArg: string | undefined; policyDn: string | undefined } {
  const checks: LdapCheck[] = [];
  checks.push(ppolicyLoaded(config)
    ? { name: 'module-load', status: 'ok', message: 'the ppolicy overlay module is loaded (olcModuleLoad)' }
    : { name: 'module-load', status: 'error', message: 'no cn=module entry loads ppolicy: the overlay cannot run', fix: FIX_INSTALL });
  const overlay = ppolicyOverlay(config, databaseDn);
  const policyDn = first(overlay, 'olcPPolicyDefault');
  let module: string | undefined;
  if (!overlay) {
    checks.push({ name: 'overlay', status: 'error', message: `no olcOverlay=ppolicy under ${databaseDn}: no password change is checked`, fix: FIX_INSTALL });
  } else {
    const problems: string[] = [];
    if (first(overlay, 'olcPPolicyHashCleartext')?.toUpperCase() !== 'TRUE') problems.push('olcPPolicyHashCleartext is not TRUE (a cleartext userPassword would be stored as is)');
    if (api === '2.6') {
      module = first(overlay, 'olcPPolicyCheckModule');
      if (!module) problems.push('olcPPolicyCheckModule is not set (slapd 2.6 loads the check module from the overlay)');
    }
    checks.push(problems.length === 0
      ? { name: 'overlay', status: 'ok', message: `${overlay.dn}${module ? ` loads ${module}` : ''}` }
      : { name: 'overlay', status: 'error', message: `${overlay.dn}: ${problems.join('; ')}`, fix: FIX_INSTALL });
  }
  checks.push(policyDn
    ? { name: 'default-policy', status: policy ? 'ok' : 'error', message: policy ? `olcPPolicyDefault is ${policyDn}` : `olcPPolicyDefault names ${policyDn}, which does not exist`, ...(policy ? {} : { fix: FIX_INSTALL }) }
    : { name: 'default-policy', status: 'error', message: 'the overlay has no olcPPolicyDefault: users without a pwdPolicySubentry get no check', fix: FIX_INSTALL });
  let moduleArg: string | undefined;
  if (policy) {
    const problems: string[] = [];
    if (!all(policy, 'objectClass').some((c) => c.toLowerCase() === 'pwdpolicychecker')) problems.push('objectClass pwdPolicyChecker missing');
    const quality = first(policy, 'pwdCheckQuality');
    if (quality !== '2') problems.push(`pwdCheckQuality is ${quality ?? 'unset'}, not 2 (${quality === '1' ? 'hashed values pass unchecked' : 'no check'})`);
    if (api === '2.5') {
      module = first(policy, 'pwdCheckModule');
      if (!module) problems.push('pwdCheckModule is not set');
    } else if (first(policy, 'pwdUseCheckModule')?.toUpperCase() !== 'TRUE') {
      problems.push('pwdUseCheckModule is not TRUE (slapd 2.6 calls the module only for policies that say so)');
    }
    if (first(policy, 'pwdAttribute')?.toLowerCase() !== 'userpassword' && first(policy, 'pwdAttribute') !== '2.5.4.35') problems.push('pwdAttribute is not userPassword');
    moduleArg = first(policy, 'pwdCheckModuleArg');
    checks.push(problems.length === 0
      ? { name: 'policy', status: 'ok', message: `${policy.dn}: pwdCheckQuality 2, ${api === '2.5' ? `pwdCheckModule ${module}` : 'pwdUseCheckModule TRUE'}, options "${moduleArg ?? ''}"` }
      : { name: 'policy', status: 'error', message: `${policy.dn}: ${problems.join('; ')}`, fix: FIX_INSTALL });
  } else {
    checks.push({ name: 'policy', status: 'error', message: policyDn ? `policy entry ${policyDn} not found` : 'no policy entry to check', fix: FIX_INSTALL });
  }
  return { checks, module, moduleArg, policyDn };
}
