import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyRule, compileRule, DEFAULT_RULES, defaultRules, expandJohn, parseRules, type Rule } from '../src/index.js';
import { applyRuleBytes } from '../src/guess-rules.js';

// Fixtures made by hashcat 6.2.6 and John the Ripper 1.9.0 themselves: see fixtures/rules/make.sh.
const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'rules');
const text = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');
const WORDS = text('words.txt').split('\n').filter((w) => w !== '');

/** A tool's output: the command that made it, then one line per candidate, as raw bytes. */
function toolOutput(name: string): { command: string; lines: string[] } {
  const [command = '', ...lines] = readFileSync(join(FIXTURES, name)).toString('latin1').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return { command, lines };
}

/** Our candidate as the tool prints it: raw bytes, one char each. */
const bytes = (rule: Rule, word: string): string | null => applyRuleBytes(rule, word);
const label = (rule: Rule, word: string, out: string | null): string => `${rule.text}\t${word}\t${out === null ? '(rejected)' : JSON.stringify(out)}`;

describe('rules against hashcat --stdout', () => {
  const { rules, problems } = parseRules(text('hashcat.rule'), 'hashcat.rule');

  it('skips the same invalid rules as hashcat, naming file and line', () => {
    const { lines } = toolOutput('hashcat.out');
    const skipped = lines.filter((l) => l.startsWith('Skipping invalid or unsupported rule'));
    expect(skipped.map((l) => Number(/on line (\d+)/.exec(l)?.[1]))).toEqual(problems.map((p) => p.line));
    expect(problems).toEqual([
      { where: 'hashcat.rule', line: 61, message: 'rule "$é" skipped: non-ASCII character: a rule function takes single bytes (hashcat: write it as \\xHH)' },
      { where: 'hashcat.rule', line: 62, message: `rule "Tz" skipped: 'T' needs a position (0-9, A-Z), not 'z'` },
    ]);
  });

  it('makes what hashcat makes, for each word every rule in file order', () => {
    const { command, lines } = toolOutput('hashcat.out');
    expect(command).toBe('hashcat --stdout -r hashcat.rule words.txt');
    const ours = WORDS.flatMap((w) => rules.map((r) => label(r, w, bytes(r, w))));
    const theirs = lines.filter((l) => !l.startsWith('Skipping invalid'));
    expect(ours).toEqual(WORDS.flatMap((w, i) => rules.map((r, j) => label(r, w, theirs[i * rules.length + j] ?? null))));
  });

  it('makes what hashcat -j makes for duplicate and reflect', () => {
    const { rules: df } = parseRules(text('hashcat-df.rule'), 'hashcat-df.rule');
    const { lines } = toolOutput('hashcat-df.out');
    const ours = df.flatMap((r) => WORDS.map((w) => label(r, w, bytes(r, w))));
    expect(ours).toEqual(df.flatMap((r, i) => WORDS.map((w, j) => label(r, w, lines[i * WORDS.length + j] ?? null))));
  });
});

describe('rules against john --stdout --rules', () => {
  const { rules, problems } = parseRules(text('john.conf'), 'john.conf');

  it('reads the Wordlist section in John syntax without problems', () => {
    expect(problems).toEqual([]);
    expect(rules.every((r) => r.dialect === 'john')).toBe(true);
  });

  it('makes what John makes: each rule on every word, empty and repeated candidates skipped', () => {
    const { lines } = toolOutput('john.out');
    const ours: string[] = [];
    let last: string | null = null;
    for (const r of rules) {
      for (const w of WORDS) {
        const out = bytes(r, w);
        if (out === null || out === '' || out === last) continue;
        ours.push(out);
        last = out;
      }
    }
    expect(ours).toEqual(lines);
  });
});

describe('applyRule', () => {
  const rule = (t: string): Rule => compileRule(t);

  it('returns null for an empty result and for bytes that are not UTF-8', () => {
    expect(applyRule(rule("'0"), 'abc')).toBeNull();
    expect(applyRule(rule('r'), 'café')).toBeNull(); // é's two bytes swapped
    expect(applyRule(rule("'4"), 'café')).toBeNull(); // half of é
    expect(applyRule(rule('c $1'), 'café')).toBe('Café1');
    expect(applyRule(rule('$\\xc3$\\xa9'), 'caf')).toBe('café');
  });

  it("keeps hashcat's length limit: nothing reaches 256 bytes", () => {
    const long = 'a'.repeat(128);
    expect(applyRule(rule('d'), long)).toBe(long);
    expect(applyRule(rule('d'), long.slice(1))).toBe(long.slice(1).repeat(2));
    expect(applyRule(rule('$1'), 'b'.repeat(255))).toBe('b'.repeat(255));
  });

  it('applies John reject commands as filters', () => {
    const john = (t: string): Rule => compileRule(t, 'john');
    expect(applyRule(john('<6 $1'), 'short')).toBe('short1');
    expect(applyRule(john('<6 $1'), 'longer')).toBeNull();
    expect(applyRule(john('!a'), 'abc')).toBeNull();
    expect(applyRule(john('/a u'), 'abc')).toBe('ABC');
  });
});

describe('parseRules', () => {
  it('skips comments and blank lines, reports each unsupported rule once with its line', () => {
    const { rules, problems } = parseRules('# best\n\n:\nc $1\r\nE\n$\nsa\nk\n', 'my.rule');
    expect(rules.map((r) => [r.text, r.line])).toEqual([[':', 3], ['c $1', 4], ['k', 8]]);
    expect(problems).toEqual([
      { where: 'my.rule', line: 5, message: `rule "E" skipped: unsupported function 'E'` },
      { where: 'my.rule', line: 6, message: `rule "$" skipped: '$' needs a character after it` },
      { where: 'my.rule', line: 7, message: `rule "sa" skipped: 's' needs a character after it` },
    ]);
  });

  it('reads John config: the named section only, preprocessor expanded, John-only syntax reported', () => {
    const conf = '[Options]\nWordlist = x\n[List.Rules:Wordlist]\nAz"19[7-8][0-1]"\n\\[ $1\np\n-p c\ns?dX\n$\\0[ab]\n[List.Rules:Other]\nu\n';
    const { rules, problems } = parseRules(conf, 'john.conf');
    expect(rules.map((r) => r.text)).toEqual(['Az"1970"', 'Az"1971"', 'Az"1980"', 'Az"1981"', '[ $1']);
    expect(problems.map((p) => [p.line, p.message])).toEqual([
      [6, `rule "p" skipped: unsupported function 'p' (pluralise)`],
      [7, `rule "-p c" skipped: flag '-p' applies only to word pairs (John's single mode)`],
      [8, `rule "s?dX" skipped: 's?d': character classes are not supported`],
      [9, `rule "$\\0[ab]" skipped: preprocessor back-reference '\\0' is not supported`],
    ]);
    expect(parseRules(conf, 'john.conf', { section: 'other' }).rules.map((r) => r.text)).toEqual(['u']);
    expect(parseRules(conf, 'john.conf', { section: 'Single' }).problems).toEqual([{ where: 'john.conf', message: 'no [List.Rules:Single] section: no rules read' }]);
  });

  it('expands John character classes, rightmost fastest, and refuses a runaway expansion', () => {
    expect(expandJohn('$[0-2]$[ab]')).toEqual(['$0$a', '$0$b', '$1$a', '$1$b', '$2$a', '$2$b']);
    expect(expandJohn('\\[\\]')).toEqual(['[]']);
    expect(() => expandJohn('[0-9][0-9][0-9][0-9][0-9][0-9]')).toThrow('expands to more than');
  });
});

describe('DEFAULT_RULES', () => {
  it('are ranked: weights in (0, 1], descending, as-is first', () => {
    expect(DEFAULT_RULES.length).toBeGreaterThanOrEqual(50);
    expect(DEFAULT_RULES.length).toBeLessThanOrEqual(150);
    expect(DEFAULT_RULES[0]?.text).toBe(':');
    const w = DEFAULT_RULES.map((r) => r.weight ?? 0);
    for (let i = 0; i < w.length; i++) {
      expect(w[i]).toBeGreaterThan(0);
      expect(w[i]).toBeLessThanOrEqual(i === 0 ? 1 : (w[i - 1] as number));
    }
  });

  it('build the passwords people build from a word, recent years before old ones', () => {
    const rules = defaultRules(new Date('2026-06-01T00:00:00Z'));
    const made = (word: string): string[] => rules.map((r) => applyRule(r, word)).filter((c): c is string => c !== null);
    const sunflower = made('sunflower');
    for (const p of ['sunflower', 'Sunflower', 'sunflower1', 'sunflower123', 'Sunflower2026!', 'sunflower2018', 'SUNFLOWER', 'sunfl0wer', 'rewolfnus', 'sunflowersunflower', 'sunflower!'])
      expect(sunflower).toContain(p);
    expect(sunflower.indexOf('Sunflower2026')).toBeLessThan(sunflower.indexOf('Sunflower2019'));
    expect(made('dragon')).toContain('dr@gon');
  });
});
