import { formatMessage, MESSAGES, type ReasonCode } from '../src/messages.js';
import { templateNames } from '../src/template.js';

describe('message table', () => {
  it('fills placeholders from details', () => {
    expect(formatMessage('too_short', { min: 12, length: 5 })).toBe(
      'Too short: use at least 12 characters (this one has 5).',
    );
  });
  it('has no message that would echo a password placeholder', () => {
    for (const text of Object.values(MESSAGES)) expect(text).not.toMatch(/\{password\}/);
  });
  it('says "1 time", not "1 times", and groups large counts', () => {
    expect(formatMessage('breached', { count: 1 })).toMatch(/^Seen 1 time in/);
    expect(formatMessage('breached', { count: 52_579 })).toMatch(/^Seen 52,579 times in/);
  });
  it('renders every message from the names it declares, and refuses a missing one', () => {
    for (const [code, text] of Object.entries(MESSAGES)) {
      const names = templateNames(text);
      const values = Object.fromEntries(names.map((n) => [n, 3]));
      expect(formatMessage(code as ReasonCode, values)).not.toMatch(/[{}]/);
      if (names.length > 0) expect(() => formatMessage(code as ReasonCode, {})).toThrow(/missing/);
    }
  });
});
