// `edgepass dev rotate-idp-keys`: asks the running local stack (on PORT, as `npm start` reads it) to rotate its dev
// OpenID Provider's signing key. Prints the old and new kid, never key material. Loopback only.
import { EdgepassError } from '../common/errors.ts';
import { ADMIN_HEADER, ROTATE_PATH } from '../local/oidc/admin.ts';
import { stackEnvironment } from '../local/stack-env.ts';
import { flag, integerOption, parse } from './args.ts';
import type { Command } from './command.ts';

const help = `Usage: edgepass dev rotate-idp-keys [--port PORT]

Rotates the signing key of the running local stack's dev OpenID Provider: a new key signs from now on, and the
previous one stays published in its JWKS for a grace period (a day by default), then is dropped. No restart.

Options:
  --port PORT   the local stack's CDN port (default: PORT, else 8080)
  -h, --help    show this help

Example:
  edgepass dev rotate-idp-keys`;

interface Answer {
  readonly previousKid?: unknown;
  readonly currentKid?: unknown;
  readonly previousPublishedUntil?: unknown;
  readonly message?: unknown;
}

export const rotateIdpKeys: Command = {
  name: 'dev rotate-idp-keys',
  help,
  run: async (args, io) => {
    const parsed = parse(args, { port: { type: 'string' } }, 0);
    if (flag(parsed, 'help')) {
      io.out(`${help}\n`);
      return 0;
    }
    const port = integerOption(parsed, 'port', 1, 65_535) ?? stackEnvironment(io.env).port;
    const url = `http://127.0.0.1:${String(port)}${ROTATE_PATH}`;
    const res = await fetch(url, { method: 'POST', headers: { [ADMIN_HEADER]: '1' } }).catch(() => undefined);
    if (res === undefined) {
      throw new EdgepassError(
        'cli_stack_unreachable',
        `no local stack answers on port ${String(port)}: start it with "edgepass dev"`,
      );
    }
    const answer = (await res.json().catch(() => ({}))) as Answer;
    if (res.status !== 200 || typeof answer.previousKid !== 'string' || typeof answer.currentKid !== 'string') {
      const why = typeof answer.message === 'string' ? answer.message : `HTTP ${String(res.status)}`;
      throw new EdgepassError('cli_rotation_refused', `the stack on port ${String(port)} did not rotate: ${why}`);
    }
    io.out(`rotated the dev IdP signing key: ${answer.previousKid} -> ${answer.currentKid}\n`);
    io.out(`${answer.previousKid} stays published until ${String(answer.previousPublishedUntil)}\n`);
    return 0;
  },
};
