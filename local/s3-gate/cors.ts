// Bucket CORS, evaluated the way S3 evaluates it (S3 User Guide, "How does Amazon S3 evaluate the CORS configuration
// on a bucket?", "Elements of a CORS configuration"; S3 API Reference, "Appendix: OPTIONS object"). Input: the
// request's Origin/Access-Control-Request-* headers (untrusted); rules come resolved from the template.
import type { S3ErrorSpec } from './s3-errors.ts';
import type { CorsRule } from './types.ts';

type Headers = readonly (readonly [string, string])[];

const VARY = 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method';

export const CORS_NOT_ENABLED: S3ErrorSpec = {
  status: 403,
  code: 'AccessForbidden',
  message: 'CORSResponse: CORS is not enabled for this bucket.',
};
export const CORS_NOT_ALLOWED: S3ErrorSpec = {
  status: 403,
  code: 'AccessForbidden',
  message:
    'CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / ' +
    "Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.",
};
const NO_ORIGIN: S3ErrorSpec = {
  status: 400,
  code: 'BadRequest',
  message: 'Insufficient information. Origin request header needed.',
};
const NO_METHOD: S3ErrorSpec = {
  status: 400,
  code: 'BadRequest',
  message: 'Invalid Access-Control-Request-Method: null',
};

/** "The origin string can contain only one * wildcard character"; AllowedHeader strings likewise (User Guide). */
export function wildcardMatches(pattern: string, value: string, ignoreCase: boolean): boolean {
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const v = ignoreCase ? value.toLowerCase() : value;
  const star = p.indexOf('*');
  if (star === -1) return p === v;
  const head = p.slice(0, star);
  const tail = p.slice(star + 1);
  return v.length >= head.length + tail.length && v.startsWith(head) && v.endsWith(tail);
}

/** `Access-Control-Request-Headers` as S3 compares it: comma-separated names, case-insensitive. */
export function requestedHeaders(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h !== '');
}

interface Match {
  readonly rule: CorsRule;
  /** The AllowedOrigins entry that matched: `*` alone answers `Access-Control-Allow-Origin: *`. */
  readonly allowedOrigin: string;
}

/** The first rule whose origin, method and (every) requested header match: S3 uses the first matching CORSRule. */
export function matchCorsRule(
  rules: readonly CorsRule[],
  origin: string,
  method: string,
  headers: readonly string[],
): Match | undefined {
  for (const rule of rules) {
    const allowedOrigin = rule.AllowedOrigins.find((o) => wildcardMatches(o, origin, false));
    if (allowedOrigin === undefined || !rule.AllowedMethods.includes(method)) continue;
    const allowedHeaders = rule.AllowedHeaders ?? [];
    if (headers.every((h) => allowedHeaders.some((a) => wildcardMatches(a, h, true)))) return { rule, allowedOrigin };
  }
  return undefined;
}

function ruleHeaders(match: Match, origin: string): [string, string][] {
  const { rule } = match;
  const wildcard = match.allowedOrigin === '*';
  const out: [string, string][] = [
    ['Access-Control-Allow-Origin', wildcard ? '*' : origin],
    ['Access-Control-Allow-Methods', rule.AllowedMethods.join(', ')],
  ];
  if (!wildcard) out.push(['Access-Control-Allow-Credentials', 'true']);
  if (rule.ExposedHeaders !== undefined && rule.ExposedHeaders.length > 0) {
    out.push(['Access-Control-Expose-Headers', rule.ExposedHeaders.join(', ')]);
  }
  if (rule.MaxAge !== undefined) out.push(['Access-Control-Max-Age', String(rule.MaxAge)]);
  return out;
}

export type PreflightOutcome =
  { readonly kind: 'allowed'; readonly headers: Headers } | { readonly kind: 'refused'; readonly error: S3ErrorSpec };

/** A preflight `OPTIONS`: answered here, never forwarded. The order of checks follows s3rver's model of S3. */
export function evaluatePreflight(
  rules: readonly CorsRule[],
  request: { origin: string | undefined; method: string | undefined; headers: string | undefined },
): PreflightOutcome {
  if (request.origin === undefined) return { kind: 'refused', error: NO_ORIGIN };
  if (request.method === undefined) return { kind: 'refused', error: NO_METHOD };
  if (rules.length === 0) return { kind: 'refused', error: CORS_NOT_ENABLED };
  const requested = requestedHeaders(request.headers);
  const match = matchCorsRule(rules, request.origin, request.method, requested);
  if (match === undefined) return { kind: 'refused', error: CORS_NOT_ALLOWED };
  // "In response to any preflight OPTIONS request, Amazon S3 returns any requested headers that are allowed."
  const allowHeaders: [string, string][] =
    requested.length > 0 ? [['Access-Control-Allow-Headers', requested.join(', ')]] : [];
  return { kind: 'allowed', headers: [...ruleHeaders(match, request.origin), ...allowHeaders, ['Vary', VARY]] };
}

/** Headers for an actual (non-preflight) request: only when its Origin and method match a rule; else none. */
export function actualCorsHeaders(rules: readonly CorsRule[], origin: string | undefined, method: string): Headers {
  if (origin === undefined) return [];
  const match = matchCorsRule(rules, origin, method, []);
  return match === undefined ? [] : [...ruleHeaders(match, origin), ['Vary', VARY]];
}
