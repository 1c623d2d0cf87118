import { groupDigits, renderTemplate, TemplateError, templateNames } from '../src/template.js';

describe('renderTemplate', () => {
  it('groups the digits of integers, and keeps plain values as written', () => {
    expect(renderTemplate('top {n} guesses, since {year:plain}', { n: 2000, year: 2024 })).toBe('top 2,000 guesses, since 2024');
  });
  it('chooses the word that agrees with the number', () => {
    expect(renderTemplate('Seen {count} {count|time|times}.', { count: 1 })).toBe('Seen 1 time.');
    expect(renderTemplate('Seen {count} {count|time|times}.', { count: 1234567 })).toBe('Seen 1,234,567 times.');
    expect(renderTemplate('{n} other {n|account|accounts}', { n: 0 })).toBe('0 other accounts');
  });
  it('joins lists', () => {
    expect(renderTemplate('users: {users}', { users: ['ann', 'bob'] })).toBe('users: ann, bob');
  });
  it('refuses a missing value instead of leaving a hole or a brace', () => {
    expect(() => renderTemplate('at least {min} characters', {})).toThrow(TemplateError);
    expect(() => renderTemplate('at least {min} characters', { min: null })).toThrow(/"min" is missing/);
  });
  it('refuses a plural of something that is not a number', () => {
    expect(() => renderTemplate('{n|a|b}', { n: '2' })).toThrow(TemplateError);
  });
  it('lists the names a template needs', () => {
    expect(templateNames('{a} {b:plain} {a|x|y}')).toEqual(['a', 'b']);
  });
  it('groups negative and small integers, leaves fractions', () => {
    expect(groupDigits(-1234)).toBe('-1,234');
    expect(groupDigits(999)).toBe('999');
    expect(groupDigits(1.5)).toBe('1.5');
  });
});
