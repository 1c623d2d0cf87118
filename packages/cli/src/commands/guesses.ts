// pwguard guesses: print one account's candidate stream in the order `pwguard audit` tries it, one
// per line (as `john --stdout` and `hashcat --stdout` do), so guess numbers can be compared with
// other tools without hashing anything. Line N is guess N; line 1 is the empty password (an empty
// line). Built by the audit's own code: buildSharedStream, then the target's merge (candidates).
import { Command, Option } from 'commander';
import { buildSharedStream, candidates, readRuleFiles, SourceError, type SourceProblem } from '@pwguard/audit';
import { loadPolicy } from '@pwguard/runtime';
import { UserError } from '../errors.js';

interface GuessesOptions {
  user: string;
  gecos?: string;
  mail: string[];
  wordlist: string[];
  rules: string[];
  rulesDialect?: 'hashcat' | 'john';
  orgWords: string[];
  config?: string;
  common: boolean;
  lastChange?: string;
  now?: string;
  max: string;
}

const collect = (v: string, prev: string[]): string[] => [...prev, v];
const DAY_MS = 86_400_000;

export function registerGuesses(program: Command): void {
  program
    .command('guesses')
    .description("Print an account's candidate passwords in the order `pwguard audit` tries them, one per line.")
    .requiredOption('-u, --user <name>', 'login name of the account')
    .option('--gecos <text>', 'GECOS field (full name, ...)')
    .option('--mail <address>', 'mail address (its local part is a context word; repeatable)', collect, [])
    .option('--wordlist <file>', 'site guesses, as `pwguard audit --wordlist` (repeatable)', collect, [])
    .option('--rules <file>', 'mangling rules, as `pwguard audit --rules` (repeatable)', collect, [])
    .addOption(new Option('--rules-dialect <dialect>', 'syntax of --rules files').choices(['hashcat', 'john']))
    .option('--org-words <words>', 'site words, as the policy\'s org_words (comma or space separated; repeatable)', collect, [])
    .option('-c, --config <file>', 'also take org_words from this policy file')
    .option('--no-common', 'do not use the built-in ranked common-password list')
    .option('--last-change <date>', 'date of the last password change (shadow lastchg), YYYY-MM-DD')
    .addOption(new Option('--now <date>', 'date of the run (it decides the recent years), YYYY-MM-DD').default(undefined, 'today'))
    .option('--max <n>', 'how many guesses to print', '2000')
    .addHelpText('after', `
Line N of the output is guess number N; line 1 is the empty password (an empty line). With the same
inputs, \`pwguard audit --max-guesses N\` tries exactly these N guesses for the account, in this order.

Example:
  pwguard guesses --user bsmith --gecos 'Bob Smith' --wordlist site.txt --max 100000 | grep -nx 'Smith1987'`)
    .action(async (opts: GuessesOptions) => {
      process.exitCode = await runGuesses(opts, process.stdout);
    });
}

function dateOption(text: string, option: string): Date {
  const d = /^\d{4}-\d{2}-\d{2}$/.test(text) ? new Date(`${text}T00:00:00Z`) : new Date(NaN);
  if (Number.isNaN(d.getTime())) throw new UserError(`${option} ${text}: expected a date YYYY-MM-DD`);
  return d;
}

export async function runGuesses(opts: GuessesOptions, out: NodeJS.WritableStream): Promise<number> {
  if (!/^\d+$/.test(opts.max) || Number(opts.max) < 1) throw new UserError(`--max ${opts.max}: expected a whole number of at least 1`);
  const max = Number(opts.max);
  const now = opts.now === undefined ? new Date() : dateOption(opts.now, '--now');
  const lastChangeDays = opts.lastChange === undefined ? undefined : Math.floor(dateOption(opts.lastChange, '--last-change').getTime() / DAY_MS);
  const orgWords = opts.orgWords.flatMap((w) => w.split(/[\s,]+/)).filter((w) => w !== '');
  if (opts.config !== undefined) orgWords.push(...(loadPolicy({ config: opts.config })).policy.org_words);
  const problems: SourceProblem[] = [];
  try {
    const rules = await readRuleFiles(opts.rules, problems, opts.rulesDialect);
    const list = await buildSharedStream({ common: opts.common, wordlists: opts.wordlist, orgWords, now, maxGuesses: max, ...(rules ? { rules } : {}) }, problems);
    for (const p of problems) process.stderr.write(`pwguard: ${p.where}${p.line !== undefined ? `:${p.line}` : ''}: ${p.message}\n`);
    const input = {
      user: opts.user, extraWords: opts.mail,
      ...(opts.gecos !== undefined ? { gecos: opts.gecos } : {}),
      ...(lastChangeDays !== undefined ? { lastChangeDays } : {}),
    };
    let chunk = '';
    for (const g of candidates({ inputs: [input], now }, list, max)) {
      chunk += `${g.word}\n`;
      if (chunk.length >= 65536) {
        if (!out.write(chunk)) await new Promise((r) => out.once('drain', r));
        chunk = '';
      }
    }
    out.write(chunk);
    return 0;
  } catch (err) {
    if (err instanceof SourceError) throw new UserError(err.message);
    throw err;
  }
}
