import { formatMessage, MESSAGES } from '../src/messages.js';

describe('message table', () => {
  it('fills placeholders from details', () => {
    expect(formatMessage('too_short', { min: 12, length: 5 })).toBe(
      'Too short: use at least 12 characters (this one has 5).',
    );
  });
  it('has no message that would echo a password placeholder', () => {
    for (const text of Object.values(MESSAGES)) expect(text).not.toMatch(/\{password\}/);
  });
});
