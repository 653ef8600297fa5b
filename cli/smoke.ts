// `edgepass smoke`: checks a deployed distribution (or the local stack) end to end with a token the operator
// supplies, and prints one row per step. Trust boundary: the token goes only to --url (and never to S3); the output
// never holds it, nor cookies, signatures or presigned URLs (cli/smoke/recorder.ts masks them).
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { EdgepassError } from '../common/errors.ts';
import { choiceOption, flag, integerOption, parse, stringOption, UsageError } from './args.ts';
import type { Parsed } from './args.ts';
import type { Command } from './command.ts';
import type { Io } from './io.ts';
import * as check from './smoke/options.ts';
import { renderJson, renderTable } from './smoke/render.ts';
import { runSmoke } from './smoke/run.ts';
import type { SmokePlan, UploadPlan } from './smoke/types.ts';

const TOKEN_VARIABLE = 'EDGEPASS_SMOKE_TOKEN';

const help = `Usage: edgepass smoke --url URL --attraction ID [--token-file FILE | --token JWT] [options]

Checks a distribution end to end with a token you supply: a public file is served; a protected object is refused
without credentials; a bearer token gets a 302 to a signed URL that serves it (and a changed signature is refused);
a session cookie gets a 302 with CloudFront cookies that serve it; /_edgepass/grant gives cookies that serve it;
another attraction is refused; a file goes up and comes back through /api (then is deleted); sign-out clears the
cookies. One row per step; exit code 0 only when no step failed. The token, cookies, signatures and presigned
URLs are never printed.

Options:
  --url URL                the distribution: https://cdn.example.com (http only for loopback: the local stack)
  --token-file FILE        a file holding the JWT (or set ${TOKEN_VARIABLE}; --token JWT works but lands in
                           your shell history)
  --attraction ID          an attraction the token has a ticket for
  --other-attraction ID    one it has no ticket for (its steps are skipped without it)
  --path PATH              the object under the attraction (default: index.html)
  --public-path PATH       a public path (default: /)
  --prefix PREFIX          the protected prefix (default: /attractions/)
  --session-cookie NAME    the session cookie's name (default: session; deployments may use __Host-session)
  --upload-purpose NAME    an origin API purpose, e.g. passport (the upload steps are skipped without it)
  --upload-type TYPE       the upload's Content-Type, one the purpose allows (default: image/png)
  --upload-method METHOD   PUT (default) or POST (form upload)
  --timeout SECONDS        per request (default: 10)
  --json                   print the report as JSON
  -h, --help               show this help

Examples:
  EDGEPASS_SMOKE_TOKEN=$(npx edgepass token --sub smoke --tickets giants-causeway) \\
    npx edgepass smoke --url http://localhost:8080 --attraction giants-causeway \\
    --other-attraction titanic-belfast --upload-purpose passport
  npx edgepass smoke --url https://cdn.example.com --token-file ~/.smoke-token --attraction 42 \\
    --other-attraction 7 --session-cookie __Host-session --json`;

const options = {
  url: { type: 'string' },
  token: { type: 'string' },
  'token-file': { type: 'string' },
  attraction: { type: 'string' },
  'other-attraction': { type: 'string' },
  path: { type: 'string' },
  'public-path': { type: 'string' },
  prefix: { type: 'string' },
  'session-cookie': { type: 'string' },
  'upload-purpose': { type: 'string' },
  'upload-type': { type: 'string' },
  'upload-method': { type: 'string' },
  timeout: { type: 'string' },
  json: { type: 'boolean' },
} as const;

const MAX_TOKEN_FILE_BYTES = 16_384;

async function readToken(parsed: Parsed, io: Io): Promise<string> {
  const inline = stringOption(parsed, 'token');
  const file = stringOption(parsed, 'token-file');
  if (inline !== undefined && file !== undefined) throw new UsageError('give --token or --token-file, not both');
  if (inline !== undefined) {
    io.err('edgepass smoke: note: --token lands in shell history; prefer --token-file or EDGEPASS_SMOKE_TOKEN\n');
    return check.jwtShape('--token', inline);
  }
  if (file !== undefined) {
    const path = resolve(io.cwd, file);
    const bytes = await readFile(path).catch((error: unknown) => {
      const code = (error as { code?: unknown }).code;
      throw new EdgepassError('cli_read_failed', `cannot read token file ${path} (${String(code)})`);
    });
    if (bytes.length > MAX_TOKEN_FILE_BYTES) throw new UsageError('--token-file is too large for a token');
    return check.jwtShape('--token-file', bytes.toString('utf8'));
  }
  const variable = io.env[TOKEN_VARIABLE];
  if (variable !== undefined && variable !== '') return check.jwtShape(TOKEN_VARIABLE, variable);
  throw new UsageError(`a token is required: --token-file FILE, ${TOKEN_VARIABLE}, or --token`);
}

function uploadPlan(parsed: Parsed, io: Io): UploadPlan | undefined {
  const name = stringOption(parsed, 'upload-purpose');
  const contentType = check.mediaType(stringOption(parsed, 'upload-type') ?? 'image/png');
  const method = choiceOption(parsed, 'upload-method', ['PUT', 'POST'] as const) ?? 'PUT';
  if (name === undefined) return undefined;
  const extension = { 'image/png': 'png', 'image/jpeg': 'jpg' }[contentType] ?? 'bin';
  // Unique bytes per run: reading back someone else's (or an older run's) object cannot pass.
  const marker = `edgepass smoke ${new Date(io.nowMs()).toISOString()} ${randomBytes(12).toString('hex')}\n`;
  const body = new TextEncoder().encode(marker);
  return { purpose: check.purpose(name), contentType, method, filename: `edgepass-smoke.${extension}`, body };
}

async function plan(parsed: Parsed, io: Io): Promise<SmokePlan> {
  const other = stringOption(parsed, 'other-attraction');
  return {
    origin: check.targetOrigin(stringOption(parsed, 'url')),
    attraction: check.attractionId('attraction', stringOption(parsed, 'attraction')),
    otherAttraction: other === undefined ? undefined : check.attractionId('other-attraction', other),
    path: check.relativePath('path', stringOption(parsed, 'path') ?? 'index.html'),
    publicPath: check.publicPath(stringOption(parsed, 'public-path') ?? '/'),
    prefix: check.prefix(stringOption(parsed, 'prefix') ?? '/attractions/'),
    sessionCookie: check.cookieName(stringOption(parsed, 'session-cookie') ?? 'session'),
    upload: uploadPlan(parsed, io),
    timeoutMs: (integerOption(parsed, 'timeout', 1, 120) ?? 10) * 1000,
    token: await readToken(parsed, io),
  };
}

export const smoke: Command = {
  name: 'smoke',
  help,
  run: async (args, io) => {
    const parsed = parse(args, options, 0);
    if (flag(parsed, 'help')) {
      io.out(`${help}\n`);
      return 0;
    }
    const target = await plan(parsed, io);
    if (target.otherAttraction === target.attraction) {
      throw new UsageError('--other-attraction must differ from --attraction');
    }
    const report = await runSmoke(target, { fetch: globalThis.fetch, nowMs: io.nowMs });
    const heading = {
      origin: target.origin,
      attraction: target.attraction,
      object: `${target.prefix}${target.attraction}/${target.path}`,
      token: check.tokenLifetime(target.token, io.nowMs()),
    };
    io.out(flag(parsed, 'json') ? renderJson(heading, report) : renderTable(heading, report));
    return report.ok ? 0 : 1;
  },
};
