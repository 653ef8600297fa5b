// `edgepass <command>`: dispatches to one command, maps errors to exit codes (2 usage, 1 failure) and prints
// them without secrets. Trust boundary: argv is untrusted text; only our own error messages reach stderr.
import { EdgepassError } from '../common/errors.ts';
import { UsageError } from './args.ts';
import type { Command } from './command.ts';
import type { ExitCode, Io } from './io.ts';
import { dev } from './dev.ts';
import { keygen } from './keygen.ts';
import { signCookies } from './sign-cookies.ts';
import { signUrl } from './sign-url.ts';
import { token } from './token.ts';
import { verify } from './verify.ts';

const commands: readonly Command[] = [keygen, token, signUrl, signCookies, verify, dev];

function overview(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `Usage: edgepass <command> [options]

Commands:
${lines.join('\n')}

Run "edgepass <command> --help" for a command's options and examples.
`;
}

/** What a failure may print: our own messages (written never to hold secrets), otherwise only the error's kind. */
function describe(error: unknown): string {
  // ConfigError's message lists its problems, which name settings but never quote key material.
  if (error instanceof EdgepassError || error instanceof TypeError) return error.message;
  const code = (error as { code?: unknown }).code;
  return `unexpected ${error instanceof Error ? error.name : 'error'}${typeof code === 'string' ? ` (${code})` : ''}`;
}

export async function main(argv: readonly string[], io: Io): Promise<ExitCode> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.err : io.out)(overview());
    return name === undefined ? 2 : 0;
  }
  const command = commands.find((c) => c.name === name);
  if (command === undefined) {
    io.err(`edgepass: unknown command "${name.slice(0, 40)}"\n\n${overview()}`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`edgepass ${command.name}: ${error.message}\nRun "edgepass ${command.name} --help" for usage.\n`);
      return 2;
    }
    io.err(`edgepass ${command.name}: ${describe(error)}\n`);
    return 1;
  }
}
