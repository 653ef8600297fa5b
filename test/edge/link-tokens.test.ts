// Issue #11, "the ?token= link token is a full credential": links take only tokens of their own audience with a short
// lifetime, never become the session, never reach a Location header or a minted URL, and are cleaned from the
// address bar when the browser already holds valid cookies. Each case failed on the previous edge.
import { beforeAll, describe, expect, it } from 'vitest';
import type { ConfigError } from '../../common/errors.ts';
import { parseConfig } from '../../edge/config.ts';
import { setCookies } from '../helpers/events.ts';
import { cloudFrontKey, createWorld, HOST, NOW_S, rawConfig } from './fixture.ts';
import type { World } from './fixture.ts';
import { cloudFrontCookies, decodedPolicy, reasonOf, respond } from './flow.ts';

const LINK = 'edgepass-link';
const navigation = { 'sec-fetch-mode': 'navigate', accept: 'text/html' };
let world: World;
let link: string;
let session: string;

beforeAll(async () => {
  world = createWorld({
    loginUrl: 'https://id.example.test/login',
    linkTokens: { audience: LINK, maxLifetimeSeconds: 300 },
  });
  link = await world.token({ aud: LINK, iat: NOW_S - 10, exp: NOW_S + 290 });
  session = await world.token();
});

const follow = (token: string, extra: Record<string, unknown> = {}) =>
  respond(world, { uri: '/attractions/42/a.jpg', querystring: `token=${token}&x=1`, headers: navigation, ...extra });

describe('link tokens', () => {
  it('grant the attraction for the cookie TTL, back to the clean URL, and never become the session', async () => {
    const response = await follow(link);
    expect(response.status).toBe(302);
    const location = response.headers['location']?.[0] ?? '';
    expect(location).toMatch(new RegExp(`^/attractions/42/a\\.jpg\\?x=1&edgepass_cc=${NOW_S}\\.[A-Za-z0-9_-]{22}$`));
    expect(location).not.toContain(link);
    expect([...setCookies(response).keys()]).toEqual([
      'CloudFront-Policy',
      'CloudFront-Signature',
      'CloudFront-Key-Pair-Id',
      `edgepass-grant-${Buffer.from('/attractions/42/').toString('base64url')}`,
    ]);
    // Bounded by the cookie TTL (3600 s, rounded to the 60 s bucket), not by the link's own 290 s.
    const end = decodedPolicy(cloudFrontCookies(response)).Statement[0].Condition.DateLessThan['AWS:EpochTime'];
    expect(end).toBeGreaterThan(NOW_S + 290);
    expect(end).toBeLessThanOrEqual(NOW_S + 3600);
  });

  it.each([
    ['a session token (the app audience)', () => world.token(), 'token_bad_audience'],
    [
      'a link token living longer than the cap',
      () => world.token({ aud: LINK, iat: NOW_S - 10, exp: NOW_S + 3600 }),
      'token_lifetime_too_long',
    ],
    [
      'a link token without iat',
      () => world.token({ aud: LINK, iat: undefined, exp: NOW_S + 60 }),
      'token_lifetime_too_long',
    ],
  ])('refuse %s, sending the browser to sign in without the token', async (_name, make, reason) => {
    const token = await make();
    const response = await follow(token);
    expect(response.status).toBe(302);
    const location = new URL(response.headers['location']?.[0] ?? '');
    expect(location.searchParams.get('return_to')).toBe('/attractions/42/a.jpg?x=1');
    expect(location.href).not.toContain(token);
    expect(response.headers['set-cookie']).toBeUndefined();
    expect(JSON.parse(world.logs.at(-1) ?? '{}')).toMatchObject({ reason });
  });

  it('are worthless as a session cookie or a bearer token', async () => {
    const asSession = await respond(world, { uri: '/attractions/42/a.jpg', cookies: { session: link } });
    expect([asSession.status, reasonOf(asSession)]).toEqual([401, 'token_bad_audience']);
    const asBearer = await respond(world, {
      uri: '/attractions/42/a.jpg',
      headers: { authorization: `Bearer ${link}` },
    });
    expect([asBearer.status, reasonOf(asBearer)]).toEqual([401, 'token_bad_audience']);
  });

  it('are cleaned from the address bar when the browser already holds valid cookies', async () => {
    const cookies = cloudFrontCookies(await follow(link));
    const response = await follow(link, { cookies });
    expect(response.status).toBe(302);
    expect(response.headers['location']).toEqual(['/attractions/42/a.jpg?x=1']);
    expect(response.headers['set-cookie']).toBeUndefined();
  });

  it('never reach a signed URL minted for an app that also sent one', async () => {
    const response = await follow(link, { headers: { authorization: `Bearer ${session}` } });
    const location = response.headers['location']?.[0] ?? '';
    expect(location).toMatch(new RegExp(`^https://${HOST}/attractions/42/a\\.jpg\\?x=1&Expires=`));
    expect(location).not.toContain('token=');
  });

  it('are ignored when links are off: the parameter neither signs in nor reaches the redirect', async () => {
    const off = createWorld({ loginUrl: 'https://id.example.test/login' }, { idp: world.idp, cf: world.cf });
    const withSession = await respond(off, {
      uri: '/attractions/42/a.jpg',
      querystring: `token=${session}`,
      cookies: { session },
    });
    expect(withSession.headers['location']?.[0]).toMatch(/^\/attractions\/42\/a\.jpg\?edgepass_cc=/);
    const without = await respond(off, {
      uri: '/attractions/42/a.jpg',
      querystring: `token=${session}`,
      headers: navigation,
    });
    expect(new URL(without.headers['location']?.[0] ?? '').searchParams.get('return_to')).toBe('/attractions/42/a.jpg');
    expect(without.headers['set-cookie']).toBeUndefined();
  });
});

describe('linkTokens configuration', () => {
  const problems = (jwt: Record<string, unknown>, linkTokens: unknown): readonly string[] => {
    const raw = rawConfig(world.idp, cloudFrontKey());
    try {
      parseConfig({ ...raw, jwt: { ...(raw['jwt'] as object), ...jwt }, linkTokens });
    } catch (error) {
      return (error as ConfigError).problems;
    }
    return [];
  };

  it.each([
    [
      'an issuer that skips the audience check',
      { audience: null },
      { audience: LINK },
      'jwt.audience must not be null when linkTokens is set',
    ],
    [
      'an issuer accepting the link audience',
      { audience: ['edgepass-demo', LINK] },
      { audience: LINK },
      'jwt.audience must not include linkTokens.audience (a link token would work everywhere)',
    ],
    [
      'a lifetime cap over an hour',
      {},
      { audience: LINK, maxLifetimeSeconds: 7200 },
      'linkTokens.maxLifetimeSeconds must be an integer from 10 to 3600',
    ],
    ['an unknown setting', {}, { audience: LINK, ttl: 1 }, 'linkTokens.ttl is not a known setting'],
  ])('refuses %s', (_name, jwt, linkTokens, problem) => {
    expect(problems(jwt, linkTokens)).toContain(problem);
  });
});
