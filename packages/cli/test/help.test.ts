// Every command's help shows option defaults one way, commander's `(default: x)` (issue 14 found
// three: "(default x)", "(default: x)" written into the text, and "; default x").
import { describe, expect, it } from '@jest/globals';
import type { Command, Option } from 'commander';
import { buildProgram } from '../src/program.js';

function commands(c: Command): Command[] {
  return [c, ...c.commands.flatMap(commands)];
}

const program = buildProgram();
const all = commands(program);
const name = (c: Command): string => {
  const path: string[] = [];
  for (let x: Command | null = c; x; x = x.parent) path.unshift(x.name());
  return path.join(' ');
};

describe('option defaults in help', () => {
  it('the tree is the whole program', () => {
    expect(all.map(name)).toEqual(expect.arrayContaining(['pwguard audit', 'pwguard pam install', 'pwguard report merge', 'pwguard breach build', 'pwguard check']));
  });

  it.each(all.map((c) => [name(c), c] as const))('%s: no default written into an option text; each shown as (default: x)', (_n, cmd) => {
    for (const o of cmd.options as Option[]) {
      // The default lives in the option (a value, or .default(undefined, 'words')), never in its text.
      expect({ flags: o.flags, description: o.description }).toEqual({ flags: o.flags, description: expect.not.stringMatching(/\bdefault\b/i) });
    }
    const help = cmd.helpInformation().replace(/\n\s+/g, ' ');
    expect(help).not.toMatch(/\(default [^:]|; default\b|default: \[\]/);
    for (const o of cmd.options as Option[]) {
      const shown = o.defaultValueDescription ?? (o.defaultValue !== undefined && o.required && !(Array.isArray(o.defaultValue) && o.defaultValue.length === 0) ? JSON.stringify(o.defaultValue) : undefined);
      if (shown !== undefined) expect(help).toContain(`default: ${shown}`);
    }
  });

  it('a default that is not a value is shown like one that is', () => {
    const help = all.find((c) => name(c) === 'pwguard audit')?.helpInformation().replace(/\n\s+/g, ' ') ?? '';
    expect(help).toContain('worker threads, at most 4 x the cores (default: all cores)');
    expect(help).toContain('per-account cap on guesses (default: "2000")');
    expect(help).toContain('(choices: "table", "json", "csv", "html", default: table on a terminal, else json)');
    expect(help).toMatch(/Apache htpasswd file \(repeatable\) +--ldap/);
  });
});
