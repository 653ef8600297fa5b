// Behaviours 5 and 7: unsafe protected paths and unknown hosts are refused with nothing minted; every generated
// response is small, uncached and secret-free, respects Lambda@Edge header rules; a bug answers a fail-closed 503.
import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../edge/config.ts';
import { createHandler } from '../../edge/handler.ts';
import { createKeySource } from '../../edge/key-source/baked.ts';
import { asResponse, viewerRequest } from '../helpers/events.ts';
import { createWorld } from './fixture.ts';
import type { World } from './fixture.ts';
import { reasonOf, respond } from './flow.ts';

let world: World;
let token: string;

beforeAll(async () => {
  world = createWorld();
  token = await world.token({ tickets: ['42', 'bad..id', '43'] });
});

// Lambda@Edge: headers a generated response must not carry (reference/cloudfront.md, Developer Guide "Restrictions").
const FORBIDDEN =
  /^(connection|expect|keep-alive|proxy-.*|trailer|upgrade|x-accel-.*|x-amz-cf-.*|x-amzn-.*|x-cache|x-edge-.*|x-forwarded-proto|x-real-ip|content-length|transfer-encoding|via|host)$/;

describe('unsafe paths and hosts (behaviour 5)', () => {
  it.each([
    ['/attractions/', 404, 'path_incomplete'],
    ['/attractions/42', 404, 'path_incomplete'],
    ['/attractions/bad..id/x', 400, 'path_bad_attraction'],
    ['/attractions/42/../43/x', 400, 'path_unsafe'],
    ['/attractions/42%2F..%2F43/x', 400, 'path_unsafe'],
    ['/attractions/%2e%2e/x', 400, 'path_unsafe'],
    ['/attractions/42/x%00', 400, 'path_unsafe'],
    ['/%61ttractions/42/x', 400, 'path_unsafe'],
    [`/attractions/${'a'.repeat(65)}/x`, 400, 'path_bad_attraction'],
  ])('refuses %s with %i %s and mints nothing, even for a valid token', async (uri, status, reason) => {
    for (const input of [{ headers: { authorization: `Bearer ${token}` } }, { cookies: { session: token } }]) {
      const response = await respond(world, { uri, ...input });
      expect([response.status, reasonOf(response)]).toEqual([status, reason]);
      expect(response.headers['set-cookie']).toBeUndefined();
      expect(response.headers['location']).toBeUndefined();
    }
  });

  it('refuses a protected path on a host that is not configured', async () => {
    const response = await respond(world, {
      uri: '/attractions/42/a.jpg',
      host: 'evil.example',
      headers: { authorization: `Bearer ${token}` },
    });
    expect([response.status, reasonOf(response)]).toEqual([400, 'host_not_allowed']);
    expect(response.headers['location']).toBeUndefined();
  });

  it.each(['cdn.example.test:99999', 'cdn.example.test.evil', 'cdn.example.test@evil', ''])(
    'refuses host %j',
    async (host) => {
      const response = await respond(world, { uri: '/attractions/42/a.jpg', host, cookies: { session: token } });
      expect(reasonOf(response)).toBe('host_not_allowed');
    },
  );
});

describe('generated responses (behaviour 7)', () => {
  const cases = [
    { uri: '/attractions/42/a.jpg' },
    { uri: '/attractions/42/a.jpg', headers: { accept: 'text/html' } },
    { uri: '/attractions/42/a.jpg', querystring: 'Expires=1&Signature=abc&Key-Pair-Id=K2JCJMDEHXQW5F' },
    { uri: '/attractions/x..y/a.jpg' },
    { uri: '/_edgepass/nope' },
  ];

  it.each(cases)('is uncached, small, secret-free and Lambda@Edge-safe: %j', async (input) => {
    const response = await respond(world, { ...input, cookies: { session: 'not-a-token', other: 'x' } });
    expect(response.headers['cache-control']).toEqual(['no-store']);
    expect(Object.keys(response.headers).filter((name) => FORBIDDEN.test(name))).toEqual([]);
    expect(response.body.length).toBeLessThan(1024);
    expect(response.body).toMatch(/[a-z]+_[a-z_]+/);
    expect(response.body).not.toContain('not-a-token');
    expect(response.body).not.toContain('abc');
  });

  it('writes CloudFront header entries with canonical keys and a string status', async () => {
    const result = await world.handler(
      viewerRequest({ uri: '/attractions/42/a.jpg', headers: { authorization: 'Bearer x.y.z' } }),
    );
    expect(result).toMatchObject({ status: '401', statusDescription: 'Unauthorized' });
    const headers = (result as { headers: Record<string, { key: string }[]> }).headers;
    expect(headers['www-authenticate']?.[0]?.key).toBe('Www-Authenticate');
    expect(headers['cache-control']?.[0]?.key).toBe('Cache-Control');
  });

  it('never logs a token, cookie value or signature', async () => {
    await respond(world, { uri: '/attractions/42/a.jpg', cookies: { session: token } });
    await respond(world, { uri: '/attractions/42/a.jpg', headers: { authorization: `Bearer ${token}` } });
    const log = world.logs.join('\n');
    expect(log).not.toContain(token.split('.')[2]);
    expect(log).not.toMatch(/Signature=|CloudFront-Policy|BEGIN/);
    for (const line of world.logs) expect(Object.keys(JSON.parse(line) as object)).toContain('reason');
  });

  it('writes each log line as one JSON object with its members in a fixed order, escaping viewer text', async () => {
    const uri = '/attractions/42/"quoted"\\back\u2028\u0001.jpg';
    await world.handler(viewerRequest({ uri, requestId: 'req-"x"\n' }));
    const refused = world.logs.at(-1) ?? '';
    expect(refused).not.toContain('\n');
    const parsed = JSON.parse(refused) as Record<string, unknown>;
    const metrics = ['Outcome', 'Reason', 'Decisions', 'ElapsedMs', '_aws']; // EMF (test/edge/metrics.test.ts)
    expect(Object.keys(parsed)).toEqual(['reason', 'status', 'path', 'requestId', 'elapsedMs', ...metrics]);
    expect(parsed).toMatchObject({ reason: 'path_unsafe', status: 400, path: uri, requestId: 'req-"x"\n' });
    await world.handler(viewerRequest({ uri: '/attractions/42/a.jpg', headers: { authorization: `Bearer ${token}` } }));
    const minted = JSON.parse(world.logs.at(-1) ?? '') as Record<string, unknown>;
    expect(Object.keys(minted)).toEqual([
      'reason',
      'status',
      'kid',
      'iss',
      'keyPairId',
      'path',
      'requestId',
      'elapsedMs',
      ...metrics,
    ]);
    expect(minted).toMatchObject({ reason: 'signed_url_minted', status: 302, keyPairId: world.cf.keyPairId });
  });

  it('answers a bug with a fail-closed 503 carrying the request id, and logs it', async () => {
    const broken = viewerRequest({ uri: '/attractions/42/a.jpg', requestId: 'req-bug-1' });
    const request = broken.Records[0]?.cf.request as unknown as Record<string, unknown>;
    request['headers'] = null;
    const response = asResponse(await world.handler(broken));
    expect(response?.status).toBe(503);
    expect(response?.body).toContain('req-bug-1');
    expect(JSON.parse(world.logs.at(-1) ?? '{}')).toMatchObject({
      reason: 'internal_error',
      status: 503,
      error: 'TypeError',
    });
  });

  it('answers 503 for an event without records and survives a throwing logger', async () => {
    const config = parseConfig(world.raw);
    const handler = createHandler(config, {
      keySource: createKeySource(config.signer),
      clock: () => 0,
      logger: () => {
        throw new Error('disk full');
      },
    });
    const response = asResponse(await handler({ Records: [] }));
    expect(response?.status).toBe(503);
  });

  // Security review (issue #11): each of these made the handler reject instead of answering.
  it.each([
    ['{}', {}],
    ['null', null],
    ['Records: null', { Records: null }],
    ['a record without cf', { Records: [{}] }],
    ['a cf without config', { Records: [{ cf: { request: { uri: '/attractions/42/x', headers: {} } } }] }],
    [
      'a numeric requestId',
      { Records: [{ cf: { config: { requestId: 42 }, request: { uri: '/attractions/42/x' } } }] },
    ],
    [
      'a request without headers',
      { Records: [{ cf: { config: { requestId: 'r' }, request: { uri: '/attractions/42/x' } } }] },
    ],
  ])('answers a fail-closed 503 to an event with %s, never throwing', async (_name, event) => {
    const lines: string[] = [];
    const config = parseConfig(world.raw);
    const handler = createHandler(config, {
      keySource: createKeySource(config.signer),
      clock: () => 0,
      logger: (l) => lines.push(l),
    });
    const response = asResponse(await handler(event as never));
    expect(response?.status).toBe(503);
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ reason: 'internal_error', status: 503 });
  });
});
