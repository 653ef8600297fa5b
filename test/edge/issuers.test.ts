// Issue #11, "issuers are not isolated": with two trusted issuers, a key vouches only for its own issuer's tokens and
// each issuer's audience is its own. Before, any listed issuer was accepted with any configured key.
import { beforeAll, describe, expect, it } from 'vitest';
import { createIdp, signToken } from '../helpers/tokens.ts';
import type { TestIdp } from '../helpers/tokens.ts';
import { AUDIENCE, cloudFrontKey, createWorld, ISSUER, NOW_S } from './fixture.ts';
import type { World } from './fixture.ts';
import { reasonOf, respond } from './flow.ts';

const PARTNER = 'https://partner.example.test/';
let world: World;
let partner: TestIdp;

beforeAll(() => {
  const idp = createIdp('primary-1');
  partner = createIdp('partner-1');
  const entry = (issuer: string, audience: string, keys: TestIdp) => ({
    issuer,
    audience,
    algorithms: ['ES256'],
    jwks: keys.jwks,
  });
  world = createWorld(
    { jwt: [entry(ISSUER, AUDIENCE, idp), entry(PARTNER, 'partner-app', partner)] },
    { idp, cf: cloudFrontKey() },
  );
});

const partnerToken = (claims: Record<string, unknown>) =>
  signToken({
    claims: { sub: 'alice', iat: NOW_S - 10, exp: NOW_S + 600, tickets: ['42'], ...claims },
    kid: partner.kid,
    key: partner.privateKey,
  });

const asApp = async (token: string) =>
  respond(world, { uri: '/attractions/42/a.jpg', headers: { authorization: `Bearer ${token}` } });

describe('several issuers', () => {
  it("mints for each issuer's own tokens", async () => {
    expect((await asApp(await world.token())).status).toBe(302);
    expect((await asApp(await partnerToken({ iss: PARTNER, aud: 'partner-app' }))).status).toBe(302);
  });

  it.each([
    ["the partner's key claiming the primary issuer", { iss: ISSUER, aud: AUDIENCE }, 'token_unknown_kid'],
    ["the partner's token for the primary's audience", { iss: PARTNER, aud: AUDIENCE }, 'token_bad_audience'],
    ['an issuer nobody configured', { iss: 'https://evil.example.test/', aud: AUDIENCE }, 'token_bad_issuer'],
  ])('refuses %s', async (_name, claims, reason) => {
    const response = await asApp(await partnerToken(claims));
    expect(response.status).toBe(401);
    expect(reasonOf(response)).toBe(reason);
    expect(response.headers['location']).toBeUndefined();
  });
});
