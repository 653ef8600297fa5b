// CORS preflights on the paths the function guards: a listed app origin gets a 204 with exact headers, without any
// credential being looked at; an unlisted origin or a malformed preflight gets a 403 with no CORS header at all.
import { beforeAll, describe, expect, it } from 'vitest';
import { createWorld } from './fixture.ts';
import type { World } from './fixture.ts';
import { reasonOf, respond, run } from './flow.ts';

const APP = 'https://app.example.test';
const LOCAL = 'http://localhost:5173';
const VARY = 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers';

let world: World;
let session: string;

beforeAll(async () => {
  world = createWorld({ appOrigins: [APP, LOCAL], loginUrl: 'https://id.example.test/login' });
  session = await world.token();
});

interface Preflight {
  readonly uri: string;
  readonly querystring?: string;
  readonly origin?: string;
  readonly method?: string;
  readonly requestHeaders?: string;
  readonly cookies?: Record<string, string>;
}

function preflight(p: Preflight) {
  const headers: Record<string, string> = {};
  if (p.origin !== undefined) headers['origin'] = p.origin;
  if (p.method !== undefined) headers['access-control-request-method'] = p.method;
  if (p.requestHeaders !== undefined) headers['access-control-request-headers'] = p.requestHeaders;
  return respond(world, {
    uri: p.uri,
    querystring: p.querystring ?? '',
    method: 'OPTIONS',
    headers,
    cookies: p.cookies ?? {},
  });
}

const allowed = (origin: string, methods: string, allowHeaders?: string) => ({
  'access-control-allow-origin': [origin],
  'access-control-allow-credentials': ['true'],
  'access-control-allow-methods': [methods],
  ...(allowHeaders === undefined ? {} : { 'access-control-allow-headers': [allowHeaders] }),
  'access-control-max-age': ['600'],
  vary: [VARY],
  'cache-control': ['no-store'],
});

describe('a preflight from a listed app origin', () => {
  it.each([
    [
      'a protected object',
      { uri: '/attractions/42/a.mp4', origin: APP, method: 'GET', requestHeaders: 'authorization' },
      allowed(APP, 'GET, HEAD', 'authorization'),
    ],
    [
      'a byte range from the loopback app',
      { uri: '/attractions/42/a.mp4', origin: LOCAL, method: 'GET', requestHeaders: 'authorization,range' },
      allowed(LOCAL, 'GET, HEAD', 'authorization, range'),
    ],
    [
      'HEAD on a protected object',
      { uri: '/attractions/42/a.mp4', origin: APP, method: 'HEAD', requestHeaders: 'range' },
      allowed(APP, 'GET, HEAD', 'range'),
    ],
    [
      'the signed URL a bearer fetch is redirected to',
      {
        uri: '/attractions/42/a.mp4',
        querystring: 'Expires=1&Signature=x&Key-Pair-Id=K2JCJMDEHXQW5F',
        origin: APP,
        method: 'GET',
        requestHeaders: 'authorization',
      },
      allowed(APP, 'GET, HEAD', 'authorization'),
    ],
    [
      'a grant, echoing only the allowed names',
      {
        uri: '/_edgepass/grant',
        querystring: 'attraction=42',
        origin: APP,
        method: 'POST',
        requestHeaders: 'authorization,x-trace-id,Content-Type',
      },
      allowed(APP, 'GET, POST', 'authorization, content-type'),
    ],
    [
      'sign-out without request headers',
      { uri: '/_edgepass/sign-out', origin: APP, method: 'GET' },
      allowed(APP, 'GET, POST'),
    ],
    [
      'only unlisted request headers (the browser then refuses)',
      { uri: '/_edgepass/grant', origin: APP, method: 'GET', requestHeaders: 'x-trace-id' },
      allowed(APP, 'GET, POST'),
    ],
    [
      'an unsafe path (the real request is answered with a readable 400)',
      { uri: '/attractions/42/../7/a.mp4', origin: APP, method: 'GET' },
      allowed(APP, 'GET, HEAD'),
    ],
  ])('answers 204 with exact headers for %s', async (_name, input: Preflight, headers) => {
    const response = await preflight(input);
    expect([response.status, response.body]).toEqual([204, '']);
    expect(response.headers).toEqual(headers);
    expect(JSON.parse(world.logs.at(-1) ?? '{}')).toMatchObject({ reason: 'cors_preflight_allowed', status: 204 });
  });

  it.each([
    ['no credential', {}],
    ['a valid session (never minted from)', { session }],
    ['garbage cookies', { session: 'garbage', 'CloudFront-Signature': 'x', 'CloudFront-Key-Pair-Id': 'K' }],
  ])('never looks at credentials: %s', async (_name, cookies) => {
    const response = await preflight({ uri: '/attractions/42/a.mp4', origin: APP, method: 'GET', cookies });
    expect(response.status).toBe(204);
    expect(response.headers['set-cookie']).toBeUndefined();
    expect(response.headers['location']).toBeUndefined();
  });

  it('spells every header the way CloudFront expects', async () => {
    const result = await run(world, {
      uri: '/attractions/42/a.mp4',
      method: 'OPTIONS',
      headers: { origin: APP, 'access-control-request-method': 'GET', 'access-control-request-headers': 'range' },
    });
    expect(result).toMatchObject({ status: '204', statusDescription: 'No Content' });
    const keys = Object.values((result as { headers: Record<string, { key: string }[]> }).headers).map(
      (h) => h[0]?.key,
    );
    expect(keys).toEqual([
      'Cache-Control',
      'Access-Control-Allow-Origin',
      'Access-Control-Allow-Credentials',
      'Access-Control-Allow-Methods',
      'Access-Control-Allow-Headers',
      'Access-Control-Max-Age',
      'Vary',
    ]);
  });
});

describe('a preflight that is refused', () => {
  const media = { uri: '/attractions/42/a.mp4', method: 'GET' };
  it.each([
    ['an unlisted origin', { ...media, origin: 'https://evil.example' }, 'cors_origin_not_allowed'],
    ['the opaque origin null', { ...media, origin: 'null' }, 'cors_origin_not_allowed'],
    ['a listed host on another port', { ...media, origin: 'https://app.example.test:8443' }, 'cors_origin_not_allowed'],
    ['a listed host over http', { ...media, origin: 'http://app.example.test' }, 'cors_origin_not_allowed'],
    ['the loopback app on another port', { ...media, origin: 'http://localhost:5174' }, 'cors_origin_not_allowed'],
    [
      'another spelling of a listed origin',
      { ...media, origin: 'https://APP.example.test' },
      'cors_origin_not_allowed',
    ],
    ['a listed origin with a trailing slash', { ...media, origin: `${APP}/` }, 'cors_origin_not_allowed'],
    ['no Origin at all', { ...media }, 'cors_origin_not_allowed'],
    ['an Origin without Access-Control-Request-Method', { uri: media.uri, origin: APP }, 'cors_preflight_invalid'],
    ['a malformed method', { ...media, origin: APP, method: 'G E T' }, 'cors_preflight_invalid'],
    [
      'a malformed header list',
      { ...media, origin: APP, requestHeaders: 'authorization, x y' },
      'cors_preflight_invalid',
    ],
    [
      'an oversized header list',
      { ...media, origin: APP, requestHeaders: 'x-a,'.repeat(300) },
      'cors_preflight_invalid',
    ],
    ['DELETE on a protected object', { ...media, origin: APP, method: 'DELETE' }, 'cors_method_not_allowed'],
    ['POST on a protected object', { ...media, origin: APP, method: 'POST' }, 'cors_method_not_allowed'],
    ['PUT on an endpoint', { uri: '/_edgepass/grant', origin: APP, method: 'PUT' }, 'cors_method_not_allowed'],
  ])('answers 403 without CORS headers to %s', async (_name, input: Preflight, reason) => {
    const response = await preflight(input);
    expect([response.status, reasonOf(response)]).toEqual([403, reason]);
    expect(Object.keys(response.headers).sort()).toEqual(['cache-control', 'content-type']);
  });

  it('refuses a preflight on a host that is not served, before anything else', async () => {
    const response = await respond(world, {
      uri: '/attractions/42/a.mp4',
      host: 'evil.example',
      method: 'OPTIONS',
      headers: { origin: APP, 'access-control-request-method': 'GET' },
    });
    expect([response.status, reasonOf(response)]).toEqual([400, 'host_not_allowed']);
  });

  it('lets a request outside the guarded paths through untouched, preflight or not', async () => {
    const result = await run(world, {
      uri: '/public/a.css',
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    });
    expect(result).not.toHaveProperty('status');
  });
});

describe('without app origins (the default)', () => {
  it('refuses every preflight', async () => {
    const plain = createWorld({}, { idp: world.idp, cf: world.cf });
    const response = await respond(plain, {
      uri: '/_edgepass/grant',
      method: 'OPTIONS',
      headers: { origin: APP, 'access-control-request-method': 'POST' },
    });
    expect([response.status, reasonOf(response)]).toEqual([403, 'cors_origin_not_allowed']);
  });
});
