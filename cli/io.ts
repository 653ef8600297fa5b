// The CLI's only contact with its process: output, working directory, environment, clock and interruption arrive
// as values, so commands never read process.* themselves (bin/edgepass.mjs builds the real one; tests run the real
// binary).

export interface Io {
  /** Normal output (the requested token, URL, cookies, report). */
  readonly out: (text: string) => void;
  /** Diagnostics and errors; never a secret. */
  readonly err: (text: string) => void;
  /** Directory that relative paths and the dev state (`.edgepass/`) are resolved against. */
  readonly cwd: string;
  /**
   * The process environment: the local stack's variables (local/stack-env.ts) and settings that must stay out of
   * argv (`EDGEPASS_SMOKE_TOKEN`).
   */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly nowMs: () => number;
  /** Resolves when the user asks a long-running command (`dev`) to stop (Ctrl-C / SIGTERM). */
  readonly interrupted: () => Promise<void>;
}

/** 0: success, 1: the operation failed (or `verify` found the signature invalid), 2: the command line was wrong. */
export type ExitCode = 0 | 1 | 2;
