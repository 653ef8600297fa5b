// The emulator enforces the Lambda@Edge viewer-request rules that bite in production (502/503 cases), and
// applies valid results: a modified request reaches S3, a generated response reaches the viewer line by line.
import type { CloudFrontRequest, CloudFrontRequestEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUNCTION_TIMEOUT_MS } from '../../local/cloudfront/run-function.ts';
import { MAX_GENERATED_RESPONSE_BYTES } from '../../local/cloudfront/rules.ts';
import { rawRequest, startEmulator } from './emulator-fixture.ts';
import type { Emulator } from './emulator-fixture.ts';

let cdn: Emulator;
beforeAll(async () => {
  cdn = await startEmulator({ behaviours: [{ pathPattern: '*', kind: 'function' }], functionTimeoutMs: 300 });
  await cdn.put('hello.txt', 'hello from s3', 'text/plain');
  await cdn.put('other.txt', 'the other object', 'text/plain');
});
afterAll(() => cdn.stop());

const requestOf = (event: CloudFrontRequestEvent): CloudFrontRequest => event.Records[0]!.cf.request;
/** A function that edits the request and returns it. */
const editing = (edit: (request: CloudFrontRequest) => void) => (event: CloudFrontRequestEvent) => {
  const request = requestOf(event);
  edit(request);
  return Promise.resolve(request);
};
const responding = (response: unknown) => () => Promise.resolve(response);
const redirect = (extra: Record<string, unknown> = {}) => ({
  status: '302',
  statusDescription: 'Found',
  headers: { location: [{ key: 'Location', value: '/hello.txt' }] },
  ...extra,
});

describe('Lambda@Edge rule checks', () => {
  it.each([
    ['adds X-Forwarded-Proto', 502, editing((r) => (r.headers['x-forwarded-proto'] = [{ value: 'https' }]))],
    ['adds Connection', 502, editing((r) => (r.headers['connection'] = [{ value: 'close' }]))],
    ['adds X-Amz-Cf-Pop', 502, editing((r) => (r.headers['x-amz-cf-pop'] = [{ value: 'x' }]))],
    ['adds X-Amzn-Trace-Id', 502, editing((r) => (r.headers['x-amzn-trace-id'] = [{ value: 'x' }]))],
    ['adds X-Edge-Location', 502, editing((r) => (r.headers['x-edge-location'] = [{ value: 'x' }]))],
    ['adds X-Real-IP', 502, editing((r) => (r.headers['x-real-ip'] = [{ value: '1.2.3.4' }]))],
    ['changes Host', 502, editing((r) => (r.headers['host'] = [{ key: 'Host', value: 'evil.example' }]))],
    ['removes Host', 502, editing((r) => delete r.headers['host'])],
    ['adds Content-Length', 502, editing((r) => (r.headers['content-length'] = [{ value: '5' }]))],
    ['adds Via', 502, editing((r) => (r.headers['via'] = [{ value: '1.1 proxy' }]))],
    ['adds Transfer-Encoding', 502, editing((r) => (r.headers['transfer-encoding'] = [{ value: 'chunked' }]))],
    ['mismatches a header key', 502, editing((r) => (r.headers['x-a'] = [{ key: 'X-B', value: '1' }]))],
    ['puts CRLF in a header value', 502, editing((r) => (r.headers['x-a'] = [{ value: 'a\r\nSet-Cookie: x=1' }]))],
    ['uses an upper-case map key', 502, editing((r) => (r.headers['X-A'] = [{ value: '1' }]))],
    ['sets a URI without /', 502, editing((r) => (r.uri = 'hello.txt'))],
    ['returns nothing', 502, () => Promise.resolve(undefined)],
    ['returns a number status', 502, responding(redirect({ status: 302 }))],
    ['returns status "600"', 502, responding(redirect({ status: '600' }))],
    ['returns status "199"', 502, responding(redirect({ status: '199' }))],
    ['returns status "20x"', 502, responding(redirect({ status: '20x' }))],
    ['returns an object body', 502, responding(redirect({ body: { a: 1 } }))],
    ['returns a bad bodyEncoding', 502, responding(redirect({ body: 'x', bodyEncoding: 'hex' }))],
    ['sets X-Cache in a response', 502, responding(redirect({ headers: { 'x-cache': [{ value: 'Hit' }] } }))],
    ['returns a body over 40 KB', 502, responding(redirect({ body: 'x'.repeat(MAX_GENERATED_RESPONSE_BYTES) }))],
    ['throws', 503, () => Promise.reject(new Error('boom'))],
    ['outlives its time limit', 503, () => new Promise((resolve) => setTimeout(resolve, 2_000))],
  ])('refuses a function that %s (%i)', async (_name, status, fn) => {
    cdn.use(fn);
    const res = await rawRequest(`${cdn.url}/hello.txt`);
    expect(res.status).toBe(status);
    expect(res.body.toString()).not.toContain('hello from s3');
    expect(cdn.logs.at(-1)).toMatch(status === 502 ? /lambda@edge result invalid/ : /lambda@edge failed/);
  });

  it('uses the documented 5 s time limit by default', () => {
    expect(FUNCTION_TIMEOUT_MS).toBe(5_000);
  });

  it('serves a generated response just under 40 KB, one header line per array element', async () => {
    const cookies = [
      { key: 'Set-Cookie', value: 'a=1; Path=/' },
      { key: 'Set-Cookie', value: 'b=2; Path=/' },
    ];
    const headers = { 'set-cookie': cookies, 'content-type': [{ key: 'Content-Type', value: 'text/plain' }] };
    cdn.use(responding({ status: '200', statusDescription: 'OK', headers, body: 'y'.repeat(40_000) }));
    const res = await rawRequest(`${cdn.url}/anything`);
    expect(res.status).toBe(200);
    expect(res.body.length).toBe(40_000);
    const setCookieLines = res.rawHeaders.filter((_v, i) => i % 2 === 0 && res.rawHeaders[i] === 'Set-Cookie');
    expect(setCookieLines).toHaveLength(2);
    expect(res.header('x-cache')).toBe('LambdaGeneratedResponse from cloudfront');
  });

  it('decodes a base64 body', async () => {
    cdn.use(responding({ status: '200', body: Buffer.from('binary!').toString('base64'), bodyEncoding: 'base64' }));
    expect((await rawRequest(`${cdn.url}/x`)).body.toString()).toBe('binary!');
  });

  it('passes an unchanged request on to S3', async () => {
    cdn.use(editing(() => undefined));
    const res = await rawRequest(`${cdn.url}/hello.txt`);
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe('hello from s3');
    expect(res.header('content-type')).toBe('text/plain');
  });

  it('fetches what a rewritten URI names, and lets a function add an ordinary header', async () => {
    cdn.use(
      editing((r) => {
        r.uri = '/other.txt';
        r.headers['x-edgepass'] = [{ key: 'X-Edgepass', value: '1' }];
      }),
    );
    expect((await rawRequest(`${cdn.url}/hello.txt`)).body.toString()).toBe('the other object');
  });

  it('answers 404 for a missing object and 403 for a POST to the S3 origin', async () => {
    cdn.use(editing(() => undefined));
    expect((await rawRequest(`${cdn.url}/missing.txt`)).status).toBe(404);
    expect((await rawRequest(`${cdn.url}/hello.txt`, { method: 'POST' })).status).toBe(403);
  });

  it('serves byte ranges as S3 does (audio elements ask for them)', async () => {
    cdn.use(editing(() => undefined));
    const res = await rawRequest(`${cdn.url}/hello.txt`, { headers: [['Range', 'bytes=0-4']] });
    expect(res.status).toBe(206);
    expect(res.body.toString()).toBe('hello');
  });
});
