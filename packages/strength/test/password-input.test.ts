import { passwordFromInput } from '../src/password-input.js';

const b = (s: string): Uint8Array => new TextEncoder().encode(s);
const s = (u: Uint8Array): string => new TextDecoder().decode(u);

test.each([
  ['pw', 'pw'],
  ['pw\n', 'pw'],
  ['pw\r\n', 'pw'],
  ['pw\0', 'pw'],
  ['pw\n\n', 'pw\n'],
  ['pw\r', 'pw\r'],
  ['pw\n\0', 'pw\n'],
  ['\n', ''],
  ['', ''],
])('%j is the password %j', (input, expected) => {
  expect(s(passwordFromInput(b(input)))).toBe(expected);
});
