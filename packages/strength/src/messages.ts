// The one table of reason codes and their English text. Entry points show these messages;
// translations replace this table, never the codes. No message ever contains the password.
import { renderTemplate, type TemplateValues } from './template.js';

export const MESSAGES = {
  too_short: 'Too short: use at least {min} characters (this one has {length}).',
  too_long: 'Too long: use at most {max} characters.',
  invalid_encoding: 'The password is not valid UTF-8 text.',
  contains_nul: 'The password contains a NUL character.',
  empty: 'No password was given.',
  contains_context: 'Contains or closely resembles your {what} ("{word}").',
  too_similar_to_old: 'Too similar to your current password: change at least {min} {min|character|characters}, and do not reuse it as a part.',
  contains_banned: 'Contains a word on this site\'s banned list ("{word}").',
  breached: 'Seen {count} {count|time|times} in data breaches: attackers try these first.',
  breach_unavailable: 'The breached-password list could not be checked.',
  predictable: '{kind}: among the first {within} guesses an attacker tries.',
  weak_score: 'Too easy to guess (strength {score} of 4, at least {min} required).',
  too_few_classes: 'Use at least {min} kinds of characters (lower case, upper case, digits, others).',
  too_many_repeats: 'No more than {max} identical characters in a row.',
  too_long_sequence: 'No sequences like "abcd" or "4321" longer than {max} characters.',
} as const;

/**
 * The pieces `predictable`'s {kind} is made of (guess-model.ts picks them): what the password is
 * built on, how it was changed, what was added. Never the password or its base word.
 */
export const PREDICTABLE_PARTS = {
  common: 'A common password',
  famous: 'A well-known example password',
  keyboard: 'A keyboard pattern',
  userName: 'Your user name',
  accountWords: 'Your name or account details',
  orgName: "The organisation's name",
  capitalised: 'capitalised',
  capitals: 'in capitals',
  reversed: 'reversed',
  doubled: 'written twice',
  lookalikes: 'with letters swapped for look-alikes',
  year: 'a year',
  digit: 'a digit',
  digits: 'digits',
  symbol: 'a symbol',
  symbols: 'symbols',
  and: '{first} and {last}',
  asIs: '{subject}',
  changed: '{subject}, {changes}',
  added: '{subject} with {added} added',
  changedAdded: '{subject}, {changes}, with {added} added',
} as const;

export type ReasonCode = keyof typeof MESSAGES;

/** The reason's text with its details filled in (template.ts); a missing detail is a TemplateError. */
export function formatMessage(code: ReasonCode, details: TemplateValues = {}): string {
  return renderTemplate(MESSAGES[code], details);
}
