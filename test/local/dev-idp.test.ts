// The dev identity provider: tokens the edge's own verifier accepts, bounded and checked input, no open redirect,
// an escaped sign-in form. (A taken port at start-up: test/local/ports.test.ts.)
import type http from 'node:http';
import { generateKeyPair } from '../../common/keypair.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenVerifier, readTickets } from '../../common/jwt/index.ts';
import { createDevIdpServer } from '../../local/dev-idp.ts';
import { listen } from './emulator-fixture.ts';

const NOW_MS = 1_800_000_000_000;
const { privateKey, publicKey } = generateKeyPair('ec-p256');
const identity = {
  privateKey,
  kid: 'k1',
  issuer: 'http://localhost/_dev/idp',
  audience: 'demo',
  ticketClaims: ['tickets'],
};
const verify = createTokenVerifier({
  issuers: [
    {
      issuer: identity.issuer,
      audience: identity.audience,
      algorithms: ['ES256'],
      jwks: { keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'ES256' }] },
      clockToleranceSeconds: 0,
      typ: null,
      maxTokenBytes: 4096,
    },
  ],
});
let server: http.Server;
let base: string;

beforeAll(async () => {
  server = createDevIdpServer({ identity, sessionCookieName: 'session', secureCookies: false, nowMs: () => NOW_MS });
  base = `http://127.0.0.1:${await listen(server)}`;
});
afterAll(() => {
  server.close();
});

const post = (path: string, body: string, type: string) =>
  fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': type }, body, redirect: 'manual' });

describe('the dev identity provider', () => {
  it('issues a token the shared verifier accepts, with the chosen user and tickets', async () => {
    const res = await post(
      '/_dev/token',
      JSON.stringify({ user: 'alice', tickets: ['giants-causeway'] }),
      'application/json',
    );
    const { token } = (await res.json()) as { token: string };
    const result = await verify(token, NOW_MS);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.claims.sub).toBe('alice');
    expect([...readTickets(result.claims, 'tickets', NOW_MS / 1000).keys()]).toEqual(['giants-causeway']);
    expect((await verify(token, NOW_MS + 3_601_000)).ok).toBe(false);
  });

  it('signs in from the form: session cookie, then back to a relative path only', async () => {
    const form = 'user=bob&tickets=a,b&return_to=%2Fattractions%2Fa%2Findex.html';
    const res = await post('/_dev/login', form, 'application/x-www-form-urlencoded');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/attractions/a/index.html');
    expect(res.headers.get('set-cookie')).toMatch(
      /^session=[\w-]+\.[\w-]+\.[\w-]+; Path=\/; Max-Age=3600; HttpOnly; SameSite=Lax$/,
    );
  });

  it.each(['//evil.example/', 'https://evil.example/', '/\\evil.example', 'javascript:alert(1)'])(
    'never redirects to %s',
    async (target) => {
      const res = await post(
        '/_dev/login',
        `user=bob&tickets=a&return_to=${encodeURIComponent(target)}`,
        'application/x-www-form-urlencoded',
      );
      expect(res.headers.get('location')).toBe('/');
    },
  );

  it.each([
    ['a bad user name', { user: 'a b', tickets: [] }],
    ['a bad ticket id', { user: 'a', tickets: ['../x'] }],
    ['tickets of the wrong type', { user: 'a', tickets: 7 }],
    ['a lifetime beyond a day', { user: 'a', tickets: [], ttlSeconds: 90_000 }],
  ])('refuses %s with 400', async (_name, body) => {
    const res = await post('/_dev/token', JSON.stringify(body), 'application/json');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe('bad_request');
  });

  it('refuses a body over 16 KB (an otherwise valid request)', async () => {
    const valid = { user: 'a', tickets: ['x'] };
    expect((await post('/_dev/token', JSON.stringify(valid), 'application/json')).status).toBe(200);
    const res = await post('/_dev/token', JSON.stringify({ ...valid, pad: 'y'.repeat(20_000) }), 'application/json');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toContain('16 KB');
  });

  it('escapes the return path in the sign-in form', async () => {
    const res = await fetch(`${base}/_dev/login?return_to=${encodeURIComponent('/"><script>x</script>')}`);
    const html = await res.text();
    expect(html).not.toContain('<script>x');
    expect(html).toContain('&#34;&#62;&#60;script&#62;');
  });
});

describe('the sign-in page', () => {
  it('says the session ended when the edge sends reason=token_expired', async () => {
    const ended = await (await fetch(`${base}/_dev/login?return_to=%2Fattractions%2Fx%2F&reason=token_expired`)).text();
    expect(ended).toContain('Your session has ended. Please sign in again.');
    const fresh = await (await fetch(`${base}/_dev/login?return_to=%2Fattractions%2Fx%2F`)).text();
    expect(fresh).not.toContain('Your session has ended');
  });
});
