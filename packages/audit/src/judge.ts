// How a found password is judged against today's policy: injected by the caller (the CLI passes
// the configured @pwguard/strength checker), so the audit and the PAM hook say the same thing.
import type { CheckContext, Verdict } from '@pwguard/strength';

export type Judge = (password: string, context: CheckContext) => Promise<Judgement>;

/** A verdict, and whether the breach rule could not run (then the verdict is made without it). */
export interface Judgement extends Verdict {
  /** Why the breach lookup failed; the account gets a `breach_unchecked` finding. */
  readonly breachUnchecked?: string;
}

/** The breach store the audit can use: digest lookups for unsalted hashes, counts for found passwords. */
export interface BreachSource {
  readonly kind?: 'sha1' | 'ntlm';
  readonly description: string;
  countDigest?(hex: string): number;
  count(password: string): Promise<number>;
  close?(): void | Promise<void>;
}
