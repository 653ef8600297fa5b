// `edgepass dev` (= `npm start`): runs the local stack from local/start.ts until Ctrl-C. Dev only: dev keys in
// .edgepass/ under the working directory, every server on 127.0.0.1. Reads the same environment as `npm start`
// (local/stack-env.ts); --port wins over PORT.
import { flag, parse, integerOption } from './args.ts';
import type { Command } from './command.ts';
import { devStateDir } from './dev-keys.ts';
import { stackEnvironment } from '../local/stack-env.ts';

const help = `Usage: edgepass dev [--port PORT]
       edgepass dev rotate-idp-keys [--port PORT]

Starts the local stack (same as "npm start"): the CloudFront emulator running the real edge bundle, S3 (s3rver),
the origin API and the dev identity provider (an OpenID Provider at http://localhost:PORT/_dev/oidc), on
127.0.0.1, with dev keys in .edgepass/. Ctrl-C stops it. "rotate-idp-keys" rotates the running provider's signing
key (see "edgepass dev rotate-idp-keys --help").

Options:
  --port PORT   the CDN port (default: PORT, else 8080; 0 picks a free port)
  -h, --help    show this help

Environment (as for "npm start"):
  PORT, S3_PORT, API_PORT, IDP_PORT   the CDN's and the other servers' ports (default 8080, then free ports)
  APP_ORIGINS                         comma-separated browser app origins (default http://localhost:5173)
  EDGEPASS_STATE_DIR                  the dev state folder (default .edgepass)

Example:
  edgepass dev --port 8081`;

export const dev: Command = {
  name: 'dev',
  help,
  run: async (args, io) => {
    if (args[0] === 'rotate-idp-keys') return (await import('./dev-rotate.ts')).rotateIdpKeys.run(args.slice(1), io);
    const parsed = parse(args, { port: { type: 'string' } }, 0);
    if (flag(parsed, 'help')) {
      io.out(`${help}\n`);
      return 0;
    }
    const env = stackEnvironment(io.env);
    const port = integerOption(parsed, 'port', 0, 65_535) ?? env.port;
    // Loaded here, not at the top: the stack pulls in s3rver, the AWS SDK and esbuild, which --help need not pay for.
    const { banner, startStack } = await import('../local/start.ts');
    // Listen for Ctrl-C before starting, so an early one still shuts every started part down cleanly.
    const interrupted = io.interrupted();
    const stack = await startStack({
      ...env,
      port,
      stateDir: devStateDir(io),
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
