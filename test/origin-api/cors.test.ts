// CORS on /api/*: a listed app origin's preflight is answered before authentication with the route's methods and no
// credentials; an unlisted origin gets a 403 without CORS headers; every other answer to a listed origin is readable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OriginApp } from '../../origin-api/app.ts';
import type { ApiRequest, ApiResponse } from '../../origin-api/core/types.ts';
import { startS3 } from '../helpers/s3.ts';
import type { LocalS3 } from '../helpers/s3.ts';
import { apiRequest, appFor, bearer, parseBody, passportUpload, signToken } from './fixtures.ts';

const APP = 'https://app.example.test';
const LOCAL = 'http://localhost:5173';
const CORS_NAMES = [
  'access-control-allow-origin',
  'access-control-allow-credentials',
  'access-control-allow-methods',
  'access-control-allow-headers',
  'access-control-expose-headers',
  'access-control-max-age',
  'vary',
];

let s3: LocalS3;
let app: OriginApp;
let token: string;
let key: string;
const nowMs = Date.now();

beforeAll(async () => {
  s3 = await startS3({ buckets: ['media'] });
  app = appFor({ s3, nowMs, appOrigins: [APP, LOCAL] });
  token = await signToken({ nowMs });
  const created = await app.handle(
    apiRequest({
      method: 'POST',
      path: '/api/uploads',
      headers: bearer(token),
      json: passportUpload({ contentLength: 3 }),
    }),
  );
  const upload = parseBody(created.body) as { url: string; key: string };
  const put = await fetch(upload.url, { method: 'PUT', body: 'abc', headers: { 'content-type': 'image/jpeg' } });
  expect(put.status).toBe(200);
  key = upload.key;
});
afterAll(async () => {
  await s3.stop();
});

const corsHeadersOf = (response: ApiResponse) =>
  Object.fromEntries(Object.entries(response.headers).filter(([name]) => CORS_NAMES.includes(name)));

function preflight(path: string, origin: string | undefined, extra: Record<string, string> = {}) {
  const headers = origin === undefined ? extra : { origin, ...extra };
  return app.handle(apiRequest({ method: 'OPTIONS', path, headers }));
}

describe('a preflight from a listed app origin', () => {
  it.each([
    ['/api/uploads', APP, 'POST'],
    ['/api/files', APP, 'GET'],
    ['/api/files/users%2FYWxpY2U%2Fpassport%2Fx-p.jpg', LOCAL, 'GET, DELETE'],
  ])('answers %s before authentication with its methods, no credentials', async (path, origin, methods) => {
    const response = await preflight(path, origin, {
      'access-control-request-method': methods.split(', ')[0]!,
      'access-control-request-headers': 'authorization,content-type,x-amz-content-sha256',
    });
    expect([response.status, response.body]).toEqual([204, '']);
    expect(response.headers).toEqual({
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'access-control-allow-origin': origin,
      'access-control-allow-methods': methods,
      'access-control-allow-headers': 'authorization, content-type, x-amz-content-sha256',
      'access-control-max-age': '600',
      vary: 'Origin',
    });
  });

  it('needs no Access-Control-Request-* header (CloudFront forwards Origin to the API)', async () => {
    const response = await preflight('/api/uploads', APP);
    expect(response.status).toBe(204);
    expect(response.headers['access-control-allow-methods']).toBe('POST');
  });

  it('answers an unknown path with a plain 404 (no CORS headers, so the browser stops)', async () => {
    const response = await preflight('/api/nope', APP, { 'access-control-request-method': 'GET' });
    expect([response.status, parseBody(response.body).code]).toEqual([404, 'not_found']);
    expect(corsHeadersOf(response)).toEqual({});
  });
});

describe('a preflight from any other origin', () => {
  it.each([
    ['an unlisted origin', 'https://evil.example'],
    ['the opaque origin null', 'null'],
    ['a listed host on another port', 'https://app.example.test:8443'],
    ['a listed host over http', 'http://app.example.test'],
    ['the loopback app on another port', 'http://localhost:5174'],
    ['two Origin headers joined', `${APP}, https://evil.example`],
  ])('answers 403 problem JSON without CORS headers to %s', async (_name, origin) => {
    const response = await preflight('/api/uploads', origin, { 'access-control-request-method': 'POST' });
    expect(response.status).toBe(403);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(parseBody(response.body)).toMatchObject({ status: 403, code: 'cors_origin_not_allowed' });
    expect(corsHeadersOf(response)).toEqual({});
  });

  it('leaves an OPTIONS without Origin (not CORS) to the router: 405 with Allow', async () => {
    const response = await preflight('/api/files', undefined);
    expect([response.status, response.headers['allow']]).toEqual([405, 'GET']);
    expect(corsHeadersOf(response)).toEqual({});
  });
});

type Case = [name: string, request: () => ApiRequest, status: number];

const answers: Case[] = [
  ['a list (200)', () => apiRequest({ path: '/api/files', headers: bearer(token) }), 200],
  [
    'an upload (201)',
    () => apiRequest({ method: 'POST', path: '/api/uploads', headers: bearer(token), json: passportUpload() }),
    201,
  ],
  [
    'a presigned redirect (302)',
    () => apiRequest({ path: `/api/files/${encodeURIComponent(key)}`, headers: bearer(token) }),
    302,
  ],
  ['no token (401)', () => apiRequest({ path: '/api/files' }), 401],
  ['an unknown path (404)', () => apiRequest({ path: '/api/nope', headers: bearer(token) }), 404],
  ['another method (405)', () => apiRequest({ method: 'PUT', path: '/api/files', headers: bearer(token) }), 405],
];

describe('other answers', () => {
  it.each(answers)(
    '%s to a listed origin is readable, Location exposed, no credentials',
    async (_name, build, status) => {
      const request = build();
      const response = await app.handle({ ...request, headers: { ...request.headers, origin: APP } });
      expect(response.status).toBe(status);
      expect(corsHeadersOf(response)).toEqual({
        'access-control-allow-origin': APP,
        'access-control-expose-headers': 'Location',
        vary: 'Origin',
      });
    },
  );

  it.each(answers)('%s to an unlisted or absent origin carries no CORS header', async (_name, build, status) => {
    for (const origin of ['https://evil.example', 'null', undefined]) {
      const request = build();
      const headers = origin === undefined ? request.headers : { ...request.headers, origin };
      const response = await app.handle({ ...request, headers });
      expect(response.status).toBe(status);
      expect(corsHeadersOf(response)).toEqual({});
    }
  });
});
