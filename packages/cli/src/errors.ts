// Errors that reach the user. Each names what and where; none ever contains a password or hash.

/** Exit codes shared by every command: cron and CI read them. */
export const EXIT = {
  ok: 0,
  /** Rejected password, weak accounts found, hash did not verify. */
  findings: 1,
  /** Bad usage, bad config, unreadable input, internal failure. */
  error: 2,
} as const;

/** A problem the user can fix: printed as one line, no stack trace, exit 2. */
export class UserError extends Error {
  constructor(message: string, readonly exitCode: number = EXIT.error) {
    super(message);
    this.name = 'UserError';
  }
}
