// Reads what a viewer-request function returned, the way CloudFront validates it: a request goes on to the origin,
// a generated response back to the viewer, anything else is a validation error (502). The result is untrusted.
// Sources: Developer Guide, "CloudFront Functions event structure" and "Restrictions on all edge functions".
import { READ_ONLY_VIEWER_REQUEST, isDisallowedHeader } from '../headers.ts';
import { InvalidResult, checkCookieName, checkHeaderName, hasControl, headerLines, isRecord } from './fields.ts';
import { readFieldMap } from './fields.ts';
import { sameValues, valuesOf } from './fields.ts';
import type { Raw } from './fields.ts';
import { MAX_URI_CHARS } from './limits.ts';
import { readResponse } from './response.ts';
import type { FunctionEvent, FunctionFields, FunctionOutcome, FunctionRequest, OriginRequest } from './types.ts';

/** The page now lists CDN-Loop as read-only in viewer requests too; headers.ts predates it. */
const READ_ONLY = [...READ_ONLY_VIEWER_REQUEST, 'cdn-loop'];
/** A query string (and, here, a URI) may not hold spaces, control characters or the fragment identifier `#`. */
const badQuery = (text: string): boolean => hasControl(text, ' #');

type Named = readonly (readonly [string, readonly string[]])[];

/** An empty value is written as the bare name (`flag`), the form the event parses to an empty value. */
const serialiseQuery = (fields: Named): string =>
  fields.flatMap(([name, values]) => values.map((value) => (value === '' ? name : `${name}=${value}`))).join('&');

function readQuery(raw: unknown, original: FunctionFields, received: string | undefined): string {
  // A string is accepted as the whole query string (AWS sample "normalize-query-string-parameters" returns one).
  const querystring =
    typeof raw === 'string'
      ? raw.replace(/^\?/, '')
      : serialiseQuery(readFieldMap(raw, original, 'querystring', (name) => (name === '' ? 'empty name' : undefined)));
  if (badQuery(querystring)) throw new InvalidResult('querystring holds a space, a control character or #');
  // Unchanged: CloudFront forwards the query string exactly as received ("URI, query string, and headers encoding").
  const before = serialiseQuery(Object.entries(original).map(([name, field]) => [name, valuesOf(field)]));
  return received !== undefined && querystring === before ? received : querystring;
}

function checkHeaderRules(headers: Named, original: FunctionFields): void {
  const disallowed = headers.find(([name]) => isDisallowedHeader(name));
  if (disallowed !== undefined) throw new InvalidResult(`header ${disallowed[0]} is disallowed`);
  const returned = new Map(headers);
  for (const name of READ_ONLY) {
    const before = Object.hasOwn(original, name) ? valuesOf(original[name] ?? { value: '' }) : [];
    if (!sameValues(before, returned.get(name) ?? [])) {
      throw new InvalidResult(`read-only header ${name} was added, changed or removed`);
    }
  }
}

function cookieHeader(cookies: Named): string {
  return cookies
    .flatMap(([name, values]) =>
      values.map((value) => {
        if (hasControl(value, ';')) throw new InvalidResult(`cookies.${name} holds ; or a control character`);
        return `${name}=${value}`;
      }),
    )
    .join('; ');
}

function readRequest(original: FunctionRequest, raw: Raw, received: string | undefined): OriginRequest {
  if (raw['method'] !== original.method) throw new InvalidResult('method is read-only');
  const uri = raw['uri'];
  if (typeof uri !== 'string' || !uri.startsWith('/')) throw new InvalidResult('uri must be a string starting with /');
  if (badQuery(uri)) throw new InvalidResult('uri holds a space, a control character or #');
  const querystring = readQuery(raw['querystring'], original.querystring, received);
  const length = uri.length + (querystring === '' ? 0 : querystring.length + 1);
  if (length >= MAX_URI_CHARS) {
    throw new InvalidResult(`uri and query string are ${length} characters (must be under ${MAX_URI_CHARS})`);
  }
  const headers = readFieldMap(raw['headers'], original.headers, 'headers', checkHeaderName);
  checkHeaderRules(headers, original.headers);
  const lines = headerLines(headers, 'headers');
  const cookies = cookieHeader(readFieldMap(raw['cookies'], original.cookies, 'cookies', checkCookieName));
  if (cookies !== '') lines.push(['Cookie', cookies]);
  return { method: original.method, uri, querystring, headers: lines };
}

/**
 * A result with `statusCode` is a generated response; any other object must be the request. `receivedQuerystring`
 * is the viewer's raw query string, forwarded as is when the function leaves the query unchanged.
 */
export function applyFunctionResult(
  event: FunctionEvent,
  result: unknown,
  receivedQuerystring?: string,
): FunctionOutcome {
  try {
    if (!isRecord(result)) throw new InvalidResult('the function returned no request or response object');
    if ('statusCode' in result) return { kind: 'response', response: readResponse(result) };
    return { kind: 'request', request: readRequest(event.request, result, receivedQuerystring) };
  } catch (error) {
    if (error instanceof InvalidResult) return { kind: 'invalid', reason: error.message };
    throw error;
  }
}
