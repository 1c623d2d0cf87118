// zxcvbn-ts and its dictionaries, loaded on first use and once: the language packs are large
// (236k words; ~110 ms to load and ~170 ms to build in Node), and in a browser bundle they become
// a separate chunk through these dynamic imports.

import type { ZxcvbnLike } from './estimate.js';

/** Builds the estimator. Replaceable (e.g. by a faster prebuilt form) as long as it scores the same. */
export type ZxcvbnLoader = () => Promise<ZxcvbnLike>;

let shared: Promise<ZxcvbnLike> | null = null;

/** The standard loader: @zxcvbn-ts/core with language-common + language-en, built once per process. */
export const loadZxcvbn: ZxcvbnLoader = () => {
  shared ??= build().catch((err: unknown) => {
    shared = null; // let a later call try again
    throw err;
  });
  return shared;
};

async function build(): Promise<ZxcvbnLike> {
  const [core, common, en] = await Promise.all([
    import('@zxcvbn-ts/core'),
    import('@zxcvbn-ts/language-common'),
    import('@zxcvbn-ts/language-en'),
  ]);
  return new core.ZxcvbnFactory(zxcvbnOptions(common, en));
}

/** The options every loader must use so that every entry point scores alike. */
export function zxcvbnOptions(
  common: typeof import('@zxcvbn-ts/language-common'),
  en: typeof import('@zxcvbn-ts/language-en'),
) {
  return {
    dictionary: { ...common.dictionary, ...en.dictionary },
    graphs: common.adjacencyGraphs,
    translations: en.translations,
    // Our estimate reads leet itself (see estimate.ts); zxcvbn's l33t matcher costs seconds.
    l33tTable: {},
    l33tMaxSubstitutions: 0,
  };
}

/** The word list `pwguard generate` draws passphrases from, and what it is. */
export interface PassphraseWords {
  readonly words: readonly string[];
  /** For people: which list this is and where it comes from. */
  readonly source: string;
}

/**
 * The diceware list that ships inside @zxcvbn-ts/language-common (its `diceware-common`
 * dictionary): 7,776 distinct lower-case words of 3 to 9 letters, "abacus" to "zoom", the EFF
 * large wordlist (https://www.eff.org/dice). Read through the package, so it is the list pwguard
 * ships; zxcvbn knows these words too, so its estimate of a passphrase is never flattering.
 */
export async function loadPassphraseWords(): Promise<PassphraseWords> {
  const common = await import('@zxcvbn-ts/language-common');
  return {
    words: common.dictionary['diceware-common'],
    source: 'the EFF large wordlist (the diceware list in @zxcvbn-ts/language-common)',
  };
}
