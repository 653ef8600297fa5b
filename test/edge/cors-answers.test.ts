// Generated answers to browser apps on other origins: readable (CORS headers) by a listed origin only, and a request
// that is not a navigation never gets a sign-in redirect: it gets a 401 JSON answer with the reason code instead.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Generated, ViewerRequestInput } from '../helpers/events.ts';
import { createWorld, NOW_S } from './fixture.ts';
import type { World } from './fixture.ts';
import { pass, reasonOf, respond } from './flow.ts';

const APP = 'https://app.example.test';
const LOGIN = 'https://id.example.test/login';
const CORS_NAMES = [
  'access-control-allow-origin',
  'access-control-allow-credentials',
  'access-control-expose-headers',
  'vary',
];

let world: World;
let session: string;
let expired: string;

beforeAll(async () => {
  world = createWorld({ appOrigins: [APP], loginUrl: LOGIN });
  session = await world.token();
  expired = await world.token({ exp: NOW_S - 120 });
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
/** What `fetch()` sends from a page (Fetch Metadata); `credentials: 'include'` adds the cookies. */
const fetchMode = { 'sec-fetch-mode': 'cors', accept: '*/*' };

type Case = [name: string, input: () => ViewerRequestInput, status: number, reason: string];

const generated: Case[] = [
  [
    'a signed-URL redirect',
    () => ({ uri: '/attractions/42/a.mp4', headers: bearer(session) }),
    302,
    'signed_url_minted',
  ],
  [
    'a cookie redirect',
    () => ({ uri: '/attractions/42/a.mp4', headers: fetchMode, cookies: { session } }),
    302,
    'cookies_minted',
  ],
  ['a bad bearer token', () => ({ uri: '/attractions/42/a.mp4', headers: bearer('x.y.z') }), 401, 'token_malformed'],
  ['a fetch without a session', () => ({ uri: '/attractions/42/a.mp4', headers: fetchMode }), 401, 'token_missing'],
  ['no ticket', () => ({ uri: '/attractions/7/a.mp4', headers: bearer(session) }), 403, 'no_ticket'],
  [
    'a bad signed URL',
    () => ({ uri: '/attractions/42/a.mp4', querystring: 'Expires=1&Signature=x&Key-Pair-Id=K2JCJMDEHXQW5F' }),
    403,
    'cf_malformed',
  ],
  [
    'an unsafe path',
    () => ({ uri: '/attractions/bad..id/a.mp4', headers: bearer(session) }),
    400,
    'path_bad_attraction',
  ],
  [
    'a grant',
    () => ({ uri: '/_edgepass/grant', querystring: 'attraction=42', method: 'POST', headers: bearer(session) }),
    200,
    'cookies_granted',
  ],
  ['a bad grant', () => ({ uri: '/_edgepass/grant', headers: bearer(session) }), 400, 'grant_bad_request'],
  [
    'a sign-out',
    () => ({ uri: '/_edgepass/sign-out', method: 'POST', headers: fetchMode, cookies: { session } }),
    200,
    'signed_out',
  ],
  ['an unknown endpoint', () => ({ uri: '/_edgepass/nope' }), 404, 'endpoint_not_found'],
  ['another method on an endpoint', () => ({ uri: '/_edgepass/grant', method: 'PUT' }), 405, 'method_not_allowed'],
];

/** The reason of a 302 is in the decision log only (its body is empty). */
function reasonAfter(world: World, response: Generated): string {
  if (response.status !== 302) return reasonOf(response);
  return (JSON.parse(world.logs.at(-1) ?? '{}') as { reason: string }).reason;
}

describe('generated answers and CORS', () => {
  it.each(generated)('%s to a listed origin is readable (exact CORS headers)', async (_name, input, status, reason) => {
    const request = input();
    const response = await respond(world, { ...request, headers: { ...request.headers, origin: APP } });
    expect([response.status, reasonAfter(world, response)]).toEqual([status, reason]);
    expect(Object.fromEntries(CORS_NAMES.map((name) => [name, response.headers[name]]))).toEqual({
      'access-control-allow-origin': [APP],
      'access-control-allow-credentials': ['true'],
      'access-control-expose-headers': ['WWW-Authenticate'],
      vary: ['Origin'],
    });
    expect(response.headers['cache-control']).toEqual(['no-store']);
  });

  it.each(generated)('%s carries no CORS header for an unlisted or absent origin', async (name, input, status) => {
    for (const origin of ['https://evil.example', 'null', 'https://app.example.test:444', undefined]) {
      const request = input();
      const headers = origin === undefined ? request.headers : { ...request.headers, origin };
      const response = await respond(world, { ...request, headers: headers ?? {} });
      // Another site's sign-out is refused (issue #11, sign-out CSRF): only an absent Origin (no browser) gets through.
      expect(response.status).toBe(name === 'a sign-out' && origin !== undefined ? 403 : status);
      expect(Object.keys(response.headers).filter((header) => CORS_NAMES.includes(header))).toEqual([]);
    }
  });

  it('leaves a passed-through request to the distribution (no answer, nothing added)', async () => {
    const minted = await respond(world, { uri: '/attractions/42/a.mp4', headers: bearer(session) });
    const url = new URL(minted.headers['location']?.[0] ?? '');
    const request = await pass(world, {
      uri: url.pathname,
      querystring: url.search.slice(1),
      headers: { origin: APP, 'sec-fetch-mode': 'cors' },
    });
    expect(request.headers['origin']).toEqual([{ key: 'Origin', value: APP }]);
  });
});

describe('requests that are not navigations never get a sign-in redirect', () => {
  it.each([
    ['fetch()', fetchMode, 'none', 'token_missing'],
    [
      'fetch() asking for HTML (Sec-Fetch-Mode wins)',
      { 'sec-fetch-mode': 'cors', accept: 'text/html' },
      'none',
      'token_missing',
    ],
    [
      'an <img> element',
      { 'sec-fetch-mode': 'no-cors', accept: 'image/avif,image/*,*/*;q=0.8' },
      'none',
      'token_missing',
    ],
    ['fetch() with an expired session', fetchMode, 'expired', 'token_expired'],
    ['a client without Fetch Metadata asking for JSON', { accept: 'application/json' }, 'none', 'token_missing'],
    ['a client without Fetch Metadata or Accept', {}, 'none', 'token_missing'],
  ] as const)('answers 401 JSON to %s', async (_name, headers, sessionCookie, reason) => {
    const cookies = sessionCookie === 'expired' ? { session: expired } : {};
    const response = await respond(world, { uri: '/attractions/42/a.mp4', headers, cookies });
    expect([response.status, reasonOf(response)]).toEqual([401, reason]);
    expect(response.headers['content-type']).toEqual(['application/json']);
    expect(response.headers['www-authenticate']).toEqual(['Bearer realm="edgepass"']);
    expect(response.headers['location']).toBeUndefined();
    expect(JSON.parse(response.body)).toEqual({ reason, requestId: 'req-test-1' });
  });

  it.each([
    ['a navigation', { 'sec-fetch-mode': 'navigate', accept: 'text/html,*/*;q=0.8' }],
    ['a navigation with a generic Accept', { 'sec-fetch-mode': 'navigate', accept: '*/*' }],
    ['an older browser loading a page (no Fetch Metadata)', { accept: 'text/html,application/xhtml+xml' }],
  ])('still sends %s to the login page', async (_name, headers) => {
    const response = await respond(world, { uri: '/attractions/42/a.mp4', headers, cookies: { session: expired } });
    expect(response.status).toBe(302);
    // The session ended: the login page is told so (reason=token_expired), besides the safe return path.
    expect(response.headers['location']).toEqual([
      `${LOGIN}?return_to=%2Fattractions%2F42%2Fa.mp4&reason=token_expired`,
    ]);
  });
});
