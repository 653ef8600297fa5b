// Sign-in at the edge against a real OpenID Provider (oidc-provider v9 on loopback): the redirect to the provider,
// the full round trip back to the original path with a session and CloudFront cookies, replayed codes, forged state,
// silent refresh, RP-initiated logout, and that no code, token, state or secret reaches a log line.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIdp } from '../helpers/tokens.ts';
import { CLIENT_ID, followToClient, startOidcProvider } from '../helpers/oidc-provider.ts';
import type { TestProvider } from '../helpers/oidc-provider.ts';
import { viewerRequest } from '../helpers/events.ts';
import { reasonOf } from './flow.ts';
import {
  answer,
  CALLBACK,
  callbackWith,
  cookieAttributes,
  jarOf,
  location,
  navigation,
  ORIGIN,
  oidcWorld,
  randomSecret,
  startSignIn,
} from './oidc-world.ts';
import type { OidcWorld } from './oidc-world.ts';

const idp = createIdp('provider-key');
const clientSecret = randomSecret();
let provider: TestProvider;
let world: OidcWorld;
/** Every credential seen in these tests: none may appear in any log line. */
const secrets = new Set<string>([clientSecret]);

beforeAll(async () => {
  provider = await startOidcProvider({
    idp,
    redirectUris: [CALLBACK],
    postLogoutRedirectUris: [`${ORIGIN}/`],
    clientSecret,
  });
  const { issuer, authorizationEndpoint, tokenEndpoint, endSessionEndpoint } = provider;
  world = oidcWorld(
    { issuer, authorizationEndpoint, tokenEndpoint, endSessionEndpoint },
    { clientSecret, refreshTokenTtlSeconds: 86_400 },
    { idp },
  );
});

afterAll(async () => {
  await provider.close();
});

/** Through the provider and back: the callback's answer, the code and the state cookie it was sent with. */
async function roundTrip(back = '/attractions/42/index.html?quality=hd') {
  const { stateCookie, authorizationUrl } = await startSignIn(world, back);
  const returned = await followToClient(authorizationUrl.href, provider.issuer);
  const code = returned.searchParams.get('code') ?? '';
  secrets.add(code);
  secrets.add(stateCookie);
  const response = await callbackWith(world, returned.search.slice(1), { 'edgepass-oidc': stateCookie });
  const jar = jarOf(response);
  for (const name of ['session', 'edgepass-refresh']) if (jar[name] !== undefined) secrets.add(jar[name]);
  return { response, jar, code, stateCookie, query: returned.search.slice(1) };
}

describe('a navigation without a usable session', () => {
  it('goes to the sign-in endpoint with a safe relative return path', async () => {
    const response = await answer(world, navigation({ uri: '/attractions/42/index.html', querystring: 'quality=hd' }));
    expect(response.status).toBe(302);
    expect(location(response)).toBe('/_edgepass/sign-in?return=%2Fattractions%2F42%2Findex.html%3Fquality%3Dhd');
    expect(JSON.parse(world.logs.at(-1) ?? '{}')).toMatchObject({ reason: 'token_missing', status: 302 });
  });

  it('still answers a media request (not a navigation) with a 401, never a redirect to the provider', async () => {
    const response = await answer(world, { uri: '/attractions/42/seg1.ts', headers: { 'sec-fetch-mode': 'no-cors' } });
    expect(response.status).toBe(401);
    expect(response.headers['location']).toBeUndefined();
  });

  it('is sent to the authorization endpoint with PKCE S256, state, nonce and a short-lived state cookie', async () => {
    const { response, stateCookie, authorizationUrl } = await startSignIn(world);
    const params = authorizationUrl.searchParams;
    expect(authorizationUrl.origin + authorizationUrl.pathname).toBe(provider.authorizationEndpoint);
    expect(Object.fromEntries(params)).toMatchObject({
      response_type: 'code',
      client_id: CLIENT_ID,
      redirect_uri: CALLBACK,
      scope: 'openid tickets offline_access',
      code_challenge_method: 'S256',
    });
    const [state, nonce, verifier] = stateCookie.split('.');
    expect(params.get('state')).toBe(state);
    expect(params.get('nonce')).toBe(nonce);
    expect(params.get('code_challenge')).toBe(
      createHash('sha256')
        .update(verifier ?? '')
        .digest('base64url'),
    );
    expect(state).toMatch(/^[\w-]{43}$/);
    expect(authorizationUrl.href).not.toContain(verifier);
    expect(cookieAttributes(response, 'edgepass-oidc')).toBe(
      'Path=/_edgepass/; Max-Age=600; Secure; HttpOnly; SameSite=Lax',
    );
    expect(response.headers['cache-control']).toEqual(['no-store']);
  });

  it.each(['//evil.example/', 'https://evil.example/', '/\\evil.example', 'javascript:alert(1)', ''])(
    'never carries an unsafe return path (%j) through sign-in',
    async (back) => {
      const { stateCookie } = await startSignIn(world, back);
      const encoded = stateCookie.split('.')[3] ?? '';
      expect(Buffer.from(encoded, 'base64url').toString('utf8')).toBe('/');
    },
  );
});

describe('the round trip through the provider', () => {
  it('signs in and returns to the original path, where the session earns the CloudFront cookies', async () => {
    const { response, jar } = await roundTrip();
    expect(response.status).toBe(302);
    expect(location(response)).toBe('/attractions/42/index.html?quality=hd');
    expect(jar['session']).toMatch(/^ey[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(cookieAttributes(response, 'session')).toMatch(/^Path=\/; Max-Age=\d+; Secure; HttpOnly; SameSite=Lax$/);
    expect(cookieAttributes(response, 'edgepass-refresh')).toBe(
      'Path=/_edgepass/; Max-Age=86400; Secure; HttpOnly; SameSite=Lax',
    );
    expect(cookieAttributes(response, 'edgepass-oidc')).toContain('Max-Age=0');
    const last = JSON.parse(world.logs.at(-1) ?? '{}') as Record<string, unknown>;
    expect(last).toMatchObject({ reason: 'oidc_signed_in', status: 302, iss: provider.issuer });

    // Back at the original path, the session (the ID token) earns the attraction's cookies, as any session does.
    const back = navigation({ uri: '/attractions/42/index.html', querystring: 'quality=hd' });
    const minted = await answer(world, { ...back, cookies: { session: jar['session'] ?? '' } });
    expect(location(minted)).toMatch(/^\/attractions\/42\/index\.html\?quality=hd&edgepass_cc=\d+\.[\w-]{22}$/);
    expect(cookieAttributes(minted, 'CloudFront-Policy')).toContain('Path=/attractions/42/');
    const cloudFront = Object.fromEntries(
      Object.entries(jarOf(minted)).filter(([name]) => name.startsWith('CloudFront-')),
    );
    const passed = await world.handler(viewerRequest({ ...back, cookies: cloudFront }));
    expect(passed).not.toHaveProperty('status');
  });

  it('leaves a session that downstream verifies as before: it earns fresh cookies on its own', async () => {
    const { jar } = await roundTrip('/');
    const response = await answer(
      world,
      navigation({ uri: '/attractions/42/', cookies: { session: jar['session'] ?? '' } }),
    );
    expect(response.status).toBe(302);
    expect(JSON.parse(world.logs.at(-1) ?? '{}')).toMatchObject({ reason: 'cookies_minted' });
  });

  it('refuses a replayed code: the state cookie is single-use and the provider refuses the code again', async () => {
    const { query, stateCookie } = await roundTrip();
    // The browser no longer holds the state cookie: nothing to match.
    const cleared = await callbackWith(world, query, {});
    expect([cleared.status, reasonOf(cleared)]).toEqual([400, 'oidc_state_missing']);
    // An attacker who kept the cookie too: the provider refuses the spent code.
    const replayed = await callbackWith(world, query, { 'edgepass-oidc': stateCookie });
    expect([replayed.status, reasonOf(replayed)]).toEqual([502, 'oidc_token_error']);
    expect(replayed.headers['location']).toBeUndefined();
    expect(jarOf(replayed)['session']).toBeUndefined();
  });
});

describe('a callback that does not belong to the sign-in this browser started', () => {
  it('is refused with a page when the state does not match, and the state cookie is cleared', async () => {
    const { stateCookie } = await startSignIn(world);
    const before = world.fetchCalls.length;
    const response = await callbackWith(world, 'code=abc&state=forged', { 'edgepass-oidc': stateCookie });
    expect(world.fetchCalls.length).toBe(before);
    expect([response.status, reasonOf(response)]).toEqual([400, 'oidc_state_mismatch']);
    expect(cookieAttributes(response, 'edgepass-oidc')).toContain('Max-Age=0');
    expect(response.body).toContain('href="/_edgepass/sign-in?return=%2Fattractions%2F42%2Findex.html"');
    expect(response.headers['location']).toBeUndefined();
  });

  it('is refused without a state cookie, and the code is never spent', async () => {
    const before = world.fetchCalls.length;
    const response = await callbackWith(world, 'code=abc&state=whatever', {});
    expect([response.status, reasonOf(response)]).toEqual([400, 'oidc_state_missing']);
    expect(world.fetchCalls.length).toBe(before);
  });

  it("shows the provider's refusal as a page with a next step, never a redirect", async () => {
    const { stateCookie } = await startSignIn(world);
    const state = stateCookie.split('.')[0] ?? '';
    const response = await callbackWith(world, `error=access_denied&state=${state}`, { 'edgepass-oidc': stateCookie });
    expect([response.status, reasonOf(response)]).toEqual([403, 'oidc_idp_error']);
    expect(response.body).toContain('Try again');
  });

  it('refuses a callback naming another issuer (RFC 9207 mix-up)', async () => {
    const { stateCookie } = await startSignIn(world);
    const state = stateCookie.split('.')[0] ?? '';
    const query = `code=abc&state=${state}&iss=${encodeURIComponent('https://other.example/')}`;
    const response = await callbackWith(world, query, { 'edgepass-oidc': stateCookie });
    expect(reasonOf(response)).toBe('oidc_bad_callback');
  });
});

describe('silent refresh', () => {
  it('renews an ended session with the refresh token, without a trip to the provider', async () => {
    const { jar } = await roundTrip('/');
    const refresh = jar['edgepass-refresh'] ?? '';
    expect(refresh).not.toBe('');
    const response = await answer(
      world,
      navigation({
        uri: '/_edgepass/sign-in',
        querystring: 'return=%2Fattractions%2F42%2F',
        cookies: { 'edgepass-refresh': refresh },
      }),
    );
    expect(response.status).toBe(302);
    expect(location(response)).toBe('/attractions/42/');
    const renewed = jarOf(response);
    expect(renewed['session']).toMatch(/^ey/);
    expect(renewed['session']).not.toBe(jar['session']);
    secrets.add(renewed['session'] ?? '');
    expect(JSON.parse(world.logs.at(-1) ?? '{}')).toMatchObject({ reason: 'oidc_refreshed' });
  });

  it('asks the provider again for another account (prompt=login), never with the refresh token', async () => {
    const { jar } = await roundTrip('/');
    const refused = await answer(world, navigation({ uri: '/attractions/7/index.html', cookies: jar }));
    expect(reasonOf(refused)).toBe('no_ticket');
    const link = /<a class="next" href="([^"]+)">Sign in with another account</.exec(refused.body)?.[1] ?? '';
    expect(link.replaceAll('&#38;', '&')).toBe(
      '/_edgepass/sign-in?return=%2Fattractions%2F7%2Findex.html&prompt=login',
    );
    const response = await answer(
      world,
      navigation({
        uri: '/_edgepass/sign-in',
        querystring: 'return=%2Fattractions%2F7%2Findex.html&prompt=login',
        cookies: jar,
      }),
    );
    const url = new URL(location(response));
    expect(url.origin + url.pathname).toBe(provider.authorizationEndpoint);
    expect(url.searchParams.get('prompt')).toBe('login');
    expect(JSON.parse(world.logs.at(-1) ?? '{}')).toMatchObject({ reason: 'oidc_sign_in' });
  });

  it('falls back to the provider, dropping the refresh token, when the provider refuses it', async () => {
    const response = await answer(
      world,
      navigation({
        uri: '/_edgepass/sign-in',
        querystring: 'return=%2F',
        cookies: { 'edgepass-refresh': 'not-a-token' },
      }),
    );
    expect(location(response).startsWith(`${provider.authorizationEndpoint}?`)).toBe(true);
    expect(cookieAttributes(response, 'edgepass-refresh')).toContain('Max-Age=0');
    expect(JSON.parse(world.logs.at(-1) ?? '{}')).toMatchObject({ reason: 'oidc_refresh_failed' });
  });
});

describe('sign-out', () => {
  it('clears our cookies and ends the provider session without a token in the URL', async () => {
    const { jar } = await roundTrip('/');
    const response = await answer(
      world,
      navigation({ uri: '/_edgepass/sign-out', cookies: jar, headers: { 'sec-fetch-site': 'same-origin' } }),
    );
    expect(response.status).toBe(302);
    const url = new URL(location(response));
    expect(url.origin + url.pathname).toBe(provider.endSessionEndpoint);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: CLIENT_ID,
      post_logout_redirect_uri: `${ORIGIN}/`,
    });
    for (const value of Object.values(jar)) expect(url.href).not.toContain(value);
    for (const name of ['session', 'edgepass-refresh', 'edgepass-oidc', 'CloudFront-Policy']) {
      expect(cookieAttributes(response, name)).toContain('Max-Age=0');
    }
    expect(response.headers['clear-site-data']).toEqual(['"cache"']);
    // The provider accepts the request (it asks the person to confirm), so the registration matches.
    const atProvider = await fetch(url, { redirect: 'manual' });
    expect(atProvider.status).toBe(200);
    await atProvider.arrayBuffer();
  });

  // Amazon Cognito's /logout takes client_id and logout_uri (Cognito Developer Guide, "The managed login sign-out
  // endpoint"); no Cognito here, so the request's shape is what is checked.
  it("names the return address logout_uri when configured for Cognito's /logout", async () => {
    const { issuer, authorizationEndpoint, tokenEndpoint } = provider;
    const endSessionEndpoint = 'https://auth.example.test/logout';
    const cognito = oidcWorld(
      { issuer, authorizationEndpoint, tokenEndpoint, endSessionEndpoint },
      { clientSecret, endSessionRedirectParameter: 'logout_uri' },
      { idp },
    );
    const response = await answer(
      cognito,
      navigation({ uri: '/_edgepass/sign-out', headers: { 'sec-fetch-site': 'same-origin' } }),
    );
    expect(response.status).toBe(302);
    const url = new URL(location(response));
    expect(url.origin + url.pathname).toBe(endSessionEndpoint);
    expect(Object.fromEntries(url.searchParams)).toEqual({ client_id: CLIENT_ID, logout_uri: `${ORIGIN}/` });
  });

  it('keeps its CSRF rule: another site cannot sign the person out (nothing cleared, no redirect)', async () => {
    const response = await answer(
      world,
      navigation({ uri: '/_edgepass/sign-out', headers: { 'sec-fetch-site': 'cross-site' } }),
    );
    expect([response.status, reasonOf(response)]).toEqual([403, 'sign_out_unconfirmed']);
    expect(response.headers['set-cookie']).toBeUndefined();
  });
});

describe('existing integrations under oidc', () => {
  it('accepts an app JWT in the session cookie as before', async () => {
    const token = await world.appToken();
    const response = await answer(world, navigation({ uri: '/attractions/42/', cookies: { session: token } }));
    expect([response.status, JSON.parse(world.logs.at(-1) ?? '{}').reason]).toEqual([302, 'cookies_minted']);
  });

  it('accepts a bearer token as before, and refuses an ID token as a bearer token', async () => {
    const token = await world.appToken();
    const ok = await answer(world, { uri: '/attractions/42/a.ts', headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(302);
    expect(location(ok)).toContain('Signature=');
    const { jar } = await roundTrip('/');
    const idToken = jar['session'] ?? '';
    const refused = await answer(world, {
      uri: '/attractions/42/a.ts',
      headers: { authorization: `Bearer ${idToken}` },
    });
    expect([refused.status, reasonOf(refused)]).toEqual([401, 'token_bad_audience']);
  });
});

describe('logs', () => {
  it('never hold a code, token, state, refresh token or the client secret', () => {
    expect(secrets.size).toBeGreaterThan(5);
    for (const line of world.logs) {
      for (const secret of secrets) if (secret.length >= 8) expect(line).not.toContain(secret);
    }
  });
});
