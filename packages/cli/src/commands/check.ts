// pwguard check: judge one password read from stdin (never argv).
import { Command, Option } from 'commander';
import { passwordFromInput, type Verdict } from '@pwguard/strength';
import { loadChecker, lookupUser } from '@pwguard/runtime';
import { readSecretFromTerminal, readStdinBytes } from '../io.js';
import { EXIT } from '../errors.js';

interface CheckOptions {
  config?: string;
  user?: string;
  gecos?: string;
  format: 'text' | 'json';
}

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('Check one password, read from standard input (at a terminal: asked for, not echoed), against the policy.')
    .addOption(new Option('-c, --config <file>', 'policy file').default(undefined, '$PWGUARD_CONFIG, else /etc/security/pwguard.conf'))
    .option('-u, --user <name>', 'the account the password is for (its GECOS comes from the passwd database)')
    .option('--gecos <text>', 'GECOS text to use instead of the passwd database')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText('after', `
The password is read from standard input; one trailing newline (\\n or \\r\\n) or NUL is not part of it.
At a terminal it is asked for as passwd does ("New password: " on stderr, not echoed, one line).
Exit status: 0 accepted, 1 rejected, 2 usage or configuration error.

Example:
  printf '%s\\n' "$candidate" | pwguard check --user alice --format json`)
    .action(async (opts: CheckOptions) => {
      process.exitCode = await runCheck(opts);
    });
}

export async function runCheck(opts: CheckOptions): Promise<number> {
  const { checker } = await loadChecker({ config: opts.config });
  // At a terminal, ask as passwd does (prompt, no echo, one line); from a pipe, read it all.
  const bytes = process.stdin.isTTY ? await readSecretFromTerminal('New password: ') : passwordFromInput(await readStdinBytes());
  let gecos = opts.gecos;
  if (opts.user !== undefined && gecos === undefined) gecos = lookupUser(opts.user)?.gecos;
  // A CheckError (breach store unusable) ends the program as one line, exit 2 (program.ts).
  const verdict = await checker.checkBytes(bytes, { user: opts.user, gecos });
  process.stdout.write(opts.format === 'json' ? `${JSON.stringify(verdict)}\n` : formatVerdict(verdict));
  return verdict.ok || !verdict.enforced ? EXIT.ok : EXIT.findings;
}

/** Text output: one line per reason; warnings only when the policy does not enforce. */
export function formatVerdict(v: Verdict): string {
  const strength = v.score === null ? '' : ` (strength ${v.score} of 4)`;
  if (v.ok) return `accepted${strength}\n`;
  const head = v.enforced ? `rejected${strength}` : `accepted with warnings${strength} (policy not enforcing)`;
  const lines = v.reasons.map((r) => `  ${r.message}`);
  if (v.feedback.warning) lines.push(`  ${v.feedback.warning}`);
  for (const s of v.feedback.suggestions) lines.push(`  Tip: ${s}`);
  return `${head}\n${lines.join('\n')}\n`;
}
