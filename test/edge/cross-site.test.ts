// Issue #11, cross-site tricks: another site cannot sign a user out, plant a marker that locks a signed-in user out,
// or win with cookies tossed from a sibling subdomain (same names, longer Path, so sent first). Each case failed on
// the previous edge.
import { beforeAll, describe, expect, it } from 'vitest';
import { setCookies } from '../helpers/events.ts';
import { createWorld, HOST, NOW_S } from './fixture.ts';
import type { World } from './fixture.ts';
import { cloudFrontCookies, pass, reasonOf, respond } from './flow.ts';

const APP = 'https://app.example.test';
let world: World;
let session: string;

beforeAll(async () => {
  world = createWorld({ appOrigins: [APP], linkTokens: { audience: 'edgepass-link' } });
  session = await world.token();
});

const asCookieHeader = (pairs: [string, string][]) => pairs.map(([name, value]) => `${name}=${value}`).join('; ');

describe('sign-out', () => {
  it.each([
    ['a GET from a link on another site', 'GET', { 'sec-fetch-site': 'cross-site' }],
    ['a GET from a sibling subdomain', 'GET', { 'sec-fetch-site': 'same-site' }],
    ['a GET without Fetch Metadata (an older browser: could be any site)', 'GET', {}],
    ['a form POST from another site', 'POST', { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' }],
    ['a POST from another site, without Fetch Metadata', 'POST', { origin: 'https://evil.example' }],
    ['a POST from an opaque origin', 'POST', { 'sec-fetch-site': 'cross-site', origin: 'null' }],
  ])('refuses %s: nothing cleared, a button to sign out from here', async (_name, method, headers) => {
    const response = await respond(world, {
      uri: '/_edgepass/sign-out',
      method,
      headers: { ...headers, 'sec-fetch-mode': 'navigate', accept: 'text/html' },
      cookies: { session },
    });
    expect([response.status, reasonOf(response)]).toEqual([403, 'sign_out_unconfirmed']);
    expect(response.headers['set-cookie']).toBeUndefined();
    expect(response.body).toContain('<form method="post"><button type="submit">Sign out</button></form>');
  });

  it.each([
    ['a GET from our own page', 'GET', { 'sec-fetch-site': 'same-origin' }],
    ['a GET the user typed', 'GET', { 'sec-fetch-site': 'none' }],
    ['a POST from our own page (the button)', 'POST', { 'sec-fetch-site': 'same-origin', origin: `https://${HOST}` }],
    ['a POST from a listed app origin', 'POST', { 'sec-fetch-site': 'cross-site', origin: APP }],
    ['a POST from a client that is not a browser', 'POST', {}],
    ['an app with its bearer token', 'GET', { 'sec-fetch-site': 'cross-site', authorization: 'bearer' }],
  ])('accepts %s', async (_name, method, headers: Record<string, string>) => {
    const auth = headers['authorization'] === undefined ? {} : { authorization: `Bearer ${session}` };
    const response = await respond(world, {
      uri: '/_edgepass/sign-out',
      method,
      headers: { ...headers, ...auth },
      cookies: { session },
    });
    expect([response.status, reasonOf(response)]).toEqual([200, 'signed_out']);
    expect(response.headers['set-cookie']?.some((line) => line.startsWith('session=; Path=/; Max-Age=0'))).toBe(true);
  });
});

describe('the cookies-blocked marker', () => {
  it.each([
    ['the old, unauthenticated form', `${NOW_S}`],
    ["another session's tag", `${NOW_S}.AAAAAAAAAAAAAAAAAAAAAA`],
  ])('planted in a link (%s) cannot lock out a valid session: fresh cookies instead', async (_name, marker) => {
    const response = await respond(world, {
      uri: '/attractions/42/a.jpg',
      querystring: `edgepass_cc=${marker}`,
      cookies: { session },
    });
    expect(response.status).toBe(302);
    expect(Object.keys(cloudFrontCookies(response))).toContain('CloudFront-Signature');
  });
});

describe('cookies tossed from a sibling subdomain', () => {
  it('finds the valid session among junk sessions sent first', async () => {
    const expired = await world.token({ exp: NOW_S - 3600 });
    const response = await respond(world, {
      uri: '/attractions/42/a.jpg',
      headers: {
        cookie: asCookieHeader([
          ['session', 'junk'],
          ['session', expired],
          ['session', session],
        ]),
      },
    });
    expect(response.status).toBe(302);
    expect(Object.keys(cloudFrontCookies(response))).toContain('CloudFront-Policy');
  });

  it('finds the valid CloudFront cookies among junk ones sent first', async () => {
    const minted = await respond(world, { uri: '/attractions/42/a.jpg', cookies: { session } });
    const valid = Object.entries(cloudFrontCookies(minted));
    const junk: [string, string][] = valid.map(([name]) => [name, 'AAAA']);
    const request = await pass(world, {
      uri: '/attractions/42/b.jpg',
      headers: { cookie: asCookieHeader([...junk, ...valid]) },
    });
    expect(request.uri).toBe('/attractions/42/b.jpg');
    expect(request.headers['cookie']).toBeUndefined();
  });

  it('finds them when only one name was tossed, between names sent once', async () => {
    const minted = await respond(world, { uri: '/attractions/42/a.jpg', cookies: { session } });
    const valid = cloudFrontCookies(minted);
    const cookie = asCookieHeader([
      ['CloudFront-Policy', valid['CloudFront-Policy'] ?? ''],
      ['CloudFront-Signature', 'AAAA'],
      ['CloudFront-Signature', valid['CloudFront-Signature'] ?? ''],
      ['CloudFront-Key-Pair-Id', valid['CloudFront-Key-Pair-Id'] ?? ''],
    ]);
    const request = await pass(world, { uri: '/attractions/42/b.jpg', headers: { cookie } });
    expect(request.uri).toBe('/attractions/42/b.jpg');
  });

  it('tries a bounded number of sets, then re-mints (no unbounded work per request)', async () => {
    const minted = await respond(world, { uri: '/attractions/42/a.jpg', cookies: { session } });
    const valid = Object.entries(cloudFrontCookies(minted));
    const junk: [string, string][] = [1, 2, 3].flatMap((n) => valid.map(([name]): [string, string] => [name, `J${n}`]));
    const response = await respond(world, {
      uri: '/attractions/42/b.jpg',
      headers: { cookie: asCookieHeader([...junk, ...valid, ['session', session]]) },
    });
    expect(response.status).toBe(302);
    expect(setCookies(response).has('CloudFront-Signature')).toBe(true);
  });
});

describe('links and an existing session (login CSRF)', () => {
  it("never replace the session of whoever follows another user's link", async () => {
    const attackers = await world.token({ sub: 'mallory', aud: 'edgepass-link', iat: NOW_S, exp: NOW_S + 60 });
    const response = await respond(world, {
      uri: '/attractions/42/a.jpg',
      querystring: `token=${attackers}`,
      headers: { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate' },
      cookies: { session },
    });
    expect(response.status).toBe(302);
    expect(setCookies(response).has('session')).toBe(false);
  });
});
