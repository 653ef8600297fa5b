// The local OpenID Provider (oidc-provider) through the CDN: discovery and JWKS, the authorization-code + PKCE flow
// with the sign-in form and implicit consent, ID tokens with each dev user's tickets that the edge accepts, refresh
// tokens, RP-initiated logout, and one issuer and current key shared by `/_dev/token` and `edgepass token`.
import { createLocalJWKSet, createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import type { JSONWebKeySet } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devToken, startTestStack } from '../e2e/stack-fixture.ts';
import type { TestStack } from '../e2e/stack-fixture.ts';
import { runCli } from '../cli/run.ts';
import {
  authorizeUrl,
  browse,
  CLIENT_ID,
  CookieJar,
  follow,
  pkcePair,
  readForm,
  redirectUri,
  signIn,
  tokenRequest,
} from './oidc-fixture.ts';

const MEDIA = '/attractions/giants-causeway/waves.m4a';

let t: TestStack;
let cdn: string;
let issuer: string;

beforeAll(async () => {
  t = await startTestStack();
  cdn = t.cdn;
  issuer = `${cdn}/_dev/oidc`;
}, 180_000);
afterAll(async () => {
  await t.stop();
});

interface Tokens {
  readonly id_token: string;
  readonly access_token: string;
  readonly refresh_token?: string;
}

async function tokensFor(login: string): Promise<Tokens> {
  const { verifier, challenge } = pkcePair();
  const { code } = await signIn(cdn, login, { code_challenge: challenge, code_challenge_method: 'S256' });
  if (code === undefined) throw new Error('no authorization code');
  const res = await tokenRequest(cdn, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: redirectUri(cdn),
    code_verifier: verifier,
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Tokens;
}

const jwks = async () => (await (await fetch(`${issuer}/jwks`)).json()) as JSONWebKeySet;

describe('the local OpenID Provider', () => {
  it('publishes its discovery document and JWKS through the CDN, under the CDN-port issuer', async () => {
    const res = await fetch(`${issuer}/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    const discovery = (await res.json()) as Record<string, unknown>;
    expect(discovery).toMatchObject({
      issuer,
      authorization_endpoint: `${issuer}/auth`,
      token_endpoint: `${issuer}/token`,
      jwks_uri: `${issuer}/jwks`,
      end_session_endpoint: `${issuer}/session/end`,
      code_challenge_methods_supported: ['S256'],
    });
    expect(discovery['grant_types_supported']).toEqual(expect.arrayContaining(['authorization_code', 'refresh_token']));
    expect(discovery['claims_supported']).toContain('tickets');
    const { keys } = await jwks();
    expect(keys.map((k) => k.kid)).toEqual([t.state.idp.kid]);
    expect(keys.every((k) => k.d === undefined && k.alg === 'ES256')).toBe(true);
  });

  it('shows a sign-in form with inputs login and password and one submit button', async () => {
    const { challenge } = pkcePair();
    const form = await follow(
      new CookieJar(),
      cdn,
      authorizeUrl(cdn, { code_challenge: challenge, code_challenge_method: 'S256' }),
    );
    expect(form.status).toBe(200);
    const { action, inputs, buttons } = readForm(await form.text());
    expect(action).toMatch(/^\/_dev\/oidc\/interaction\/[\w-]+\/login$/);
    expect(inputs).toEqual(['login', 'password']);
    expect(buttons).toBe(1);
  });

  it.each([
    ['alice', ['giants-causeway'], 302],
    ['bob', ['titanic-belfast'], 403],
    ['carol', ['giants-causeway', 'titanic-belfast'], 302],
    ['dave', [], 403],
  ])(
    'signs %s in (code + PKCE, implicit consent) with an ID token carrying their tickets',
    async (login, tickets, status) => {
      const { id_token: idToken } = await tokensFor(login);
      const { payload, protectedHeader } = await jwtVerify(idToken, createRemoteJWKSet(new URL(`${issuer}/jwks`)), {
        issuer,
        audience: CLIENT_ID,
        algorithms: ['ES256'],
      });
      expect(protectedHeader.kid).toBe(t.state.idp.kid);
      expect(payload.sub).toBe(login);
      expect(payload['tickets']).toEqual(tickets);
      // The edge trusts it as it trusts the app's tokens: same issuer, audience and keys.
      const media = await fetch(`${cdn}${MEDIA}`, {
        headers: { authorization: `Bearer ${idToken}` },
        redirect: 'manual',
      });
      expect(media.status).toBe(status);
    },
  );

  it('answers userinfo with the tickets claim', async () => {
    const { access_token: accessToken } = await tokensFor('carol');
    const res = await fetch(`${issuer}/me`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(await res.json()).toEqual({ sub: 'carol', tickets: ['giants-causeway', 'titanic-belfast'] });
  });

  it('refuses an authorization request without a PKCE challenge', async () => {
    const res = await follow(new CookieJar(), cdn, authorizeUrl(cdn, {}));
    const location = new URL(res.headers.get('location') ?? '/', cdn);
    expect(location.href.startsWith(redirectUri(cdn))).toBe(true);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('code')).toBeNull();
  });

  // The local distribution serves localhost and 127.0.0.1, and the edge's callback uses the host the browser used.
  it('takes the edge callback under either loopback name, and no other', async () => {
    const { challenge } = pkcePair();
    const port = new URL(cdn).port;
    const callback = (host: string) => `http://${host}:${port}/_edgepass/callback`;
    for (const host of ['localhost', '127.0.0.1']) {
      const params = { code_challenge: challenge, code_challenge_method: 'S256', redirect_uri: callback(host) };
      const { code } = await signIn(cdn, 'alice', params);
      expect(code).toEqual(expect.any(String));
    }
    const foreign = authorizeUrl(cdn, { code_challenge: challenge, redirect_uri: callback('evil.example') });
    const res = await follow(new CookieJar(), cdn, foreign);
    expect(res.headers.get('location')).toBeNull();
    expect(await res.text()).toContain('redirect_uri');
  });

  it.each([
    ['a wrong verifier', () => pkcePair().verifier],
    ['no verifier', () => undefined],
  ])('refuses the code exchange with %s', async (_name, verifierFor) => {
    const { challenge } = pkcePair();
    const { code } = await signIn(cdn, 'alice', { code_challenge: challenge, code_challenge_method: 'S256' });
    const verifier = verifierFor();
    const res = await tokenRequest(cdn, {
      grant_type: 'authorization_code',
      code: code ?? '',
      redirect_uri: redirectUri(cdn),
      ...(verifier === undefined ? {} : { code_verifier: verifier }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/^invalid_(grant|request)$/);
  });

  it('issues a refresh token that the refresh_token grant redeems for fresh tokens', async () => {
    const first = await tokensFor('alice');
    expect(first.refresh_token).toEqual(expect.any(String));
    const res = await tokenRequest(cdn, { grant_type: 'refresh_token', refresh_token: first.refresh_token ?? '' });
    expect(res.status).toBe(200);
    const next = (await res.json()) as Tokens;
    const { payload } = await jwtVerify(next.id_token, createLocalJWKSet(await jwks()), {
      issuer,
      audience: CLIENT_ID,
    });
    expect(payload).toMatchObject({ sub: 'alice', tickets: ['giants-causeway'] });
  });

  it('signs out at end_session without a confirmation click for the local client, then back to the app', async () => {
    const { verifier, challenge } = pkcePair();
    const pkce = { code_challenge: challenge, code_challenge_method: 'S256' };
    const { code, jar } = await signIn(cdn, 'alice', pkce);
    const exchanged = await tokenRequest(cdn, {
      grant_type: 'authorization_code',
      code: code ?? '',
      redirect_uri: redirectUri(cdn),
      code_verifier: verifier,
    });
    const { id_token: idToken } = (await exchanged.json()) as Tokens;
    const end = new URLSearchParams({ id_token_hint: idToken, post_logout_redirect_uri: `${cdn}/`, state: 'bye' });
    const page = await browse(jar, `${issuer}/session/end?${end.toString()}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    // The page submits its own form (with logout=yes); here the test does what that script does.
    expect(html).toContain("i.name = 'logout'; i.value = 'yes'; f.append(i); f.submit();");
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1] ?? '';
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
    const confirm = await browse(jar, new URL(action, cdn).href, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ xsrf, logout: 'yes' }).toString(),
    });
    expect(confirm.status).toBe(303);
    expect(confirm.headers.get('location')).toBe(`${cdn}/?state=bye`);
    // The session is gone: a silent authorization request now needs a sign-in.
    const silent = await follow(jar, cdn, authorizeUrl(cdn, { ...pkce, prompt: 'none' }));
    expect(new URL(silent.headers.get('location') ?? '/', cdn).searchParams.get('error')).toBe('login_required');
  });

  it('signs /_dev/token and edgepass token tokens as the provider: its issuer and current kid', async () => {
    const [current] = (await jwks()).keys;
    const app = await devToken(cdn, 'alice', ['giants-causeway']);
    expect(decodeProtectedHeader(app).kid).toBe(current?.kid);
    await expect(
      jwtVerify(app, createLocalJWKSet(await jwks()), { issuer, audience: CLIENT_ID }),
    ).resolves.toBeTruthy();
    const cli = await runCli(['token', '--sub', 'bob', '--tickets', 'titanic-belfast'], t.stack.stateDir, {
      EDGEPASS_STATE_DIR: t.stack.stateDir,
    });
    expect(cli.code).toBe(0);
    const { protectedHeader } = await jwtVerify(cli.stdout.trim(), createLocalJWKSet(await jwks()), { issuer });
    expect(protectedHeader.kid).toBe(current?.kid);
  });
});
