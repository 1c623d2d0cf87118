// The pwguard command-line program: thin. Commands live in commands/; one catch maps errors to
// exit codes, so the user sees one clear line, never a stack trace.
import { Command, CommanderError } from 'commander';
import { COMMANDS } from './commands/index.js';
import { CheckError } from '@pwguard/strength';
import { ConfigError } from '@pwguard/runtime';
import { OutputFileError } from '@pwguard/files';
import { EXIT, UserError } from './errors.js';
import { optionDescription } from './help.js';
import { VERSION } from './version.js';

/** The whole command tree (also read by man.ts, so pwguard(8) lists exactly these commands). */
export function buildProgram(): Command {
  const program = new Command('pwguard')
    .description('Password strength audit and enforcement for Linux sites.')
    .version(VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureHelp({ optionDescription });
  program.configureOutput({ writeErr: (s) => process.stderr.write(s) });
  for (const register of COMMANDS) register(program);
  return program;
}

export async function runCli(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    const topic = helpTopic(program, argv);
    if (topic) {
      topic.outputHelp();
      return EXIT.ok;
    }
    await program.parseAsync(argv as string[], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (err) {
    return reportError(err);
  }
}

/**
 * `pwguard help NAME...`: the command to show help for. Commander prints the top-level help for a
 * name it does not know and exits 2 without saying why, and reads only one level (`help pam
 * install` showed `pam`'s help); an unknown name is a UserError naming it.
 */
function helpTopic(program: Command, argv: readonly string[]): Command | null {
  if (argv[0] !== 'help' || argv.length < 2) return null;
  let cmd = program;
  const path: string[] = [];
  for (const name of argv.slice(1)) {
    if (name.startsWith('-')) return null;
    const sub = cmd.commands.find((c) => c.name() === name || c.aliases().includes(name));
    if (!sub) throw new UserError(`unknown command ${[...path, name].join(' ')} (\`${['pwguard', ...path].join(' ')} --help\` lists the commands)`);
    path.push(name);
    cmd = sub;
  }
  return cmd;
}

function reportError(err: unknown): number {
  if (err instanceof CommanderError) {
    // --help and --version end through here with exit code 0.
    return err.exitCode === 0 ? EXIT.ok : EXIT.error;
  }
  if (err instanceof UserError || err instanceof CheckError || err instanceof ConfigError || err instanceof OutputFileError) {
    // CheckError: the check could not run (e.g. an unusable breach store); ConfigError: the policy
    // or a file it names cannot be used; OutputFileError: an output file was unsafe or could not be
    // written (the old one is kept). One line each, naming what and where.
    process.stderr.write(`pwguard: ${err.message}\n`);
    return err instanceof UserError ? err.exitCode : EXIT.error;
  }
  const detail = err instanceof Error ? err.message : String(err);
  process.stderr.write(`pwguard: internal error: ${detail}\n`);
  if (process.env.PWGUARD_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
  return EXIT.error;
}

export { reportError };
