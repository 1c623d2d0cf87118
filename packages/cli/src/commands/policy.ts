// pwguard policy show: the effective policy and where each value came from.
import { Command, Option } from 'commander';
import { formatPolicy } from '@pwguard/strength';
import { loadChecker } from '@pwguard/runtime';

export function registerPolicy(program: Command): void {
  const policy = program.command('policy').description('Inspect the password policy.');
  policy
    .command('show')
    .description('Print the effective policy, with the origin of every value.')
    .addOption(new Option('-c, --config <file>', 'policy file').default(undefined, '$PWGUARD_CONFIG, else /etc/security/pwguard.conf'))
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (opts: { config?: string; format: 'text' | 'json' }) => {
      const { loaded, breachDescription } = await loadChecker({ config: opts.config });
      if (opts.format === 'json') {
        const out = { config: loaded.path, policy: loaded.policy, origins: loaded.origins, breach: breachDescription };
        process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
      } else {
        process.stdout.write(`# config: ${loaded.path ?? 'none (built-in defaults)'}\n`);
        process.stdout.write(`# breach list in use: ${breachDescription}\n`);
        process.stdout.write(`${formatPolicy(loaded)}\n`);
      }
    });
}
