// `npm start`: runs the whole local stack (dev only) until Ctrl-C or SIGTERM. Its environment (PORT, S3_PORT,
// API_PORT, IDP_PORT, APP_ORIGINS, EDGEPASS_STATE_DIR) is read by local/stack-env.ts, as `edgepass dev` reads it.
// Also exports startStack for `edgepass dev`.
import { pathToFileURL } from 'node:url';
import { EdgepassError } from '../common/errors.ts';
import { stackEnvironment } from './stack-env.ts';
import { startStack } from './stack.ts';
import type { Stack } from './stack.ts';
import { stopOnSignals } from './stop-signals.ts';

export { startStack } from './stack.ts';
export type { Stack, StackOptions } from './stack.ts';

export function banner(stack: Stack): string {
  const cdn = stack.urls.cdn;
  return [
    '',
    `edgepass local stack is up (dev only: dev keys in ${stack.stateDir}, nothing from AWS)`,
    `the CDK app's template was ${stack.synthesis.reused ? 'reused (config and code unchanged)' : 'synthesized'} in ${String(Math.round(stack.synthesis.elapsedMs))} ms; everything below runs from it`,
    '',
    `  CDN (CloudFront emulator, edge bundle ${String(stack.bundleBytes)} B)  ${cdn}`,
    `  S3 (s3rver behind the IAM and CORS gate)    ${stack.urls.s3}`,
    `  origin API (function URL, OAC-signed)       ${stack.urls.api}   (through the CDN: ${cdn}/api/)`,
    `  dev identity provider                       ${stack.urls.idp}   (through the CDN: ${cdn}/_dev/)`,
    `  OpenID Provider (users alice, bob, carol)   ${cdn}/_dev/oidc/.well-known/openid-configuration`,
    `  app origins allowed (APP_ORIGINS)           ${stack.appOrigins.join(', ') || 'none'}`,
    '',
    'Try:',
    `  open ${cdn}/                          the demo: sign in, load attractions, upload a passport`,
    `  open ${cdn}/attractions/giants-causeway/index.html`,
    `  TOKEN=$(curl -s "${cdn}/_dev/token?user=alice&tickets=giants-causeway" | node -pe 'JSON.parse(require("fs").readFileSync(0)).token')`,
    `  curl -L -H "Authorization: Bearer $TOKEN" ${cdn}/attractions/giants-causeway/waves.m4a -o waves.m4a`,
    '',
    'Press Ctrl-C to stop.',
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const env = stackEnvironment(process.env);
  const print = (line: string) => {
    process.stdout.write(`${line}\n`);
  };
  const stack = await startStack({ ...env, log: print });
  // Listening for signals before saying "Press Ctrl-C": on Linux a write to a pipe is synchronous, so whoever reads
  // the banner may signal at once, and a signal with no listener would kill the process (no clean stop, no exit 0).
  stopOnSignals({
    source: process,
    stop: () => stack.stop(),
    exit: (code) => process.exit(code),
    log: print,
    nowMs: () => Date.now(),
  });
  process.stdout.write(banner(stack));
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(entry).href) {
  main().catch((error: unknown) => {
    const message = error instanceof EdgepassError ? error.message : String(error);
    process.stderr.write(`edgepass: the local stack could not start: ${message}\n`);
    process.exit(1);
  });
}
