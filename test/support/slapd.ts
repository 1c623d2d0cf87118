// A throwaway OpenLDAP slapd for tests: loopback only, everything in one temp dir (cn=config made
// with slapadd, mdb database, a fresh CA and server certificate), never the packaged slapd.
//
//   const ldap = await startSlapd({ users: [{ uid: 'bob', userPassword: [slappasswd('{SSHA}', 'pw')] }] });
//   ... ldap.url (ldap://, StartTLS), ldap.ldapsUrl, ldap.caFile, ldap.auditDn + ldap.auditPasswordFile ...
//   await ldap.stop();
//
// The ACL lets only the audit DN (and the root DN) read userPassword and the Samba hashes; anyone
// may read the rest. `wrongCaFile` is a second CA that did not sign the server certificate (for
// "bad certificate" tests). Needs Debian packages slapd, ldap-utils, slapd-contrib, openssl.
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SLAPD = '/usr/sbin/slapd';
const MODDIR = '/usr/lib/ldap';

export interface SlapdUser {
  readonly uid: string;
  readonly cn?: string;
  readonly sn?: string;
  /** Adds objectClass posixAccount (uidNumber, gidNumber 100, /home/<uid>). */
  readonly gecos?: string;
  readonly uidNumber?: number;
  readonly mail?: string;
  readonly displayName?: string;
  /** Stored values as they go into the directory (make them with slappasswd()). */
  readonly userPassword?: readonly string[];
  readonly sambaNTPassword?: string;
  readonly sambaLMPassword?: string;
  /** Adds objectClass shadowAccount with this shadowLastChange. */
  readonly shadowLastChange?: number;
  /** Where under the suffix (default ou=people). */
  readonly ou?: string;
  /** The DN of this user's own password policy (ppolicy's pwdPolicySubentry). */
  readonly pwdPolicySubentry?: string;
}

export interface SlapdOptions {
  readonly users?: readonly SlapdUser[];
  /** Default dc=example,dc=org. */
  readonly suffix?: string;
  /** Load the ppolicy overlay (pwdReset for --expire). Default true. */
  readonly ppolicy?: boolean;
  /** The overlay's default policy DN (olcPPolicyDefault), with olcPPolicyHashCleartext TRUE. */
  readonly ppolicyDefault?: string;
  /** More entries (LDIF, e.g. password policies), added after the users. */
  readonly ldif?: string;
  /** The frontend's olcSizeLimit (default 1000): entries one search may return, paged or not. */
  readonly sizeLimit?: string;
  /** The mdb map size in bytes (default 100 MiB; 100k users need about 1 GiB). */
  readonly dbMaxSize?: number;
  /** olcLimits for the audit DN on the database, e.g. 'size.prtotal=unlimited' (paged searches past the size limit). */
  readonly auditLimits?: string;
  /** slapadd -q (quick mode, fewer checks) for large loads: scripts/bench-scale's 100k users. */
  readonly bulk?: boolean;
}

export interface Slapd {
  readonly url: string;
  readonly ldapsUrl: string;
  /** ldapi:// on a socket in the work dir: SASL EXTERNAL as this process's uid manages cn=config. */
  readonly ldapiUrl: string;
  readonly caFile: string;
  readonly wrongCaFile: string;
  readonly suffix: string;
  readonly peopleBase: string;
  readonly rootDn: string;
  readonly rootPassword: string;
  readonly rootPasswordFile: string;
  readonly auditDn: string;
  readonly auditPassword: string;
  readonly auditPasswordFile: string;
  readonly workdir: string;
  readonly pid: number;
  /** Run ldapsearch as the root DN over ldapi-less loopback (plain LDAP + StartTLS). */
  search(base: string, filter: string, attrs: readonly string[]): Promise<string>;
  stop(): Promise<void>;
}

/** Why slapd tests cannot run here, or undefined when they can. */
export function slapdMissing(): string | undefined {
  for (const b of [SLAPD, '/usr/sbin/slapadd', '/usr/sbin/slappasswd', '/usr/bin/ldapsearch', '/usr/bin/openssl']) {
    if (!existsSync(b)) return `${b} is missing (Debian packages slapd ldap-utils slapd-contrib openssl)`;
  }
  return undefined;
}

/** A stored userPassword value made by OpenLDAP's own slappasswd (loads the module a scheme needs). */
export function slappasswd(scheme: string, password: string): string {
  const module = /^\{S?SHA(256|384|512)\}$/i.test(scheme) ? 'pw-sha2.la' : /PBKDF2/i.test(scheme) ? 'pw-pbkdf2.la' : /ARGON2/i.test(scheme) ? 'argon2.la' : undefined;
  const args = ['-n', '-h', scheme, '-s', password, ...(module ? ['-o', `module-load=${module}`] : [])];
  return execFileSync('/usr/sbin/slappasswd', args).toString();
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

function makeCa(dir: string, name: string): { key: string; cert: string } {
  const key = join(dir, `${name}.key`);
  const cert = join(dir, `${name}.pem`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '2', '-subj', `/CN=${name}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-keyout', key, '-out', cert], { stdio: 'ignore' });
  return { key, cert };
}

function makeTls(dir: string): { ca: string; wrongCa: string; cert: string; key: string } {
  mkdirSync(dir, { recursive: true });
  const ca = makeCa(dir, 'pwguard-test-ca');
  const wrong = makeCa(dir, 'pwguard-other-ca');
  const key = join(dir, 'server.key');
  const csr = join(dir, 'server.csr');
  const cert = join(dir, 'server.pem');
  const ext = join(dir, 'server.ext');
  writeFileSync(ext, 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  execFileSync('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-subj', '/CN=localhost', '-keyout', key, '-out', csr], { stdio: 'ignore' });
  execFileSync('openssl', ['x509', '-req', '-in', csr, '-CA', ca.cert, '-CAkey', ca.key, '-CAcreateserial', '-days', '2', '-sha256', '-extfile', ext, '-out', cert], { stdio: 'ignore' });
  return { ca: ca.cert, wrongCa: wrong.cert, cert, key };
}

// A minimal subset of Samba's samba.schema (same OIDs): enough for sambaNTPassword/sambaLMPassword.
const SAMBA_SCHEMA = `dn: cn=samba-min,cn=schema,cn=config
objectClass: olcSchemaConfig
cn: samba-min
olcAttributeTypes: ( 1.3.6.1.4.1.7165.2.1.24 NAME 'sambaLMPassword' DESC 'LanManager Password' EQUALITY caseIgnoreIA5Match SYNTAX 1.3.6.1.4.1.1466.115.121.1.26{32} SINGLE-VALUE )
olcAttributeTypes: ( 1.3.6.1.4.1.7165.2.1.25 NAME 'sambaNTPassword' DESC 'MD4 hash of the unicode password' EQUALITY caseIgnoreIA5Match SYNTAX 1.3.6.1.4.1.1466.115.121.1.26{32} SINGLE-VALUE )
olcObjectClasses: ( 1.3.6.1.4.1.7165.2.2.6 NAME 'sambaSamAccount' SUP top AUXILIARY MUST uid MAY ( sambaLMPassword $ sambaNTPassword ) )
`;

function configLdif(w: string, o: { suffix: string; rootDn: string; auditDn: string; rootHash: string; tls: ReturnType<typeof makeTls>; ppolicy: boolean; ppolicyDefault?: string | undefined; sizeLimit?: string | undefined; dbMaxSize?: number | undefined; auditLimits?: string | undefined }): string {
  const mods = ['back_mdb', 'pw-sha2', 'pw-pbkdf2', 'argon2', ...(o.ppolicy ? ['ppolicy'] : [])].filter((m) => existsSync(join(MODDIR, `${m}.la`)));
  const peer = `gidNumber=${process.getgid?.() ?? 0}+uidNumber=${process.getuid?.() ?? 0},cn=peercred,cn=external,cn=auth`;
  return `dn: cn=config
objectClass: olcGlobal
cn: config
olcPidFile: ${w}/slapd.pid
olcArgsFile: ${w}/slapd.args
olcLogLevel: none
olcTLSCertificateFile: ${o.tls.cert}
olcTLSCertificateKeyFile: ${o.tls.key}
olcTLSCACertificateFile: ${o.tls.ca}
olcTLSVerifyClient: never

dn: cn=module{0},cn=config
objectClass: olcModuleList
cn: module{0}
olcModulePath: ${MODDIR}
${mods.map((m) => `olcModuleLoad: ${m}`).join('\n')}

dn: cn=schema,cn=config
objectClass: olcSchemaConfig
cn: schema

include: file:///etc/ldap/schema/core.ldif
include: file:///etc/ldap/schema/cosine.ldif
include: file:///etc/ldap/schema/nis.ldif
include: file:///etc/ldap/schema/inetorgperson.ldif

${SAMBA_SCHEMA}
dn: olcDatabase={-1}frontend,cn=config
objectClass: olcDatabaseConfig
objectClass: olcFrontendConfig
olcDatabase: {-1}frontend
olcSizeLimit: ${o.sizeLimit ?? '1000'}

dn: olcDatabase={0}config,cn=config
objectClass: olcDatabaseConfig
olcDatabase: {0}config
olcAccess: {0}to * by dn.exact=${peer} manage by * none

dn: olcDatabase={1}mdb,cn=config
objectClass: olcDatabaseConfig
objectClass: olcMdbConfig
olcDatabase: {1}mdb
olcDbDirectory: ${w}/db
olcDbMaxSize: ${o.dbMaxSize ?? 104857600}
olcSuffix: ${o.suffix}
olcRootDN: ${o.rootDn}
olcRootPW: ${o.rootHash}
olcDbIndex: objectClass eq
olcDbIndex: uid eq
${o.auditLimits ? `olcLimits: dn.exact="${o.auditDn}" ${o.auditLimits}\n` : ''}olcAccess: {0}to attrs=userPassword,sambaNTPassword,sambaLMPassword by dn.exact="${o.auditDn}" read by self =xw by anonymous auth by * none
olcAccess: {1}to * by * read
${o.ppolicy && mods.includes('ppolicy') ? `
dn: olcOverlay=ppolicy,olcDatabase={1}mdb,cn=config
objectClass: olcOverlayConfig
objectClass: olcPPolicyConfig
olcOverlay: ppolicy
${o.ppolicyDefault ? `olcPPolicyDefault: ${o.ppolicyDefault}\nolcPPolicyHashCleartext: TRUE\n` : ''}` : ''}`;
}

function userLdif(u: SlapdUser, suffix: string): string {
  const lines = [`dn: uid=${u.uid},${u.ou ?? 'ou=people'},${suffix}`, 'objectClass: inetOrgPerson'];
  if (u.gecos !== undefined) lines.push('objectClass: posixAccount', `uidNumber: ${u.uidNumber ?? 10000}`, 'gidNumber: 100', `homeDirectory: /home/${u.uid}`);
  if (u.shadowLastChange !== undefined) lines.push('objectClass: shadowAccount');
  if (u.sambaNTPassword || u.sambaLMPassword) lines.push('objectClass: sambaSamAccount');
  lines.push(`uid: ${u.uid}`, `cn: ${u.cn ?? u.uid}`, `sn: ${u.sn ?? u.uid}`);
  if (u.gecos) lines.push(`gecos: ${u.gecos}`);
  if (u.mail) lines.push(`mail: ${u.mail}`);
  if (u.displayName) lines.push(`displayName: ${u.displayName}`);
  if (u.shadowLastChange !== undefined) lines.push(`shadowLastChange: ${u.shadowLastChange}`);
  for (const p of u.userPassword ?? []) lines.push(`userPassword:: ${Buffer.from(p).toString('base64')}`);
  if (u.sambaNTPassword) lines.push(`sambaNTPassword: ${u.sambaNTPassword}`);
  if (u.sambaLMPassword) lines.push(`sambaLMPassword: ${u.sambaLMPassword}`);
  if (u.pwdPolicySubentry) lines.push(`pwdPolicySubentry: ${u.pwdPolicySubentry}`);
  return `${lines.join('\n')}\n`;
}

function dataLdif(o: { suffix: string; auditDn: string; auditHash: string; users: readonly SlapdUser[]; ldif?: string }): string {
  const dc = /^dc=([^,]+)/.exec(o.suffix)?.[1] ?? 'example';
  const ous = [...new Set(['ou=people', ...o.users.map((u) => u.ou ?? 'ou=people')])];
  return [
    `dn: ${o.suffix}\nobjectClass: dcObject\nobjectClass: organization\ndc: ${dc}\no: pwguard test\n`,
    `dn: ${o.auditDn}\nobjectClass: organizationalRole\nobjectClass: simpleSecurityObject\ncn: audit\nuserPassword: ${o.auditHash}\n`,
    ...ous.map((ou) => `dn: ${ou},${o.suffix}\nobjectClass: organizationalUnit\nou: ${ou.slice(3)}\n`),
    ...o.users.map((u) => userLdif(u, o.suffix)),
    ...(o.ldif ? [o.ldif] : []),
  ].join('\n');
}

async function waitReady(url: string, child: ChildProcess, logFile: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`slapd exited with ${child.exitCode}; see ${logFile}`);
    try {
      await run('/usr/bin/ldapsearch', ['-x', '-LLL', '-o', 'nettimeout=1', '-H', url, '-b', '', '-s', 'base', 'namingContexts']);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`slapd did not answer on ${url} within 10 s`);
}

export async function startSlapd(options: SlapdOptions = {}): Promise<Slapd> {
  const missing = slapdMissing();
  if (missing) throw new Error(missing);
  const w = mkdtempSync(join(tmpdir(), 'pwguard-slapd-'));
  mkdirSync(join(w, 'slapd.d'));
  mkdirSync(join(w, 'db'));
  try {
    prepareDirectory(w, options);
  } catch (err) {
    rmSync(w, { recursive: true, force: true });
    throw err;
  }
  return launch(w, options);
}

function prepareDirectory(w: string, options: SlapdOptions): void {
  const { suffix, rootDn, auditDn, rootPassword, auditPassword } = names(options);
  const tls = makeTls(join(w, 'tls'));
  const ppolicy = options.ppolicy ?? true;
  writeFileSync(join(w, 'config.ldif'), configLdif(w, { suffix, rootDn, auditDn, rootHash: slappasswd('{SSHA}', rootPassword), tls, ppolicy, ppolicyDefault: options.ppolicyDefault, sizeLimit: options.sizeLimit, dbMaxSize: options.dbMaxSize, auditLimits: options.auditLimits }));
  execFileSync('/usr/sbin/slapadd', ['-n0', '-F', join(w, 'slapd.d'), '-l', join(w, 'config.ldif')], { stdio: 'pipe' });
  writeFileSync(join(w, 'data.ldif'), dataLdif({ suffix, auditDn, auditHash: slappasswd('{SSHA}', auditPassword), users: options.users ?? [], ldif: options.ldif }));
  execFileSync('/usr/sbin/slapadd', ['-n1', ...(options.bulk ? ['-q'] : []), '-F', join(w, 'slapd.d'), '-l', join(w, 'data.ldif')], { stdio: 'pipe' });
}

function names(options: SlapdOptions): { suffix: string; rootDn: string; auditDn: string; rootPassword: string; auditPassword: string } {
  const suffix = options.suffix ?? 'dc=example,dc=org';
  return { suffix, rootDn: `cn=admin,${suffix}`, auditDn: `cn=audit,${suffix}`, rootPassword: 'root-secret-for-tests', auditPassword: 'audit-secret-for-tests' };
}

async function launch(w: string, options: SlapdOptions): Promise<Slapd> {
  const { suffix, rootDn, auditDn, rootPassword, auditPassword } = names(options);
  const tls = { ca: join(w, 'tls', 'pwguard-test-ca.pem'), wrongCa: join(w, 'tls', 'pwguard-other-ca.pem') };
  const [port, sport] = [await freePort(), await freePort()];
  const url = `ldap://127.0.0.1:${port}`;
  const ldapsUrl = `ldaps://127.0.0.1:${sport}`;
  const ldapiUrl = `ldapi://${encodeURIComponent(join(w, 'ldapi'))}`;
  const logFile = join(w, 'slapd.log');
  // -d 0 keeps slapd in the foreground as our child, so stop() kills exactly this process.
  const child = spawn(SLAPD, ['-F', join(w, 'slapd.d'), '-h', `${url}/ ${ldapsUrl}/ ${ldapiUrl}`, '-d', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  const log: Buffer[] = [];
  child.stderr?.on('data', (b: Buffer) => log.push(b));
  const pwFile = (name: string, pw: string): string => {
    const f = join(w, name);
    writeFileSync(f, `${pw}\n`, { mode: 0o600 });
    return f;
  };
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(w, { recursive: true, force: true });
  };
  try {
    await waitReady(url, child, logFile);
  } catch (err) {
    writeFileSync(logFile, Buffer.concat(log));
    await stop().catch(() => undefined);
    throw new Error(`${(err as Error).message}\n${Buffer.concat(log).toString().slice(-2000)}`);
  }
  return {
    url, ldapsUrl, ldapiUrl, caFile: tls.ca, wrongCaFile: tls.wrongCa, suffix, peopleBase: `ou=people,${suffix}`,
    rootDn, rootPassword, rootPasswordFile: pwFile('root.pw', rootPassword),
    auditDn, auditPassword, auditPasswordFile: pwFile('audit.pw', auditPassword),
    workdir: w, pid: child.pid ?? -1,
    async search(base, filter, attrs) {
      const { stdout } = await run('/usr/bin/ldapsearch', ['-x', '-LLL', '-ZZ', '-H', url, '-D', rootDn, '-w', rootPassword, '-b', base, filter, ...attrs], {
        env: { ...process.env, LDAPTLS_CACERT: tls.ca },
      });
      return stdout;
    },
    stop,
  };
}
