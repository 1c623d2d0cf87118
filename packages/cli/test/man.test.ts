// The generated man pages cover every command, policy key and module option, and groff renders
// them without a warning (the same check lintian makes).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { POLICY_KEYS } from '@pwguard/strength';
import { MODULE_OPTIONS } from '@pwguard/pam';
import { commandList, manPages, roff, shownValue } from '../src/man.js';

const pages = manPages('2026-12-02');

/** The page as a reader sees it: man(1) output when man is there, else the roff with escapes undone. */
function rendered(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'pwguard-man-'));
  try {
    writeFileSync(join(dir, name), pages[name] ?? '');
    const r = spawnSync('man', ['--warnings', '-E', 'UTF-8', '-l', join(dir, name)], {
      encoding: 'utf8', env: { PATH: process.env.PATH, MANWIDTH: '80', LANG: 'C.UTF-8', MAN_KEEP_FORMATTING: '' },
    });
    if (r.error) throw r.error;
    expect(r.stderr).toBe('');
    // Undo man's hyphenation at line ends and its bold/underline overstrikes; join wrapped lines.
    return r.stdout.replace(/.\x08/g, '').replace(/[\u2010-]\n\s+/g, '').replace(/\s+/g, ' ');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('man pages', () => {
  it('are the four pages the package installs', () => {
    expect(Object.keys(pages).sort()).toEqual(['pam_pwguard.8', 'pwguard-pam-hook.8', 'pwguard.8', 'pwguard.conf.5']);
  });

  it('pwguard(8) has a section for every command of the commander tree, with its visible options', () => {
    const text = rendered('pwguard.8');
    const commands = commandList();
    expect(commands.map((c) => c.path)).toEqual(expect.arrayContaining(['audit', 'check', 'pam install', 'pam-daemon', 'policy show']));
    for (const { path, cmd } of commands) {
      expect(text).toContain(`pwguard ${path}`);
      for (const o of cmd.options) if (!o.hidden) expect(text).toContain(o.flags);
    }
  });

  it('pwguard.conf(5) shows every policy key with its default', () => {
    const text = rendered('pwguard.conf.5');
    for (const spec of POLICY_KEYS) {
      expect(text).toMatch(new RegExp(`${spec.key} = [^]*?Default: ${escapeRe(shownValue(spec.default) || '(empty)')}[.;]`));
      expect(text).toContain(spec.help.replace(/\s+/g, ' '));
    }
  });

  it('pam_pwguard(8) lists every module option of module/options.def', () => {
    const text = rendered('pam_pwguard.8');
    for (const o of MODULE_OPTIONS) {
      expect(text).toContain(o.name);
      expect(text).toContain(o.help);
      if ('default' in o) expect(text).toContain(`default ${o.default}`);
    }
  });

  it('pwguard-pam-hook(8) names the installed hook and its exit statuses', () => {
    const text = rendered('pwguard-pam-hook.8');
    expect(text).toContain('/usr/sbin/pwguard-pam-hook');
    expect(text).toMatch(/EXIT STATUS 0 .* 1 .* 2 /);
  });

  it('escapes text roff would read as requests or escapes', () => {
    expect(roff('.TH x\n\'b\na\\b --x')).toBe('\\&.TH x\n\\&\'b\na\\eb \\-\\-x');
  });
});

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
