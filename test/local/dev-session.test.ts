// `/_dev/session`'s reader: the demo learns who its session is only from a session cookie that verifies against the
// provider's published keys, issuer and audience, and learns the profile only (sub, tickets, exp), never the token.
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { generateKeyPair } from '../../common/keypair.ts';
import { sessionReader } from '../../local/dev-session.ts';

const NOW_S = 1_800_000_000;
const ISSUER = 'http://localhost:8080/_dev/oidc';
const provider = generateKeyPair('ec-p256');
const stranger = generateKeyPair('ec-p256');
const jwk = { ...provider.publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'ES256' };
const read = sessionReader({
  issuer: ISSUER,
  audience: 'edgepass-demo',
  jwks: () => ({ keys: [jwk] }),
  sessionCookieName: 'session',
  ticketClaim: 'tickets',
  nowMs: () => NOW_S * 1000,
});

interface Options {
  readonly key?: typeof provider.privateKey;
  readonly iss?: string;
  readonly aud?: string;
  readonly exp?: number;
}

function idToken({ key = provider.privateKey, iss = ISSUER, aud = 'edgepass-demo', exp = NOW_S + 600 }: Options = {}) {
  return new SignJWT({ tickets: ['giants-causeway', { attraction: 'titanic-belfast', exp: NOW_S + 60 }, 7] })
    .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
    .setSubject('carol')
    .setIssuer(iss)
    .setAudience(aud)
    .setExpirationTime(exp)
    .sign(key);
}

describe('the dev session reader', () => {
  it('answers the verified profile only: sub, ticket ids and exp', async () => {
    const token = await idToken();
    const profile = await read(`other=1; session=${token}`);
    expect(profile).toEqual({ sub: 'carol', tickets: ['giants-causeway', 'titanic-belfast'], exp: NOW_S + 600 });
    expect(JSON.stringify(profile)).not.toContain(token.split('.')[2]);
  });

  it.each([
    ['no cookie header', () => Promise.resolve(undefined)],
    ['no session cookie', async () => `other=${await idToken()}`],
    ['another key', async () => `session=${await idToken({ key: stranger.privateKey })}`],
    ['another issuer', async () => `session=${await idToken({ iss: 'http://localhost:9/_dev/oidc' })}`],
    ['another audience', async () => `session=${await idToken({ aud: 'edgepass-link' })}`],
    ['an expired token', async () => `session=${await idToken({ exp: NOW_S - 1 })}`],
    ['a changed payload', async () => `session=${(await idToken()).replace(/\.(.)/, '.x')}`],
  ])('answers nothing for %s', async (_name, cookie) => {
    expect(await read(await cookie())).toBeUndefined();
  });
});
