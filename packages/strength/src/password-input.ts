// Which bytes of a piped password are framing, not password: the one rule that `pwguard check`,
// `hash verify`, the PAM hook and the resident checker share, so every entry point judges the same
// password. (JSON bodies carry a string with no framing: the web server takes it as sent.)

/**
 * The password in bytes read from a pipe: one trailing "\n" or "\r\n" (echo, printf '%s\n', a
 * Windows editor) or one trailing NUL (a C caller's terminator) is dropped; anything before it is
 * the password, so "pw\n\n" is the password "pw\n".
 */
export function passwordFromInput(bytes: Uint8Array): Uint8Array {
  const n = bytes.length;
  if (n > 0 && bytes[n - 1] === 0x00) return bytes.subarray(0, n - 1);
  if (n > 1 && bytes[n - 2] === 0x0d && bytes[n - 1] === 0x0a) return bytes.subarray(0, n - 2);
  if (n > 0 && bytes[n - 1] === 0x0a) return bytes.subarray(0, n - 1);
  return bytes;
}
