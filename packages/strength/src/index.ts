// Public surface of @pwguard/strength: only what is exported here is API.
// Runs in browsers and Node alike: no `node:` imports anywhere in this package.
export type { Reason, Feedback, Verdict, CheckContext, BreachLookup } from './verdict.js';
export { MESSAGES, PREDICTABLE_PARTS, formatMessage, type ReasonCode } from './messages.js';
export { renderTemplate, templateNames, groupDigits, TemplateError, type TemplateValues } from './template.js';
export { POLICY_KEYS, DEFAULT_POLICY, type Policy, type PolicyKey, type KeySpec } from './policy.js';
export { PolicyError, parseConfigText, parseArgs, resolvePolicy, formatPolicy, type LoadedPolicy, type Setting } from './config.js';
export { createChecker, CheckError, type Checker, type CheckerOptions } from './checker.js';
export { estimate, scoreOf, type Estimate, type ZxcvbnLike } from './estimate.js';
export { loadPassphraseWords, loadZxcvbn, zxcvbnOptions, type PassphraseWords, type ZxcvbnLoader } from './dictionaries.js';
export { canonical, formsOf, judgedLength, stripIgnorable, type Forms } from './normalize.js';
export { passwordFromInput } from './password-input.js';
export {
  applyRule, compileRule, expandJohn, parseRules, RuleSyntaxError, type ParseRulesOptions, type ParsedRules, type Rule, type RuleDialect, type RuleProblem,
} from './guess-rules.js';
export { defaultRules, DEFAULT_RULES } from './default-rules.js';
export { guessStream, type Candidate, type RankedWords } from './guess-stream.js';
export {
  predictable, estimatePosition, commonListOf, contextList, famousList, builtInModelLists, zipfList, streamLists, CONTEXT_WEIGHT, COMMON_DICTIONARY,
  COMMON_LIST_SIZE, COMMON_PRIOR, FAMOUS_PASSWORDS, FAMOUS_PRIOR, KEYBOARD_WALKS, KEYBOARD_PRIOR, BUILT_IN_LISTS, type BuiltInList, type GuessModel, type GuessSource, type ModelList, type Predictable,
} from './guess-model.js';
export { Heap } from './heap.js';
