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
