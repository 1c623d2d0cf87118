import { parseConfigText, parseArgs, resolvePolicy, formatPolicy, PolicyError } from '../src/config.js';
import { DEFAULT_POLICY, POLICY_KEYS } from '../src/policy.js';

const load = (text: string, args: string[] = []) =>
  resolvePolicy(parseConfigText(text, '/etc/security/pwguard.conf'), parseArgs(args, 'PAM argument'));

function errorOf(fn: () => unknown): PolicyError {
  try {
    fn();
  } catch (err) {
    if (err instanceof PolicyError) return err;
    throw err;
  }
  throw new Error('expected a PolicyError');
}

describe('config file', () => {
  it('gives the built-in defaults for an empty file, each marked as default', () => {
    const { policy, origins } = load('# nothing here\n\n');
    expect(policy).toEqual(DEFAULT_POLICY);
    expect(policy.min_length).toBe(12);
    expect(policy.max_length).toBe(256);
    expect(policy.min_score).toBe(3);
    expect(origins.min_length).toBe('default');
  });

  it('reads key = value lines, comments, CRLF and bare boolean keys', () => {
    const { policy, origins } = load('min_length = 14\r\n# comment\n  enforce_for_root\norg_words = Example, example.org  acme\n');
    expect(policy.min_length).toBe(14);
    expect(policy.enforce_for_root).toBe(true);
    expect(policy.org_words).toEqual(['Example', 'example.org', 'acme']);
    expect(origins.min_length).toBe('/etc/security/pwguard.conf:1');
    expect(origins.enforce_for_root).toBe('/etc/security/pwguard.conf:3');
  });

  it('names file, line and key for an unknown key', () => {
    const err = errorOf(() => load('min_length = 12\nminlen = 8\n'));
    expect(err.line).toBe(2);
    expect(err.key).toBe('minlen');
    expect(err.message).toMatch(/^\/etc\/security\/pwguard\.conf:2: minlen: unknown key/);
  });

  it('names file, line and key for a bad value', () => {
    expect(errorOf(() => load('min_score = 7')).message).toBe(
      '/etc/security/pwguard.conf:1: min_score: must be between 0 and 4 (got "7")',
    );
    expect(errorOf(() => load('\nenforcing = maybe')).message).toMatch(/:2: enforcing: expected 1 or 0/);
    expect(errorOf(() => load('min_length = twelve')).message).toMatch(/:1: min_length: expected a whole number/);
    expect(errorOf(() => load('profile = fips')).message).toMatch(/expected one of default, nist/);
  });

  it('refuses a line that is not key = value', () => {
    const err = errorOf(() => load('min_length = 12\n= 5\n'));
    expect(err.line).toBe(2);
    expect(err.message).toMatch(/not a "key = value" line/);
  });

  it('never lets max_length fall below 64 or below min_length', () => {
    expect(errorOf(() => load('max_length = 32')).message).toMatch(/between 64 and 1024/);
    expect(errorOf(() => load('min_length = 100\nmax_length = 80')).message).toMatch(/max_length \(80\) is below min_length \(100\)/);
  });

  it('applies the NIST profile, and explicit keys beat it wherever they stand', () => {
    const nist = load('profile = nist');
    expect(nist.policy.min_length).toBe(15);
    expect(nist.origins.min_length).toBe('profile nist');
    const overridden = load('min_length = 20\nprofile = nist');
    expect(overridden.policy.min_length).toBe(20);
  });

  it('lets PAM-style arguments override the file', () => {
    const { policy, origins } = load('min_length = 14', ['min_length=16', 'enforcing=0']);
    expect(policy.min_length).toBe(16);
    expect(policy.enforcing).toBe(false);
    expect(origins.min_length).toBe('PAM argument');
    expect(() => parseArgs(['=3'], 'PAM argument')).toThrow(PolicyError);
  });

  it('prints every key with its origin', () => {
    const text = formatPolicy(load('min_length = 14'));
    expect(text).toMatch(/^min_length = 14 +# \/etc\/security\/pwguard\.conf:1$/m);
    expect(text).toMatch(/^max_length = 256 +# default$/m);
  });

  it('puts a space before every origin, in one column, and each key\'s help from the table above it', () => {
    const text = formatPolicy(load('org_words = Example, ACME'));
    const settings = text.split('\n').filter((l) => !l.startsWith('#'));
    expect(settings).toHaveLength(POLICY_KEYS.length);
    const columns = new Set(settings.map((l) => l.indexOf('# ')));
    expect(columns.size).toBe(1);
    for (const l of settings) expect(l).toMatch(/\S {2,}# \S/);
    for (const spec of POLICY_KEYS) expect(text).toContain(`# ${spec.help}\n${spec.key} = `);
    expect(text).toMatch(/^weak_login_log = \/var\/lib\/pwguard\/weak-logins\.log +# default$/m);
  });
});
