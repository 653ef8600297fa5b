// CORS for browser apps on other origins (Fetch Standard, "CORS protocol") on the paths this function guards:
// preflights, and the headers that let a listed app origin read a generated answer. Origin and the
// Access-Control-Request-* headers are viewer input; a preflight never looks at tokens, cookies or signatures.
import { deny, header } from './context.ts';
import type { Context } from './context.ts';
import { noContent } from './responses.ts';
import type { Decision, EdgeRequest } from './types.ts';

/** Protected objects are only read; the /_edgepass/ endpoints answer GET and POST. */
export const MEDIA_METHODS: readonly string[] = ['GET', 'HEAD'];
export const ENDPOINT_METHODS: readonly string[] = ['GET', 'POST'];
/** What an app may send: its bearer token, a JSON content type, a byte range (media players). */
const ALLOWED_HEADERS: ReadonlySet<string> = new Set(['authorization', 'content-type', 'range']);
/** Ten minutes: fewer preflights, and a shortened origin list still applies soon. */
const MAX_AGE_SECONDS = '600';
/** RFC 9110 §5.6.2 `token` (method and field names), bounded. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$/;
const MAX_REQUEST_HEADERS_CHARS = 1024;

/** An OPTIONS request that speaks CORS at all; whether it is a well-formed preflight is judged by `preflight`. */
export function isPreflight(req: EdgeRequest): boolean {
  return (
    req.method === 'OPTIONS' &&
    (header(req, 'origin') !== undefined || header(req, 'access-control-request-method') !== undefined)
  );
}

/** The lower-case names of Access-Control-Request-Headers, or undefined when the list is malformed. */
function requestedHeaders(value: string | undefined): string[] | undefined {
  if (value === undefined || value.trim() === '') return [];
  if (value.length > MAX_REQUEST_HEADERS_CHARS) return undefined;
  const names = value.split(',').map((name) => name.trim().toLowerCase());
  return names.every((name) => TOKEN.test(name)) ? names : undefined;
}

/**
 * 204 for a listed origin asking for an allowed method; the requested headers are echoed only as far as they are
 * allowed, so a browser refuses any other itself. Anything else is a 403 without CORS headers: the browser blocks
 * the real request, and no unlisted origin is ever told it may send credentials.
 */
export function preflight(ctx: Context, methods: readonly string[]): Decision {
  const origin = ctx.appOrigin;
  if (origin === undefined) return deny(ctx, { reason: 'cors_origin_not_allowed' });
  const method = header(ctx.req, 'access-control-request-method');
  const requested = requestedHeaders(header(ctx.req, 'access-control-request-headers'));
  if (method === undefined || !TOKEN.test(method) || requested === undefined) {
    return deny(ctx, { reason: 'cors_preflight_invalid' });
  }
  if (!methods.includes(method)) return deny(ctx, { reason: 'cors_method_not_allowed' });
  const allowed = [...new Set(requested.filter((name) => ALLOWED_HEADERS.has(name)))];
  return noContent(
    { reason: 'cors_preflight_allowed' },
    {
      'access-control-allow-origin': [origin],
      'access-control-allow-credentials': ['true'],
      'access-control-allow-methods': [methods.join(', ')],
      ...(allowed.length === 0 ? {} : { 'access-control-allow-headers': [allowed.join(', ')] }),
      'access-control-max-age': [MAX_AGE_SECONDS],
      vary: ['Origin, Access-Control-Request-Method, Access-Control-Request-Headers'],
    },
  );
}

/**
 * A generated answer to a listed app origin: readable (the reason code, the WWW-Authenticate challenge) and, for a
 * 302, followable by fetch, which checks CORS on the redirect itself (Fetch Standard, "HTTP fetch"). Credentials are
 * allowed because grants arrive as cookies. Pass-through responses get their CORS headers from the distribution.
 */
export function withCors(decision: Decision, appOrigin: string | undefined): Decision {
  if (appOrigin === undefined || decision.kind !== 'respond') return decision;
  const headers = {
    ...decision.headers,
    'access-control-allow-origin': [appOrigin],
    'access-control-allow-credentials': ['true'],
    'access-control-expose-headers': ['WWW-Authenticate'],
    vary: ['Origin'],
  };
  return { ...decision, headers };
}
