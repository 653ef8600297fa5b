// Bundle entry of the Lambda@Edge function. Lambda@Edge has no environment variables (Developer Guide, "Restrictions
// on Lambda@Edge"), so the build bakes in the configuration that parseConfig validated and picks the key source.
import type { CloudFrontRequestEvent, CloudFrontResponseEvent } from 'aws-lambda';
import baked from 'edgepass:config';
import { createKeySource } from 'edgepass:key-source';
import { oidcFlow } from 'edgepass:oidc';
import type { EdgeConfig } from './config.ts';
import { createHandler } from './handler.ts';
import { createOriginResponseHandler, isOriginResponse } from './origin-response.ts';

export { createHandler } from './handler.ts';

const clock = () => Date.now();
const logger = (line: string) => {
  console.log(line);
};

const config = baked as EdgeConfig;
// Only buildEdgeBundle provides these modules, from parseConfig's output; createRuntime re-imports every public key
// and throws at cold start on anything unusable, so a bad bundle never serves. The private key is imported when the
// first request needs a signature (baked), or fetched once from here, at module scope, with the role credentials
// from the environment (Secrets Manager), which then also holds `oidc.clientSecret { jsonKey }`: one call for both.
const keySource = createKeySource(config.signer, { clock, logger, environment: () => process.env, fetch }, config.oidc);
// The share of log lines that carry decision metrics (deployment.monitoring.metricsSampleRate, 1 unless the
// deployment samples): an esbuild define, like the configuration baked in at build time.
// fetch reaches an issuer's jwksUri (an unknown kid) and, with sign-in at the edge, the OpenID Provider's token
// endpoint; `edgepass:oidc` is that flow (edge/core/oidc.ts), else null (edge/oidc-off.ts): without oidc it is left out.
const run = createHandler(config, {
  clock,
  logger,
  keySource,
  fetch,
  oidcFlow,
  metricsSampleRate: EDGEPASS_METRICS_SAMPLE_RATE,
});

const originResponse = createOriginResponseHandler(logger);

/** One function, two triggers (infra/behaviors.ts): viewer request decides access; origin response styles misses. */
export const handler = async (event: CloudFrontRequestEvent | CloudFrontResponseEvent) =>
  isOriginResponse(event) ? originResponse(event) : run(event);
