// --rules FILE: hashcat rule files (best64.rule and the like) or John [List.Rules:Wordlist]
// sections, read into rules for the list words. A rule the engine cannot apply is reported once,
// with its file and line, as an input problem; the others are used.
import { parseRules, type Rule, type RuleDialect } from '@pwguard/strength';
import { readSourceFile } from '../sources/files.js';
import type { SourceProblem } from '../sources/problems.js';

/** Rules from every file, in file order (ties in the stream keep it); undefined when no file is given. */
export async function readRuleFiles(paths: readonly string[], problems: SourceProblem[], dialect?: RuleDialect): Promise<Rule[] | undefined> {
  if (paths.length === 0) return undefined;
  const rules: Rule[] = [];
  for (const path of paths) {
    const text = (await readSourceFile(path, 'rules file')).toString('utf8');
    const parsed = parseRules(text, path, dialect ? { dialect } : {});
    rules.push(...parsed.rules);
    for (const p of parsed.problems) problems.push(p.line !== undefined ? { where: p.where, line: p.line, message: p.message } : { where: p.where, message: p.message });
  }
  return rules;
}
