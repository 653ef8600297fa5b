// AWS Lambda adapter behind a function URL (payload format 2.0): the only file that knows the event shape and
// reads the environment. Trust boundary: the event is the viewer's request; configuration comes from the deployment.
import type { APIGatewayProxyStructuredResultV2, LambdaFunctionURLEvent } from 'aws-lambda';

/** Function URLs share the HTTP API 2.0 response format; we always answer with the structured form. */
export type FunctionUrlResult = APIGatewayProxyStructuredResultV2;
import { createOriginApp } from './app.ts';
import type { OriginApp, OriginAppDeps } from './app.ts';
import { parseOriginConfig } from './config.ts';
import { problem } from './core/respond.ts';
import type { ApiRequest, ApiResponse } from './core/types.ts';
import { ConfigError } from '../common/errors.ts';

/** Decodes at most `limit` bytes of the body (base64 is cut on a 4-character boundary first). */
function bodyOf(event: LambdaFunctionURLEvent, limit: number): Uint8Array | undefined {
  if (event.body === undefined || event.body === '') return undefined;
  if (event.isBase64Encoded) {
    const chars = Math.ceil(limit / 3) * 4;
    return Buffer.from(event.body.slice(0, chars), 'base64').subarray(0, limit);
  }
  return Buffer.from(event.body.slice(0, limit), 'utf8').subarray(0, limit);
}

/**
 * Behind CloudFront the function URL's origin access control signs every origin request with SigV4 and so
 * overwrites `Authorization` (CloudFront API Reference, OriginAccessControlConfig SigningBehavior "always").
 * The CloudFront Function on `/api/*` (infra/api-auth-function.ts) moves the viewer's value here first and drops
 * any viewer-sent copy, so the bearer token is read from this header only, never from `Authorization`.
 */
export const FORWARDED_AUTHORIZATION_HEADER = 'x-edgepass-authorization';

function toApiRequest(event: LambdaFunctionURLEvent, maxRequestBytes: number): ApiRequest {
  const headers: Record<string, string> = {};
  for (const [raw, value] of Object.entries(event.headers)) {
    const name = raw.toLowerCase();
    if (value === undefined || name === 'authorization') continue;
    headers[name === FORWARDED_AUTHORIZATION_HEADER ? 'authorization' : name] = value;
  }
  return {
    method: event.requestContext.http.method,
    path: event.rawPath,
    query: new URLSearchParams(event.rawQueryString),
    headers,
    body: bodyOf(event, maxRequestBytes + 1),
    requestId: event.requestContext.requestId,
  };
}

function toResult(response: ApiResponse): FunctionUrlResult {
  return { statusCode: response.status, headers: { ...response.headers }, body: response.body, isBase64Encoded: false };
}

/** What a request that cannot be served at all gets: a bare 500, never a thrown error (Lambda would answer 502). */
const internalError = (): FunctionUrlResult =>
  toResult(problem(500, 'internal_error', 'The request could not be completed.'));

/** Wraps an app as a function-URL handler (tests pass their own app). Never throws: an odd event is a 500. */
export function createFunctionUrlHandler(app: OriginApp) {
  return async (event: LambdaFunctionURLEvent): Promise<FunctionUrlResult> => {
    let request: ApiRequest;
    try {
      request = toApiRequest(event, app.maxRequestBytes);
    } catch (error) {
      // Only the error's class: the event is viewer data.
      const name = error instanceof Error ? error.name : typeof error;
      console.error(JSON.stringify({ level: 'error', event: 'origin_api_event_invalid', error: name }));
      return internalError();
    }
    // The core itself never throws (origin-api/core/api.ts).
    return toResult(await app.handle(request));
  };
}

/**
 * Configuration: the JSON document in EDGEPASS_CONFIG_JSON (its `jwt` and `originApi` sections), the bucket in
 * EDGEPASS_BUCKET (set by the CDK app) and the region from the Lambda runtime's AWS_REGION. A bad configuration
 * throws here; the exported handler then answers every request 500 (closed, never open). The local stack
 * runs the same function from the template's environment, with its own credentials and S3 endpoint (`local`).
 */
export function appFromEnvironment(
  env: Readonly<Record<string, string | undefined>>,
  local: { readonly deps?: OriginAppDeps; readonly endpoint?: string } = {},
): OriginApp {
  const raw: unknown = JSON.parse(env.EDGEPASS_CONFIG_JSON ?? 'null');
  const config = parseOriginConfig(raw, {
    bucket: env.EDGEPASS_BUCKET,
    region: env.AWS_REGION,
    endpoint: local.endpoint,
  });
  return createOriginApp(config, local.deps);
}

let instance: ((event: LambdaFunctionURLEvent) => Promise<FunctionUrlResult>) | undefined;

export const handler = async (event: LambdaFunctionURLEvent): Promise<FunctionUrlResult> => {
  try {
    instance ??= createFunctionUrlHandler(appFromEnvironment(process.env));
  } catch (error) {
    // Fail closed with a 500, and say why in the log: a ConfigError lists problems, never a value from the config.
    const problems = error instanceof ConfigError ? error.problems : [error instanceof Error ? error.name : 'unknown'];
    console.error(JSON.stringify({ level: 'error', event: 'origin_api_config_invalid', problems }));
    return internalError();
  }
  return instance(event);
};
