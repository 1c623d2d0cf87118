import { configChecks, configLdif, moduleArgWords, parseLdif, pickDatabase, policyLdif, slapdApiOf, type LdapPlan } from '../src/ldap.js';

// cn=config as ldapsearch prints it (wrapped, one base64 value), before the install.
const CONFIG = `dn: cn=config
objectClass: olcGlobal
cn: config

dn: cn=module{0},cn=config
objectClass: olcModuleList
cn: module{0}
olcModulePath: /usr/lib/ldap
olcModuleLoad: {0}back_mdb

dn: olcDatabase={0}config,cn=config
objectClass: olcDatabaseConfig
olcDatabase: {0}config

dn: olcDatabase={1}mdb,cn=config
objectClass: olcDatabaseConfig
olcDatabase: {1}mdb
olcSuffix:: ZGM9ZXhhbXBsZSxkYz1vcmc=
olcRootDN: cn=admin,dc=exam
 ple,dc=org
`;

const plan = (api: '2.5' | '2.6'): LdapPlan => ({
  api, suffix: 'dc=example,dc=org', policyDn: 'cn=pwguard,ou=policies,dc=example,dc=org',
  module: '/usr/local/lib/ldap/pwguard_ppolicy.so', moduleArg: 'hook=/usr/local/sbin/pwguard-pam-hook timeout=10',
});

test('parseLdif: base64 values, folded lines, lower-case names', () => {
  const db = parseLdif(CONFIG).find((e) => e.dn === 'olcDatabase={1}mdb,cn=config');
  expect(db?.attrs.get('olcsuffix')).toEqual(['dc=example,dc=org']);
  expect(db?.attrs.get('olcrootdn')).toEqual(['cn=admin,dc=example,dc=org']);
});

test('slapdApiOf: 2.5 and 2.6 from slapd -VV, nothing from older or garbage', () => {
  expect(slapdApiOf('@(#) $OpenLDAP: slapd 2.5.13+dfsg-5 (Feb  8 2023) $')).toEqual({ version: '2.5.13', api: '2.5' });
  expect(slapdApiOf('@(#) $OpenLDAP: slapd 2.6.10+dfsg-1 $')).toEqual({ version: '2.6.10', api: '2.6' });
  expect(slapdApiOf('slapd 2.4.57')).toBeNull();
  expect(slapdApiOf('command not found')).toBeNull();
});

test('pickDatabase: the only one, or the one with the suffix, else an error naming the choices', () => {
  const config = parseLdif(CONFIG);
  expect(pickDatabase(config, undefined)).toEqual({ dn: 'olcDatabase={1}mdb,cn=config', suffix: 'dc=example,dc=org' });
  expect(pickDatabase(config, 'DC=Example, DC=org')).toMatchObject({ dn: 'olcDatabase={1}mdb,cn=config' });
  expect(pickDatabase(config, 'dc=other')).toEqual({ error: 'no database in cn=config has suffix dc=other (there are: dc=example,dc=org)' });
});

test('2.5: module load, overlay without a check module, policy with pwdCheckModule', () => {
  const config = parseLdif(CONFIG);
  expect(configLdif(plan('2.5'), config, 'olcDatabase={1}mdb,cn=config')).toBe(`dn: cn=module{0},cn=config
changetype: modify
add: olcModuleLoad
olcModuleLoad: ppolicy

dn: olcOverlay=ppolicy,olcDatabase={1}mdb,cn=config
changetype: add
objectClass: olcOverlayConfig
objectClass: olcPPolicyConfig
olcOverlay: ppolicy
olcPPolicyDefault: cn=pwguard,ou=policies,dc=example,dc=org
olcPPolicyHashCleartext: TRUE
`);
  expect(policyLdif(plan('2.5'), undefined, false)).toBe(`dn: ou=policies,dc=example,dc=org
changetype: add
objectClass: organizationalUnit
ou: policies

dn: cn=pwguard,ou=policies,dc=example,dc=org
changetype: add
objectClass: pwdPolicy
objectClass: pwdPolicyChecker
objectClass: device
cn: pwguard
pwdAttribute: userPassword
pwdCheckQuality: 2
pwdCheckModule: /usr/local/lib/ldap/pwguard_ppolicy.so
pwdCheckModuleArg: hook=/usr/local/sbin/pwguard-pam-hook timeout=10
`);
});

test('2.6: the overlay names the module, the policy says pwdUseCheckModule', () => {
  const config = parseLdif(CONFIG);
  expect(configLdif(plan('2.6'), config, 'olcDatabase={1}mdb,cn=config')).toContain('olcPPolicyCheckModule: /usr/local/lib/ldap/pwguard_ppolicy.so\n');
  const pol = policyLdif(plan('2.6'), undefined, true);
  expect(pol).toContain('pwdUseCheckModule: TRUE\n');
  expect(pol).not.toContain('pwdCheckModule:');
  expect(pol).not.toContain('ou=policies,dc=example,dc=org\nchangetype: add\nobjectClass: organizationalUnit');
});

test('an existing overlay and policy get only what differs; a complete one gets nothing', () => {
  const done = parseLdif(`${CONFIG.replace('{0}back_mdb', '{0}back_mdb\nolcModuleLoad: {1}ppolicy.la')}
dn: olcOverlay={0}ppolicy,olcDatabase={1}mdb,cn=config
objectClass: olcPPolicyConfig
olcOverlay: {0}ppolicy
olcPPolicyDefault: cn=other,dc=example,dc=org
olcPPolicyHashCleartext: TRUE
`);
  expect(configLdif(plan('2.5'), done, 'olcDatabase={1}mdb,cn=config')).toBe(`dn: olcOverlay={0}ppolicy,olcDatabase={1}mdb,cn=config
changetype: modify
replace: olcPPolicyDefault
olcPPolicyDefault: cn=pwguard,ou=policies,dc=example,dc=org
-
`);
  const [policy] = parseLdif(`dn: cn=pwguard,ou=policies,dc=example,dc=org
objectClass: pwdPolicy
objectClass: device
pwdAttribute: userPassword
pwdCheckQuality: 1
`);
  expect(policyLdif(plan('2.5'), policy, true)).toBe(`dn: cn=pwguard,ou=policies,dc=example,dc=org
changetype: modify
add: objectClass
objectClass: pwdPolicyChecker
-
replace: pwdCheckQuality
pwdCheckQuality: 2
-
replace: pwdCheckModule
pwdCheckModule: /usr/local/lib/ldap/pwguard_ppolicy.so
-
replace: pwdCheckModuleArg
pwdCheckModuleArg: hook=/usr/local/sbin/pwguard-pam-hook timeout=10
-
`);
  expect(policyLdif(plan('2.5'), undefined, false)).not.toHaveProperty('error');
  expect(policyLdif({ ...plan('2.5'), policyDn: 'cn=x,o=nowhere' }, undefined, false)).toEqual({ error: 'the parent of cn=x,o=nowhere does not exist and is not an ou=... entry pwguard could add: add o=nowhere first' });
});

test('configChecks: each missing piece is one named error; 2.6 wants the overlay\'s module and pwdUseCheckModule', () => {
  const bare = configChecks('2.5', parseLdif(CONFIG), 'olcDatabase={1}mdb,cn=config', undefined);
  expect(bare.checks.map((c) => `${c.name}:${c.status}`)).toEqual(['module-load:error', 'overlay:error', 'default-policy:error', 'policy:error']);
  const config = parseLdif(`${CONFIG.replace('{0}back_mdb', '{0}back_mdb\nolcModuleLoad: {1}ppolicy')}
dn: olcOverlay={0}ppolicy,olcDatabase={1}mdb,cn=config
olcPPolicyDefault: cn=p,dc=example,dc=org
olcPPolicyHashCleartext: TRUE
`);
  const [policy] = parseLdif('dn: cn=p,dc=example,dc=org\nobjectClass: pwdPolicyChecker\npwdAttribute: userPassword\npwdCheckQuality: 2\npwdCheckModule: /m.so\npwdCheckModuleArg: hook=/h timeout=5\n');
  const ok25 = configChecks('2.5', config, 'olcDatabase={1}mdb,cn=config', policy);
  expect(ok25.checks.every((c) => c.status === 'ok')).toBe(true);
  expect(ok25).toMatchObject({ module: '/m.so', moduleArg: 'hook=/h timeout=5', policyDn: 'cn=p,dc=example,dc=org' });
  const as26 = configChecks('2.6', config, 'olcDatabase={1}mdb,cn=config', policy).checks.filter((c) => c.status === 'error');
  expect(as26.map((c) => c.message)).toEqual([
    'olcOverlay={0}ppolicy,olcDatabase={1}mdb,cn=config: olcPPolicyCheckModule is not set (slapd 2.6 loads the check module from the overlay)',
    'cn=p,dc=example,dc=org: pwdUseCheckModule is not TRUE (slapd 2.6 calls the module only for policies that say so)',
  ]);
  expect(moduleArgWords('hook=/h  timeout=5 debug')).toEqual(new Map([['hook', '/h'], ['timeout', '5'], ['debug', '']]));
});
