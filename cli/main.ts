// `edgepass <command>`: dispatches to one command, maps errors to exit codes (2 usage, 1 failure) and prints
// them without secrets. Trust boundary: argv is untrusted text; only our own error messages reach stderr.
import { EdgepassError } from '../common/errors.ts';
import { UsageError } from './args.ts';
import type { Command } from './command.ts';
import type { ExitCode, Io } from './io.ts';

interface Entry {
  readonly name: string;
  readonly summary: string;
  /** Loaded on demand: `dev` pulls in the whole local stack (s3rver, esbuild), which `token` should not pay for. */
  readonly load: () => Promise<Command>;
}

const commands: readonly Entry[] = [
  {
    name: 'keygen',
    summary: 'generate an RSA-2048 or ECDSA P-256 key pair for CloudFront (PEM)',
    load: async () => (await import('./keygen.ts')).keygen,
  },
  {
    name: 'token',
    summary: 'print a dev identity provider JWT with ticket claims for the local stack',
    load: async () => (await import('./token.ts')).token,
  },
  {
    name: 'sign-url',
    summary: 'print a CloudFront signed URL',
    load: async () => (await import('./sign-url.ts')).signUrl,
  },
  {
    name: 'sign-cookies',
    summary: 'print CloudFront signed cookies (Set-Cookie lines, header or JSON)',
    load: async () => (await import('./sign-cookies.ts')).signCookies,
  },
  {
    name: 'verify',
    summary: 'explain whether CloudFront would accept a signed URL or signed cookies',
    load: async () => (await import('./verify.ts')).verify,
  },
  {
    name: 'versions',
    summary: 'list the Lambda@Edge authorizer versions and what uses them; prune the unused ones (AWS)',
    load: async () => (await import('./versions/command.ts')).versions,
  },
  {
    name: 'smoke',
    summary: 'check a distribution end to end with a token',
    load: async () => (await import('./smoke.ts')).smoke,
  },
  {
    name: 'dev',
    summary: 'run the local stack (CloudFront emulator, S3, origin API, dev IdP) until Ctrl-C',
    load: async () => (await import('./dev.ts')).dev,
  },
];

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
  const entry = commands.find((c) => c.name === name);
  if (entry === undefined) {
    io.err(`edgepass: unknown command "${name.slice(0, 40)}"\n\n${overview()}`);
    return 2;
  }
  try {
    return await (await entry.load()).run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`edgepass ${entry.name}: ${error.message}\nRun "edgepass ${entry.name} --help" for usage.\n`);
      return 2;
    }
    io.err(`edgepass ${entry.name}: ${describe(error)}\n`);
    return 1;
  }
}
