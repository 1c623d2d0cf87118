// Problems found while reading a source: reported with file and line, the rest is still read.

export interface SourceProblem {
  /** File path or LDAP URL. */
  readonly where: string;
  readonly line?: number;
  readonly message: string;
}

/** Thrown when a whole source cannot be read (missing file, LDAP down): the run stops, exit 2. */
export class SourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SourceError';
  }
}

/** Split a file into lines, keeping 1-based numbers; a final newline makes no extra line. */
export function numberedLines(text: string): Array<{ line: number; text: string }> {
  const lines = text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.map((t, i) => ({ line: i + 1, text: t }));
}

/**
 * Decode UTF-8 strictly, line by line: a line with invalid bytes is reported and blanked (so line
 * numbers still match the file), never guessed at.
 */
export function decodeUtf8(buf: Buffer, where: string, problems: SourceProblem[]): string {
  const dec = new TextDecoder('utf-8', { fatal: true });
  try {
    return dec.decode(buf);
  } catch {
    const lines: string[] = [];
    let start = 0;
    for (let i = 0; i <= buf.length; i++) {
      if (i < buf.length && buf[i] !== 0x0a) continue;
      try {
        lines.push(dec.decode(buf.subarray(start, i)));
      } catch {
        problems.push({ where, line: lines.length + 1, message: 'not valid UTF-8: line skipped' });
        lines.push('');
      }
      start = i + 1;
    }
    return lines.join('\n');
  }
}
