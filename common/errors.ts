// Error types shared by every part: one base class with a stable `code`; messages never carry secrets.
// Caller mistakes (wrong argument types) throw TypeError instead.

export class EdgepassError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'EdgepassError';
    this.code = code;
  }
}

/** Bad configuration: every problem found, reported at once, before anything is built or deployed. */
export class ConfigError extends EdgepassError {
  readonly problems: readonly string[];

  constructor(problems: readonly string[], subject = 'configuration') {
    super('config_invalid', `invalid ${subject}:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}
