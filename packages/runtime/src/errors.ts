// The runtime's typed errors. Each front end maps them to its own answer: the CLI to exit 2 with
// the message, the PAM hook to on_error, the web server to a 500/503. No message ever holds a
// password or a hash; each names the file (and line or key) and what is wrong.

/** The policy or one of the files it names cannot be used: fix the named file or key. */
export class ConfigError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConfigError';
  }
}
