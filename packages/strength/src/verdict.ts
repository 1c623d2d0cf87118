// The plain-data results every entry point (library, CLI, PAM hook, web form, auditor) shares.

import type { ReasonCode } from './messages.js';

/** One reason a password is refused (or, with enforcing = 0, warned about). */
export interface Reason {
  /** Stable machine-readable code, e.g. `too_short`, `breached`, `contains_context`. */
  readonly code: ReasonCode;
  /** English text from the one message table (see messages.ts). Never contains the password. */
  readonly message: string;
  /** Rule-specific details that are safe to show: limits, counts, which kind of context word. */
  readonly [detail: string]: unknown;
}

export interface Feedback {
  readonly warning: string | null;
  readonly suggestions: readonly string[];
}

export interface Verdict {
  /** True when no rule refused the password. */
  readonly ok: boolean;
  /**
   * False when the policy only warns (enforcing = 0, or root without enforce_for_root):
   * the entry point then accepts the password but shows the reasons.
   */
  readonly enforced: boolean;
  readonly reasons: readonly Reason[];
  /** zxcvbn-compatible score 0-4 (null when the password was refused before scoring). */
  readonly score: number | null;
  /** log10 of the estimated guesses (null when not estimated). */
  readonly guessesLog10: number | null;
  readonly feedback: Feedback;
}

/** Who the password is for: drives the context-word rule and enforce_for_root. */
export interface CheckContext {
  /** Login name. */
  readonly user?: string;
  /** GECOS field (full name, room, phones), as in the passwd database. */
  readonly gecos?: string;
  /** More words tied to the user (e.g. mail address, display name). */
  readonly extraWords?: readonly string[];
  /** True when root (not the user) is setting the password: pwquality's enforce_for_root. */
  readonly byRoot?: boolean;
  /**
   * The password being replaced, where the entry point has it (the PAM module: PAM_OLDAUTHTOK when
   * users change their own). A new one too similar to it is refused (`too_similar_to_old`, policy
   * key difok). Only compared, never stored, shown or logged.
   */
  readonly oldPassword?: string;
}

/**
 * Where the breach rule asks how often a password was seen in breaches.
 * Implemented by @pwguard/breach (local store, embedded list) and by the browser's
 * k-anonymity range client. Must never log or send the password itself.
 */
export interface BreachLookup {
  /** Times seen in breaches; 0 when not found. */
  count(password: string): Promise<number>;
  /** What is in use, for `pwguard policy show`, e.g. "store /var/lib/pwguard/hibp.pwg (sha1, 1.1e9 entries)". */
  readonly description: string;
}
