// The emulator's viewer-request event matches the documented shape, and its behaviours route as the distribution
// does: restricted ("native") paths checked by CloudFront's own verifier, /api/* proxied, path patterns as CloudFront.
import http from 'node:http';
import type { CloudFrontRequestEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importTrustedKeys } from '../../common/cloudfront/keys.ts';
import { cannedPolicy } from '../../common/cloudfront/policy.ts';
import { signedCookies, signedUrl } from '../../common/cloudfront/sign.ts';
import { createVerifier } from '../../common/cloudfront/verify.ts';
import { matchesPathPattern } from '../../local/cloudfront/behaviours.ts';
import { cloudFrontKeys, signerOf } from '../helpers/cloudfront-keys.ts';
import { listen, rawRequest, startEmulator } from './emulator-fixture.ts';
import type { Emulator } from './emulator-fixture.ts';

const NOW_S = 1_800_000_000;
const keys = cloudFrontKeys();
let cdn: Emulator;
let api: http.Server;
let apiPort: number;
const seen: CloudFrontRequestEvent[] = [];
let functionCalls = 0;

beforeAll(async () => {
  api = http.createServer((req, res) => {
    res.writeHead(201, { 'Content-Type': 'text/plain', 'X-Origin': 'api' });
    res.end(`${req.method ?? ''} ${req.url ?? ''} xff=${String(req.headers['x-forwarded-for'])}`);
  });
  apiPort = await listen(api);
  const verifier = createVerifier(importTrustedKeys({ [keys.rsa.keyPairId]: keys.rsa.publicPem }), {
    cacheEntries: 10,
  });
  cdn = await startEmulator({
    behaviours: [
      { pathPattern: '/api/*', kind: 'proxy', origin: { name: 'api', host: '127.0.0.1', port: apiPort } },
      { pathPattern: '/vault/*', kind: 'native' },
      { pathPattern: '*', kind: 'function' },
    ],
    nativeVerifier: verifier,
    nowMs: () => NOW_S * 1000,
  });
  cdn.use((event) => {
    functionCalls++;
    seen.push(event);
    return Promise.resolve(event.Records[0]?.cf.request);
  });
  await cdn.put('vault/secret.txt', 'restricted bytes', 'text/plain');
});
afterAll(async () => {
  await cdn.stop();
  api.close();
});

describe('the viewer-request event', () => {
  it('carries the documented fields, original header keys, raw query and no disallowed headers', async () => {
    await rawRequest(`${cdn.url}/a%20b/c.txt?x=1&y=%2F&x=2`, {
      headers: [
        ['X-Custom-Thing', 'one'],
        ['x-custom-thing', 'two'],
        ['X-Forwarded-Proto', 'https'],
        ['X-Real-IP', '10.0.0.1'],
      ],
    });
    const { config, request } = seen.at(-1)!.Records[0]!.cf;
    expect(config).toEqual({
      distributionDomainName: 'd111111abcdef8.cloudfront.net',
      distributionId: 'EDFDVBD6EXAMPLE',
      eventType: 'viewer-request',
      requestId: expect.stringMatching(/^[A-Za-z0-9_-]{56}$/),
    });
    expect(request).toMatchObject({
      clientIp: '127.0.0.1',
      method: 'GET',
      uri: '/a%20b/c.txt',
      querystring: 'x=1&y=%2F&x=2',
    });
    expect(request.headers['x-custom-thing']).toEqual([
      { key: 'X-Custom-Thing', value: 'one' },
      { key: 'x-custom-thing', value: 'two' },
    ]);
    expect(request.headers['host']).toEqual([{ key: 'Host', value: expect.stringMatching(/^127\.0\.0\.1:\d+$/) }]);
    expect(request.headers['x-forwarded-proto']).toBeUndefined();
    expect(request.headers['x-real-ip']).toBeUndefined();
  });

  it('gives each request its own id', async () => {
    await rawRequest(`${cdn.url}/one`);
    await rawRequest(`${cdn.url}/two`);
    const [a, b] = seen.slice(-2).map((e) => e.Records[0]!.cf.config.requestId);
    expect(a).not.toBe(b);
  });
});

describe('a restricted (native) behaviour', () => {
  const url = () => `${cdn.url}/vault/secret.txt`;

  it.each([
    ['no signature at all', () => url(), 'MissingKey'],
    [
      'an expired signed URL',
      () => signedUrl(signerOf(keys.rsa), url(), { expiresEpochSeconds: NOW_S - 1 }),
      'AccessDenied',
    ],
    [
      'an untrusted key',
      () => signedUrl(signerOf(keys.otherRsa), url(), { expiresEpochSeconds: NOW_S + 60 }),
      'AccessDenied',
    ],
  ])('answers %s with CloudFront 403 XML and never runs the function', async (_name, target, code) => {
    const before = functionCalls;
    const res = await rawRequest(target());
    expect(res.status).toBe(403);
    expect(res.header('content-type')).toBe('text/xml');
    expect(res.body.toString()).toContain(`<Error><Code>${code}</Code>`);
    expect(functionCalls).toBe(before);
  });

  it('serves a valid signed URL and valid signed cookies from the origin', async () => {
    const viaUrl = await rawRequest(signedUrl(signerOf(keys.rsa), url(), { expiresEpochSeconds: NOW_S + 60 }));
    expect(viaUrl.body.toString()).toBe('restricted bytes');
    const cookies = signedCookies(signerOf(keys.rsa), { policy: cannedPolicy(url(), NOW_S + 60) });
    const cookieHeader = cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const viaCookies = await rawRequest(url(), { headers: [['Cookie', cookieHeader]] });
    expect(viaCookies.status).toBe(200);
  });
});

describe('the /api/* behaviour', () => {
  it('proxies every method with the body to the custom origin, adding X-Forwarded-For', async () => {
    const res = await rawRequest(`${cdn.url}/api/uploads?a=1`, { method: 'POST' });
    expect(res.status).toBe(201);
    expect(res.body.toString()).toBe('POST /api/uploads?a=1 xff=127.0.0.1');
    expect(res.header('x-amz-cf-id')).toMatch(/^[A-Za-z0-9_-]{56}$/);
  });
});

describe('path patterns', () => {
  it.each([
    ['/api/*', '/api/uploads', true],
    ['/api/*', '/API/uploads', false],
    ['/api/*', '/api', false],
    ['/attractions/*', '/attractions/x/y.png', true],
    ['/a?c', '/abc', true],
    ['/a?c', '/ac', false],
    ['*', '/anything', true],
    ['/a.b', '/aXb', false],
  ])('%s matches %s: %s', (pattern, path, expected) => {
    expect(matchesPathPattern(pattern, path)).toBe(expected);
  });
});
