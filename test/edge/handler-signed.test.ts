// Behaviours 1 and 6: valid CloudFront signed URLs/cookies pass (credentials stripped), invalid signed URLs are
// refused, invalid cookies fall through to the token flows, unprotected paths pass untouched.
import { createPrivateKey } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { customPolicy } from '../../common/cloudfront/policy.ts';
import { signedCookies, signedUrl } from '../../common/cloudfront/sign.ts';
import { viewerRequest } from '../helpers/events.ts';
import { cloudFrontKey, createWorld, HOST, NOW_MS, NOW_S } from './fixture.ts';
import type { World } from './fixture.ts';
import { cloudFrontCookies, pass, reasonOf, respond, run } from './flow.ts';

const old = cloudFrontKey('KOLDKEY0000001');
let world: World;
let session: string;

beforeAll(async () => {
  world = createWorld({ trustedKeys: [{ keyPairId: old.keyPairId, publicKeyPem: old.publicKeyPem }] });
  session = await world.token();
});

async function mintedCookies(uri = '/attractions/42/a.jpg'): Promise<Record<string, string>> {
  return cloudFrontCookies(await respond(world, { uri, cookies: { session } }));
}

async function mintedUrl(uri: string, querystring = ''): Promise<URL> {
  const response = await respond(world, { uri, querystring, headers: { authorization: `Bearer ${session}` } });
  return new URL(response.headers['location']?.[0] ?? '');
}

describe('signed cookies and signed URLs (behaviour 1)', () => {
  it('passes valid cookies, removing them, the session cookie and the marker', async () => {
    const cookies = { ...(await mintedCookies()), session, theme: 'dark' };
    const request = await pass(world, {
      uri: '/attractions/42/b.jpg',
      querystring: `x=1&edgepass_cc=${NOW_S}`,
      cookies,
    });
    expect(request.uri).toBe('/attractions/42/b.jpg');
    expect(request.querystring).toBe('x=1');
    expect(request.headers['cookie']).toEqual([{ key: 'Cookie', value: 'theme=dark' }]);
    expect(JSON.parse(world.logs.at(-1) ?? '{}')).toMatchObject({ reason: 'signed_cookies_valid', status: 'pass' });
  });

  it('drops the Cookie header when only our cookies were sent', async () => {
    const request = await pass(world, { uri: '/attractions/42/c.jpg', cookies: await mintedCookies() });
    expect(request.headers['cookie']).toBeUndefined();
  });

  it('passes a valid signed URL with the signing parameters removed and other parameters kept', async () => {
    const url = await mintedUrl('/attractions/42/clip.mp4', 'quality=hd');
    const request = await pass(world, { uri: url.pathname, querystring: url.search.slice(1), cookies: { session } });
    expect(request.querystring).toBe('quality=hd');
    expect(request.headers['cookie']).toBeUndefined();
  });

  it('refuses a tampered signed URL with 403 even when valid cookies are present', async () => {
    const url = await mintedUrl('/attractions/42/clip.mp4');
    const query = url.search.slice(1).replace(/Expires=(\d+)/, (_m, e: string) => `Expires=${Number(e) + 1}`);
    const response = await respond(world, { uri: url.pathname, querystring: query, cookies: await mintedCookies() });
    expect(response.status).toBe(403);
    expect(reasonOf(response)).toBe('cf_bad_signature');
  });

  it('refuses a signed URL for another object, and an expired one', async () => {
    const url = await mintedUrl('/attractions/42/clip.mp4');
    const other = await respond(world, { uri: '/attractions/42/other.mp4', querystring: url.search.slice(1) });
    // A canned policy is rebuilt from the requested URL, so another object means another policy: bad signature.
    expect([other.status, reasonOf(other)]).toEqual([403, 'cf_bad_signature']);
    world.clock.nowMs = NOW_MS + 61_000;
    const late = await respond(world, { uri: url.pathname, querystring: url.search.slice(1) });
    world.clock.nowMs = NOW_MS;
    expect([late.status, reasonOf(late)]).toEqual([403, 'cf_expired']);
  });

  it('re-mints seamlessly when the cookies expired but the session is valid', async () => {
    const cookies = await mintedCookies();
    world.clock.nowMs = NOW_MS + 3_700_000;
    const fresh = await world.token({ iat: NOW_S + 3690, exp: NOW_S + 7200 });
    const response = await respond(world, { uri: '/attractions/42/a.jpg', cookies: { ...cookies, session: fresh } });
    world.clock.nowMs = NOW_MS;
    expect(response.status).toBe(302);
    expect(Object.keys(cloudFrontCookies(response))).toContain('CloudFront-Signature');
  });

  it('does not let cookies for one attraction open another', async () => {
    const cookies = await mintedCookies('/attractions/42/a.jpg');
    const response = await respond(world, { uri: '/attractions/7/a.jpg', cookies: { ...cookies, session } });
    expect([response.status, reasonOf(response)]).toEqual([403, 'no_ticket']);
  });

  it('accepts cookies and URLs signed by a trusted rotation key', async () => {
    const signer = {
      keyPairId: old.keyPairId,
      privateKey: createPrivateKey(old.privateKeyPem),
      hashAlgorithm: 'SHA1' as const,
    };
    const policy = customPolicy({ resource: `https://${HOST}/attractions/9/*`, dateLessThan: NOW_S + 100 });
    const cookies = Object.fromEntries(signedCookies(signer, { policy }).map((c) => [c.name, c.value]));
    await pass(world, { uri: '/attractions/9/x.jpg', cookies });
    const url = new URL(signedUrl(signer, `https://${HOST}/attractions/9/y.jpg`, { expiresEpochSeconds: NOW_S + 100 }));
    await pass(world, { uri: url.pathname, querystring: url.search.slice(1) });
  });

  it('refuses cookies signed by an untrusted key and falls through to the token flows', async () => {
    const stranger = cloudFrontKey('KSTRANGER00001');
    const signer = {
      keyPairId: stranger.keyPairId,
      privateKey: createPrivateKey(stranger.privateKeyPem),
      hashAlgorithm: 'SHA1' as const,
    };
    const policy = customPolicy({ resource: `https://${HOST}/attractions/9/*`, dateLessThan: NOW_S + 100 });
    const cookies = Object.fromEntries(signedCookies(signer, { policy }).map((c) => [c.name, c.value]));
    const response = await respond(world, { uri: '/attractions/9/x.jpg', cookies });
    expect([response.status, reasonOf(response)]).toEqual([401, 'token_missing']);
  });
});

describe('unprotected paths (behaviour 6)', () => {
  it.each(['/', '/public/a.jpg', '/attraction/42/x', '/index.html'])('passes %s untouched', async (uri) => {
    const event = viewerRequest({
      uri,
      querystring: 'token=abc&Expires=1',
      cookies: { session: 'x' },
      host: 'other.test',
    });
    const request = event.Records[0]?.cf.request;
    const result = await world.handler(event);
    expect(result).toEqual(request);
  });

  it('logs one line per decision', async () => {
    const before = world.logs.length;
    await run(world, { uri: '/public/a.jpg' });
    expect(world.logs.length).toBe(before + 1);
    expect(JSON.parse(world.logs.at(-1) ?? '{}')).toMatchObject({ reason: 'not_protected', requestId: 'req-test-1' });
  });
});
