// pwguard generate: passphrases that pass the current policy, drawn from the word list pwguard
// ships (the EFF large wordlist inside @zxcvbn-ts/language-common) with crypto.randomInt. The
// passphrase goes to stdout only: it is somebody's new password, so it is never logged, never on
// stderr, never in an error.
import { randomInt } from 'node:crypto';
import { Command, Option } from 'commander';
import { loadPassphraseWords, renderTemplate, type Checker, type Verdict } from '@pwguard/strength';
import { loadChecker } from '@pwguard/runtime';
import { EXIT, UserError } from '../errors.js';

interface GenerateOptions {
  config?: string;
  words: string;
  separator: string;
  count: string;
  format: 'text' | 'json';
}

/** How many draws one passphrase may take before the policy is called unreachable. */
export const MAX_TRIES = 1000;

/** The texts of this command (template.ts: plurals, digit grouping). */
const TEXT = {
  entropy: '{words} {words|word|words} from a {list}-word list: {bits:plain} bits of guessing entropy{each}; list: {source}.',
  each: ' each',
  unreachable: 'no {words}-word passphrase passed the policy in {tries} tries; the last one was refused: {reasons} Try more --words or another --separator.',
} as const;

export function registerGenerate(program: Command): void {
  program
    .command('generate')
    .description('Print new passphrases (random words from the list pwguard ships) that pass the policy.')
    .addOption(new Option('-c, --config <file>', 'policy file').default(undefined, '$PWGUARD_CONFIG, else /etc/security/pwguard.conf'))
    .option('-w, --words <n>', 'words per passphrase, 1-20', '4')
    .option('-s, --separator <text>', 'between the words (at most 8 characters, no control characters)', '-')
    .option('-n, --count <k>', 'how many passphrases, 1-100', '1')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText('after', `
Words are drawn uniformly with crypto.randomInt from the EFF large wordlist (7,776 words, shipped
inside @zxcvbn-ts/language-common); each passphrase is checked against the policy and drawn again
until it passes. Its guessing entropy (words x log2 7,776 = 12.9 bits a word, for an attacker who
knows the list and the separator) goes to stderr in text format; the passphrases alone go to
stdout, one per line. Nothing is logged.
Exit status: 0 printed, 2 usage or configuration error, or no passphrase of that shape passes the policy.

Examples:
  pwguard generate                  # 4 words: 51.7 bits
  pwguard generate --words 6 --separator ' ' --count 3 --format json`)
    .action(async (opts: GenerateOptions) => {
      process.exitCode = await runGenerate(opts);
    });
}

export async function runGenerate(opts: GenerateOptions): Promise<number> {
  const words = wholeNumber(opts.words, '--words', 1, 20);
  const count = wholeNumber(opts.count, '--count', 1, 100);
  const separator = opts.separator;
  if ([...separator].length > 8 || /[\p{Cc}\p{Cs}]/u.test(separator)) {
    throw new UserError(`--separator ${JSON.stringify(separator)}: at most 8 characters, no control characters`);
  }
  const { checker } = await loadChecker({ config: opts.config });
  const list = await loadPassphraseWords();
  const passphrases: string[] = [];
  for (let i = 0; i < count; i++) passphrases.push(await passingPassphrase(checker, list.words, words, separator));
  const bits = Math.round(words * Math.log2(list.words.length) * 10) / 10;
  if (opts.format === 'json') {
    process.stdout.write(`${JSON.stringify({ passphrases, words, separator, listSize: list.words.length, bitsEach: bits, list: list.source })}\n`);
  } else {
    process.stdout.write(passphrases.map((p) => `${p}\n`).join(''));
    const each = count > 1 ? TEXT.each : '';
    process.stderr.write(`${renderTemplate(TEXT.entropy, { words, list: list.words.length, bits: bits.toFixed(1), each, source: list.source })}\n`);
  }
  return EXIT.ok;
}

/** Draw until the policy accepts; a policy no passphrase of this shape can meet is a UserError. */
async function passingPassphrase(checker: Checker, list: readonly string[], words: number, separator: string): Promise<string> {
  let last: Verdict | null = null;
  for (let tries = 0; tries < MAX_TRIES; tries++) {
    const candidate = Array.from({ length: words }, () => list[randomInt(list.length)]).join(separator);
    last = await checker.check(candidate);
    if (last.ok) return candidate;
  }
  const reasons = (last?.reasons ?? []).map((r) => r.message).join(' ');
  throw new UserError(renderTemplate(TEXT.unreachable, { words, tries: MAX_TRIES, reasons }));
}

function wholeNumber(text: string, what: string, min: number, max: number): number {
  const n = /^\d{1,4}$/.test(text) ? Number(text) : NaN;
  if (!(n >= min && n <= max)) throw new UserError(`${what} ${text}: expected a whole number from ${min} to ${max}`);
  return n;
}
