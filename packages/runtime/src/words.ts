// banned_words_file: one word per line, `#` comments and blank lines skipped.
import { readSmallFile } from './files.js';

export function readBannedWords(path: string): string[] {
  if (path === '') return [];
  return readSmallFile(path, 'banned_words_file').split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
}
