// The CloudFront Functions event as the local runtime builds it from a viewer request, and what a returned request
// or response becomes: grouped multiValue fields, raw percent-encoding, CloudFront's validation rules.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isHiddenFromViewerRequest } from '../../local/cloudfront/headers.ts';
import { applyFunctionResult, runFunction } from '../../local/cloudfront/functions/index.ts';
import { PASS_THROUGH, compile, eventOf, viewer } from './cloudfront-functions-fixture.ts';

const event = eventOf(
  viewer({
    target: '/media/index.mpd?ID=42&q=caf%C3%A9+x&multi=1&flag&multi=2',
    headers: [
      ['Host', 'cdn.example.test'],
      ['Accept', 'application/json'],
      ['accept', 'text/html'],
      ['Cookie', 'session=abc; theme=dark'],
      ['Cookie', 'session=def'],
    ],
  }),
);
const request = event.request;

describe('viewer request → CloudFront Functions event', () => {
  it('fills version, context and viewer', () => {
    expect({ version: event.version, context: event.context, viewer: event.viewer }).toEqual({
      version: '1.0',
      context: {
        distributionDomainName: 'd111111abcdef8.cloudfront.net',
        distributionId: 'EDFDVBD6EXAMPLE',
        eventType: 'viewer-request',
        requestId: 'req-1',
      },
      viewer: { ip: '198.51.100.11' },
    });
  });

  it('keeps query values percent-encoded and groups repeated names into multiValue', () => {
    expect(request.querystring).toEqual({
      ID: { value: '42' },
      q: { value: 'caf%C3%A9+x' },
      multi: { value: '1', multiValue: [{ value: '1' }, { value: '2' }] },
      flag: { value: '' },
    });
  });

  it('lower-cases header names and groups repeated headers, leaving Cookie out', () => {
    expect(request.headers).toEqual({
      host: { value: 'cdn.example.test' },
      accept: { value: 'application/json', multiValue: [{ value: 'application/json' }, { value: 'text/html' }] },
    });
  });

  it('parses every Cookie header into cookies, repeats as multiValue', () => {
    expect(request.cookies).toEqual({
      session: { value: 'abc', multiValue: [{ value: 'abc' }, { value: 'def' }] },
      theme: { value: 'dark' },
    });
  });

  it('hides disallowed headers and viewer-sent CloudFront-Viewer-* headers', () => {
    const hidden = eventOf(
      viewer({
        headers: [
          ['Host', 'h'],
          ['Connection', 'keep-alive'],
          ['X-Amz-Cf-Id', 'forged'],
          ['CloudFront-Viewer-Country', 'GB'],
        ],
      }),
    );
    expect(hidden.request.headers).toEqual({ host: { value: 'h' } });
  });
});

// Names an object literal would inherit are mixed in: they must stay plain fields all the way through.
const token = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9_.~-]{1,8}$/),
  fc.constantFrom('__proto__', 'constructor', 'toString'),
);
const queryValue = fc.stringMatching(/^(?:[A-Za-z0-9_.~=-]|%[0-9A-F]{2}){0,8}$/);
const headerName = token.filter(
  (name) => !isHiddenFromViewerRequest(name.toLowerCase()) && name.toLowerCase() !== 'cookie',
);
const headerValue = fc.stringMatching(/^[!-~](?:[ -~]{0,10}[!-~])?$/);
const cookieValue = fc.stringMatching(/^[A-Za-z0-9!#$%&'()*+./:<=>?@[\]^_`{|}~-]{0,10}$/);

/** name → values in order; a Map, so names such as "toString" stay plain keys. */
function grouped(pairs: readonly (readonly [string, string])[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [name, value] of pairs) out.set(name, [...(out.get(name) ?? []), value]);
  return out;
}

describe('a function that returns event.request', () => {
  const passThrough = compile(PASS_THROUGH);

  it('forwards any query, headers and cookies unchanged', () => {
    const inputs = fc.record({
      query: fc.array(fc.tuple(token, queryValue), { maxLength: 6 }),
      headers: fc.array(fc.tuple(headerName, headerValue), { maxLength: 6 }),
      cookies: fc.array(fc.tuple(token, cookieValue), { maxLength: 6 }),
    });
    fc.assert(
      fc.property(inputs, ({ query, headers, cookies }) => {
        const raw = query.map(([name, value]) => `${name}=${value}`).join('&');
        const cookieLine = cookies.map(([name, value]) => `${name}=${value}`).join('; ');
        const all = [...headers, ...(cookies.length > 0 ? [['Cookie', cookieLine] as const] : [])];
        const run = runFunction(passThrough, eventOf(viewer({ target: `/p?${raw}`, headers: all })), {
          receivedQuerystring: raw,
        });
        if (run.outcome.kind !== 'request') throw new Error(JSON.stringify(run.outcome));
        const { querystring, headers: lines } = run.outcome.request;
        const sent = lines.filter(([name]) => name !== 'Cookie').map(([n, v]) => [n.toLowerCase(), v] as const);
        const cookieOut = lines.find(([name]) => name === 'Cookie')?.[1] ?? '';
        const cookiePairs =
          cookieOut === '' ? [] : cookieOut.split('; ').map((c) => c.split(/=(.*)/s) as [string, string]);
        expect(querystring).toBe(raw);
        expect(grouped(sent)).toEqual(grouped(headers.map(([n, v]) => [n.toLowerCase(), v])));
        expect(grouped(cookiePairs)).toEqual(grouped(cookies));
      }),
    );
  });
});

describe('returned request → origin request', () => {
  const returned = (changes: Record<string, unknown>): unknown => ({ ...structuredClone(request), ...changes });

  it('forwards the received query string when the function leaves the query unchanged', () => {
    const outcome = applyFunctionResult(event, returned({}), 'ID=42&q=caf%C3%A9+x&multi=1&flag&multi=2');
    expect(outcome).toMatchObject({
      kind: 'request',
      request: { querystring: 'ID=42&q=caf%C3%A9+x&multi=1&flag&multi=2' },
    });
  });

  it('serialises a changed query in field order, repeats kept', () => {
    const querystring = { ...request.querystring, ID: { value: '7' } };
    const outcome = applyFunctionResult(event, returned({ querystring }), 'unused');
    expect(outcome).toMatchObject({ request: { querystring: 'ID=7&q=caf%C3%A9+x&multi=1&multi=2&flag' } });
  });

  it('accepts a query string returned as a string', () => {
    expect(applyFunctionResult(event, returned({ querystring: '?a=1&b=2' }))).toMatchObject({
      request: { querystring: 'a=1&b=2' },
    });
  });

  it('applies a changed value to the first of several values only', () => {
    const headers = { ...request.headers, accept: { ...request.headers['accept'], value: 'image/png' } };
    const outcome = applyFunctionResult(event, returned({ headers }));
    expect(outcome).toMatchObject({
      request: {
        headers: [
          ['Host', 'cdn.example.test'],
          ['Accept', 'image/png'],
          ['Accept', 'text/html'],
          ['Cookie', 'session=abc; session=def; theme=dark'],
        ],
      },
    });
  });

  it('lets a changed multiValue win over value', () => {
    const headers = { ...request.headers, accept: { value: 'ignored', multiValue: [{ value: 'a/b' }] } };
    const outcome = applyFunctionResult(event, returned({ headers }));
    expect(outcome).toMatchObject({
      request: {
        headers: [
          ['Host', 'cdn.example.test'],
          ['Accept', 'a/b'],
          ['Cookie', 'session=abc; session=def; theme=dark'],
        ],
      },
    });
  });

  it('capitalises header names and rebuilds one Cookie header from cookies', () => {
    const headers = { ...request.headers, 'x-edgepass-authorization': { value: 'Bearer t' } };
    const cookies = { theme: { value: 'light' } };
    const outcome = applyFunctionResult(event, returned({ headers, cookies }));
    expect(outcome).toEqual({
      kind: 'request',
      request: {
        method: 'GET',
        uri: '/media/index.mpd',
        querystring: 'ID=42&q=caf%C3%A9+x&multi=1&multi=2&flag',
        headers: [
          ['Host', 'cdn.example.test'],
          ['Accept', 'application/json'],
          ['Accept', 'text/html'],
          ['X-Edgepass-Authorization', 'Bearer t'],
          ['Cookie', 'theme=light'],
        ],
      },
    });
  });

  it.each([
    ['a request without uri', returned({ uri: undefined }), 'uri must be a string starting with /'],
    ['a relative uri', returned({ uri: 'media' }), 'uri must be a string starting with /'],
    ['a uri with a space', returned({ uri: '/a b' }), 'uri holds a space, a control character or #'],
    ['a changed method', returned({ method: 'POST' }), 'method is read-only'],
    ['a query with #', returned({ querystring: 'a=#b' }), 'querystring holds a space, a control character or #'],
    [
      'a URI of 8,192 characters',
      returned({ uri: `/${'a'.repeat(8_191)}`, querystring: '' }),
      'uri and query string are 8192 characters (must be under 8192)',
    ],
    [
      'a changed Host',
      returned({ headers: { host: { value: 'evil.test' } } }),
      'read-only header host was added, changed or removed',
    ],
    ['a removed Host', returned({ headers: {} }), 'read-only header host was added, changed or removed'],
    [
      'an added CDN-Loop',
      returned({ headers: { ...request.headers, 'cdn-loop': { value: 'x' } } }),
      'read-only header cdn-loop was added, changed or removed',
    ],
    [
      'an added X-Forwarded-Proto',
      returned({ headers: { ...request.headers, 'x-forwarded-proto': { value: 'https' } } }),
      'header x-forwarded-proto is disallowed',
    ],
    [
      'an added X-Amz-Cf-Id',
      returned({ headers: { ...request.headers, 'x-amz-cf-id': { value: 'x' } } }),
      'header x-amz-cf-id is disallowed',
    ],
    [
      'an upper-case header name',
      returned({ headers: { ...request.headers, 'X-A': { value: 'x' } } }),
      'headers: header name "X-A" must be a lower-case token',
    ],
    [
      'a header value that is not a string',
      returned({ headers: { ...request.headers, 'x-a': { value: 1 } } }),
      'headers.x-a needs a string value',
    ],
    [
      'a header value with CRLF',
      returned({ headers: { ...request.headers, 'x-a': { value: 'a\r\nb: c' } } }),
      'headers.x-a holds a control character',
    ],
    [
      'a cookie value with ;',
      returned({ cookies: { a: { value: '1; b=2' } } }),
      'cookies.a holds ; or a control character',
    ],
    ['no object at all', null, 'the function returned no request or response object'],
  ])('refuses %s', (_label, result, reason) => {
    expect(applyFunctionResult(event, result)).toEqual({ kind: 'invalid', reason });
  });
});

describe('returned response → generated response', () => {
  it('turns status, headers, cookies and a text body into a response', () => {
    const outcome = applyFunctionResult(event, {
      statusCode: 403,
      statusDescription: 'Forbidden',
      headers: {
        'content-type': { value: 'text/plain' },
        vary: { value: 'a', multiValue: [{ value: 'a' }, { value: 'b' }] },
      },
      cookies: {
        s: {
          value: '1',
          attributes: 'Path=/; Secure',
          multiValue: [{ value: '1', attributes: 'Path=/; Secure' }, { value: '2' }],
        },
      },
      body: { data: 'denied', encoding: 'text' },
    });
    expect(outcome).toEqual({
      kind: 'response',
      response: {
        status: 403,
        statusDescription: 'Forbidden',
        headers: [
          ['Content-Type', 'text/plain'],
          ['Vary', 'a'],
          ['Vary', 'b'],
          ['Set-Cookie', 's=1; Path=/; Secure'],
          ['Set-Cookie', 's=2'],
        ],
        body: Buffer.from('denied'),
      },
    });
  });

  it.each([
    ['a plain string body', 'héllo', Buffer.from('héllo')],
    ['a base64 body', { data: 'AAEC/w==', encoding: 'base64' }, Buffer.from([0, 1, 2, 255])],
    ['no body', undefined, Buffer.alloc(0)],
  ])('reads %s as bytes', (_label, body, bytes) => {
    expect(applyFunctionResult(event, { statusCode: 200, body })).toMatchObject({ response: { body: bytes } });
  });

  it.each([
    ['statusCode 99', { statusCode: 99 }, 'statusCode must be an integer from 200 to 599'],
    ['a string statusCode', { statusCode: '200' }, 'statusCode must be an integer from 200 to 599'],
    ['a fractional statusCode', { statusCode: 200.5 }, 'statusCode must be an integer from 200 to 599'],
    ['bad base64', { statusCode: 200, body: { data: 'a$==', encoding: 'base64' } }, 'body.data is not valid base64'],
    [
      'an unknown body encoding',
      { statusCode: 200, body: { data: 'ab', encoding: 'hex' } },
      'body.encoding must be "text" or "base64"',
    ],
    [
      'a disallowed header',
      { statusCode: 200, headers: { connection: { value: 'close' } } },
      'header connection is disallowed',
    ],
    ['a cookie without value', { statusCode: 200, cookies: { a: {} } }, 'cookies.a needs a string value'],
  ])('refuses %s', (_label, result, reason) => {
    expect(applyFunctionResult(event, result)).toEqual({ kind: 'invalid', reason });
  });
});
