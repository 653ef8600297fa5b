// The shape every CLI command has: a name, its help text, and a run function over an Io (see io.ts).
import type { ExitCode, Io } from './io.ts';

export interface Command {
  readonly name: string;
  /** Full `--help` text: synopsis, options, examples. */
  readonly help: string;
  readonly run: (args: readonly string[], io: Io) => Promise<ExitCode>;
}
