// The checker runs in a worker: building zxcvbn's dictionaries takes a few hundred milliseconds,
// and the page must keep responding to typing meanwhile. The dictionaries are fetched on the
// first check (a separate chunk), not when the page loads.
import { createChecker, type CheckContext, type Checker } from '@pwguard/strength';
import { browserPolicy, type PageConfig } from '../page-config.js';
import { rangeLookup } from './range-lookup.js';

export interface CheckRequest {
  readonly id: number;
  readonly password: string;
  readonly context: CheckContext;
}

let checker: Promise<Checker> | undefined;

async function load(): Promise<Checker> {
  const res = await fetch('/api/policy');
  if (!res.ok) throw new Error(`GET /api/policy answered ${res.status}`);
  const config = (await res.json()) as PageConfig;
  return createChecker(browserPolicy(config.policy), {
    bannedWords: config.bannedWords,
    ...(config.range ? { breach: rangeLookup(config.range) } : {}),
  });
}

self.onmessage = async (event: MessageEvent<CheckRequest>) => {
  const { id, password, context } = event.data;
  try {
    checker ??= load().catch((err: unknown) => {
      checker = undefined;
      throw err;
    });
    const verdict = await (await checker).check(password, context);
    self.postMessage({ id, verdict });
  } catch (err) {
    self.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
};
