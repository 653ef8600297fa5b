// `edgepass dev` (= `npm start`): runs the local stack from local/start.ts until Ctrl-C. Dev only: dev keys in
// .edgepass/ under the working directory, every server on 127.0.0.1.
import { join } from 'node:path';
import { flag, parse, integerOption } from './args.ts';
import type { Command } from './command.ts';
import { DEV_STATE_DIR } from './dev-keys.ts';

const help = `Usage: edgepass dev [--port PORT]

Starts the local stack (same as "npm start"): the CloudFront emulator running the real edge bundle, S3 (s3rver),
the origin API and the dev identity provider, on 127.0.0.1, with dev keys in .edgepass/. Ctrl-C stops it.

Options:
  --port PORT   the CDN port (default: 8080; 0 picks a free port)
  -h, --help    show this help

Example:
  edgepass dev --port 8081`;

export const dev: Command = {
  name: 'dev',
  help,
  run: async (args, io) => {
    const parsed = parse(args, { port: { type: 'string' } }, 0);
    if (flag(parsed, 'help')) {
      io.out(`${help}\n`);
      return 0;
    }
    const port = integerOption(parsed, 'port', 0, 65_535) ?? 8080;
    // Loaded here, not at the top: the stack pulls in s3rver, the AWS SDK and esbuild, which --help need not pay for.
    const { banner, startStack } = await import('../local/start.ts');
    // Listen for Ctrl-C before starting, so an early one still shuts every started part down cleanly.
    const interrupted = io.interrupted();
    const stack = await startStack({
      port,
      stateDir: join(io.cwd, DEV_STATE_DIR),
      nowMs: io.nowMs,
      log: (line) => {
        io.err(`${line}\n`);
      },
    });
    io.out(banner(stack));
    await interrupted;
    io.err('stopping the local stack...\n');
    await stack.stop();
    io.err('stopped.\n');
    return 0;
  },
};
