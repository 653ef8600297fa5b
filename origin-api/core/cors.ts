// CORS for browser apps on other origins calling /api/* with bearer tokens (Fetch Standard, "CORS protocol").
// Trust boundary: Origin is viewer input, matched byte for byte against the configured list; the API never allows
// credentials (it reads bearer tokens only, never cookies), so a listed origin is told nothing a token does not earn.
import { empty, problem } from './respond.ts';
import type { ApiRequest, ApiResponse } from './types.ts';

// x-amz-content-sha256: behind CloudFront's origin access control for Lambda function URLs, a PUT/POST body must
// carry the viewer's payload hash (CloudFront Developer Guide, "Restrict access to an AWS Lambda function URL origin").
const ALLOW_HEADERS = 'authorization, content-type, x-amz-content-sha256';
/** Ten minutes: fewer preflights, and a shortened origin list still applies soon. */
const MAX_AGE_SECONDS = '600';

/**
 * An OPTIONS request from a page on another origin. Origin alone marks it: the answer does not depend on the
 * Access-Control-Request-* headers (the route's methods and the fixed header list are granted whatever is asked).
 */
export function isPreflight(request: ApiRequest): boolean {
  return request.method === 'OPTIONS' && request.headers.origin !== undefined;
}

const listed = (origin: string | undefined, appOrigins: ReadonlySet<string>): origin is string =>
  origin !== undefined && appOrigins.has(origin);

/**
 * Answered before authentication: a browser sends no Authorization header on a preflight (Fetch Standard,
 * "CORS-preflight request"). `methods` are the route's, undefined for an unknown path. An unlisted origin gets a
 * 403 without CORS headers, so the browser never sends the real request.
 */
export function preflight(
  request: ApiRequest,
  appOrigins: ReadonlySet<string>,
  methods: string | undefined,
): ApiResponse {
  const { origin } = request.headers;
  if (!listed(origin, appOrigins)) {
    return problem(403, 'cors_origin_not_allowed', 'This origin may not call the API from a browser.');
  }
  if (methods === undefined) return problem(404, 'not_found', 'No such endpoint.');
  return empty(204, {
    'access-control-allow-origin': origin,
    'access-control-allow-methods': methods,
    'access-control-allow-headers': ALLOW_HEADERS,
    'access-control-max-age': MAX_AGE_SECONDS,
    vary: 'Origin',
  });
}

/** Any other answer to a listed origin is readable, with `Location` (where a 302 to a presigned URL points). */
export function withCors(request: ApiRequest, appOrigins: ReadonlySet<string>, response: ApiResponse): ApiResponse {
  const { origin } = request.headers;
  if (!listed(origin, appOrigins)) return response;
  const cors = { 'access-control-allow-origin': origin, 'access-control-expose-headers': 'Location', vary: 'Origin' };
  return { ...response, headers: { ...response.headers, ...cors } };
}
