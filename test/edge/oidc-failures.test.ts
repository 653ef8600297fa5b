// The callback against misbehaving token endpoints (loopback fakes): down, failing, hanging, oversized, not JSON, an
// ID token with another nonce or audience. Each ends in a page with "Try again", never a redirect (no loop), and a
// hang ends because the request is aborted, not because a stopwatch ran out.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../edge/config.ts';
import { oidcFlow } from '../../edge/core/oidc.ts';
import { createHandler } from '../../edge/handler.ts';
import { createKeySource } from '../../edge/key-source/baked.ts';
import { freePorts } from '../helpers/ports.ts';
import { createIdp, signToken } from '../helpers/tokens.ts';
import { cloudFrontKey, HOST } from './fixture.ts';
import { reasonOf } from './flow.ts';
import {
  APP_AUDIENCE,
  CALLBACK,
  callbackWith,
  cookieAttributes,
  jarOf,
  oidcWorld,
  randomSecret,
  startSignIn,
} from './oidc-world.ts';
import type { OidcWorld } from './oidc-world.ts';

const idp = createIdp('fake-key');
let base = '';
let server: http.Server;
/** What the fake saw of each token request, and a promise per request that settles when its connection closes. */
const seen: { headers: http.IncomingHttpHeaders; body: string; closed: Promise<void> }[] = [];
let idTokenClaims: (nonce: string) => Record<string, unknown> = () => ({});
/** The nonce of the sign-in under test (read from its state cookie). */
let currentNonce = '';

function idToken(overrides: Record<string, unknown>): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const claims = { iss: base, aud: 'edgepass-demo', sub: 'alice', iat: now, exp: now + 300, tickets: ['42'] };
  return signToken({ claims: { ...claims, ...overrides }, kid: idp.kid, key: idp.privateKey });
}

async function fake(req: http.IncomingMessage, res: http.ServerResponse, body: string): Promise<void> {
  switch (req.url) {
    case '/fail':
      res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"server_error"}');
      return;
    case '/hang':
      return; // never answers
    case '/huge':
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(`{"id_token":"${'a'.repeat(2048)}`); // over the 1,024-byte cap, and never ends
      return;
    case '/text':
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html>maintenance</html>');
      return;
    default: {
      const token = await idToken(idTokenClaims(currentNonce));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id_token: token, token_type: 'Bearer', access_token: 'x', seen: body.length }));
    }
  }
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    const closed = new Promise<void>((resolve) => res.once('close', resolve));
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ headers: req.headers, body, closed });
      void fake(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function world(path: string, oidc: Record<string, unknown> = {}): OidcWorld {
  const endpoints = { issuer: base, authorizationEndpoint: `${base}/auth`, tokenEndpoint: `${base}${path}` };
  return oidcWorld(endpoints, { tokenTimeoutMs: 300, maxTokenResponseBytes: 1024, ...oidc }, { idp });
}

/** A sign-in started by this browser, and its callback with a code. */
async function callback(w: OidcWorld) {
  const { stateCookie } = await startSignIn(w);
  const [state = '', nonce = ''] = stateCookie.split('.');
  currentNonce = nonce;
  const response = await callbackWith(w, `code=the-code&state=${state}`, { 'edgepass-oidc': stateCookie });
  return { response, stateCookie };
}

describe('a token endpoint that fails', () => {
  it.each([
    ['is down', 'down', 502, 'oidc_token_error'],
    ['answers 500', '/fail', 502, 'oidc_token_error'],
    ['answers something that is not JSON', '/text', 502, 'oidc_token_invalid_response'],
  ])('%s: a page with "Try again", never a redirect', async (_what, path, status, reason) => {
    const closedPort = (await freePorts(1))[0] ?? 1;
    const w =
      path === 'down'
        ? oidcWorld(
            {
              issuer: base,
              authorizationEndpoint: `${base}/auth`,
              tokenEndpoint: `http://127.0.0.1:${String(closedPort)}/token`,
            },
            {},
            { idp },
          )
        : world(path);
    const { response } = await callback(w);
    expect([response.status, reasonOf(response)]).toEqual([status, reason]);
    expect(response.headers['location']).toBeUndefined();
    expect(response.body).toContain('href="/_edgepass/sign-in?return=%2Fattractions%2F42%2Findex.html">Try again');
    expect(cookieAttributes(response, 'edgepass-oidc')).toContain('Max-Age=0');
    expect(jarOf(response)['session']).toBeUndefined();
  });

  it('hangs: the exchange is aborted at tokenTimeoutMs (the provider sees the request go away)', async () => {
    const { response } = await callback(world('/hang'));
    expect([response.status, reasonOf(response)]).toEqual([502, 'oidc_timeout']);
    await seen.at(-1)?.closed; // resolves only because the edge aborted the request
  });

  it('sends more than maxTokenResponseBytes: reading stops at the cap, before the body ends', async () => {
    const { response } = await callback(world('/huge', { tokenTimeoutMs: 2500 }));
    expect([response.status, reasonOf(response)]).toEqual([502, 'oidc_token_too_large']);
    await seen.at(-1)?.closed;
  });
});

describe('the ID token', () => {
  it('with another nonce is refused', async () => {
    idTokenClaims = () => ({ nonce: 'another-nonce' });
    const { response } = await callback(world('/token'));
    expect([response.status, reasonOf(response)]).toEqual([400, 'oidc_nonce_mismatch']);
    expect(jarOf(response)['session']).toBeUndefined();
  });

  it('for another audience is refused', async () => {
    idTokenClaims = (nonce) => ({ nonce, aud: 'another-client' });
    const { response } = await callback(world('/token'));
    expect([response.status, reasonOf(response)]).toEqual([401, 'token_bad_audience']);
  });

  it('naming us among several audiences without azp = us is refused (OIDC Core §3.1.3.7)', async () => {
    idTokenClaims = (nonce) => ({ nonce, aud: ['edgepass-demo', 'another-client'] });
    const { response } = await callback(world('/token'));
    expect(reasonOf(response)).toBe('token_bad_audience');
  });

  it('accepted only thanks to the clock tolerance is refused rather than looping back to sign-in', async () => {
    idTokenClaims = (nonce) => ({ nonce, exp: Math.floor(Date.now() / 1000) - 5 });
    const { response } = await callback(world('/token'));
    expect([response.status, reasonOf(response)]).toEqual([401, 'token_expired']);
    expect(response.headers['location']).toBeUndefined();
  });

  it('too large for a cookie is refused rather than set and dropped (which would loop back here)', async () => {
    idTokenClaims = (nonce) => ({ nonce, padding: 'x'.repeat(3200) });
    const endpoints = { issuer: base, authorizationEndpoint: `${base}/auth`, tokenEndpoint: `${base}/token` };
    const w = oidcWorld(endpoints, {}, { idp }, { maxTokenBytes: 8192 });
    const { response } = await callback(w);
    expect([response.status, reasonOf(response)]).toEqual([401, 'token_too_large']);
    expect(jarOf(response)['session']).toBeUndefined();
  });

  it('with our nonce signs in; the exchange carried the code, the PKCE verifier and the client authentication', async () => {
    idTokenClaims = (nonce) => ({ nonce });
    const secret = randomSecret();
    const w = world('/token', { clientSecret: secret, tokenEndpointAuthMethod: 'client_secret_post' });
    const { response, stateCookie } = await callback(w);
    expect(response.status).toBe(302);
    const form = Object.fromEntries(new URLSearchParams(seen.at(-1)?.body ?? ''));
    expect(form).toEqual({
      grant_type: 'authorization_code',
      code: 'the-code',
      redirect_uri: CALLBACK,
      code_verifier: stateCookie.split('.')[2],
      client_id: 'edgepass-demo',
      client_secret: secret,
    });
    for (const line of w.logs) expect(line).not.toContain(secret);
  });

  it('client_secret_basic sends the secret in Authorization only (RFC 6749 §2.3.1)', async () => {
    idTokenClaims = (nonce) => ({ nonce });
    const secret = 'a secret:with/odd+chars';
    const { response } = await callback(world('/token', { clientSecret: secret }));
    expect(response.status).toBe(302);
    const last = seen.at(-1);
    const expected = Buffer.from(`edgepass-demo:${encodeURIComponent(secret).replace(/%20/g, '+')}`).toString('base64');
    expect(last?.headers.authorization).toBe(`Basic ${expected}`);
    expect(last?.body).not.toContain('client_secret');
  });
});

describe('a client secret named { jsonKey }', () => {
  it('that no key source holds (a wiring mistake) sends no token request: a 503 page, fail closed', async () => {
    const cf = cloudFrontKey();
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:edgepass/k-AbC123';
    const config = parseConfig({
      domainNames: [HOST],
      jwt: { issuer: base, audience: APP_AUDIENCE, algorithms: ['ES256'], jwks: idp.jwks },
      protectedPaths: [
        {
          pattern: '/attractions/{attraction}/',
          ticketClaim: 'tickets',
          cookieTtlSeconds: 60,
          signedUrlTtlSeconds: 60,
        },
      ],
      signer: {
        keyPairId: cf.keyPairId,
        privateKeySecret: { secretId: arn, region: 'eu-west-1' },
        publicKeyPem: cf.publicKeyPem,
      },
      oidc: {
        issuer: base,
        clientId: 'edgepass-demo',
        clientSecret: { jsonKey: 'oidcClientSecret' },
        authorizationEndpoint: `${base}/auth`,
        tokenEndpoint: `${base}/token`,
      },
    });
    // The baked source: it signs, but holds no client secret.
    const keySource = createKeySource({ ...cf, hashAlgorithm: 'SHA1' });
    const logs: string[] = [];
    const handler = createHandler(config, { clock: Date.now, logger: (l) => logs.push(l), keySource, fetch, oidcFlow });
    const { stateCookie } = await startSignIn({ handler });
    const before = seen.length;
    const state = stateCookie.split('.')[0] ?? '';
    const response = await callbackWith({ handler }, `code=the-code&state=${state}`, { 'edgepass-oidc': stateCookie });
    expect([response.status, reasonOf(response)]).toEqual([503, 'oidc_secret_unavailable']);
    expect(response.body).toContain('Try again');
    expect(seen.length).toBe(before);
  });
});
