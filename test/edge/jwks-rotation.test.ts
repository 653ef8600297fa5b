// Issue #14 item 3 through the edge handler: a token signed with the identity provider's new key is accepted after
// one fetch of its jwksUri; while that fetch fails, such tokens get 503 token_jwks_unavailable (apps and browsers
// alike, never a sign-in loop), counted as an error in the metrics, and tokens of the baked key keep working.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../edge/config.ts';
import { createHandler } from '../../edge/handler.ts';
import { createKeySource } from '../../edge/key-source/baked.ts';
import { createIdp, signToken } from '../helpers/tokens.ts';
import { AUDIENCE, cloudFrontKey, ISSUER, NOW_MS, NOW_S, rawConfig } from './fixture.ts';
import type { World } from './fixture.ts';
import { reasonOf, respond } from './flow.ts';

const JWKS_URI = 'https://id.example.test/.well-known/jwks.json';
const LOGIN = 'https://app.example.test/login';
const baked = createIdp('baked-1');
const rotated = createIdp('rotated-1');

const claims = { iss: ISSUER, aud: AUDIENCE, sub: 'alice', iat: NOW_S - 10, exp: NOW_S + 600, tickets: ['42'] };
const rotatedToken = () => signToken({ claims, kid: rotated.kid, key: rotated.privateKey });

/** A world (fixture.ts) whose handler fetches the jwksUri with `answer`, counting the calls. */
function worldWith(answer: () => Promise<Response>): { world: World; calls: () => number } {
  let calls = 0;
  const fetch: typeof globalThis.fetch = () => {
    calls++;
    return answer();
  };
  const cf = cloudFrontKey();
  const jwt = { issuer: ISSUER, audience: AUDIENCE, algorithms: ['ES256'], jwks: baked.jwks, jwksUri: JWKS_URI };
  const raw = rawConfig(baked, cf, { jwt, loginUrl: LOGIN });
  const config = parseConfig(raw);
  const logs: string[] = [];
  const clock = { nowMs: NOW_MS };
  const logger = (line: string) => logs.push(line);
  const handler = createHandler(config, {
    clock: () => clock.nowMs,
    logger,
    keySource: createKeySource(config.signer),
    fetch,
  });
  const token = () => signToken({ claims, kid: baked.kid, key: baked.privateKey });
  return { world: { idp: baked, cf, raw, logs, clock, handler, token }, calls: () => calls };
}

const URI = '/attractions/42/a.jpg';
const asApp = (world: World, token: string) =>
  respond(world, { uri: URI, headers: { authorization: `Bearer ${token}` } });
const lastLog = (world: World) => JSON.parse(world.logs.at(-1) ?? '{}') as Record<string, unknown>;
const down = () => Promise.reject(new TypeError('fetch failed'));

describe('the edge with a jwksUri', () => {
  it('makes no call at cold start, then mints for the rotated key after one fetch', async () => {
    const { world, calls } = worldWith(() => Promise.resolve(Response.json(rotated.jwks)));
    expect(calls()).toBe(0);
    const first = await asApp(world, await rotatedToken());
    expect(first.status).toBe(302);
    expect(first.headers['location']?.[0]).toContain('Signature=');
    expect((await asApp(world, await rotatedToken())).status).toBe(302);
    expect(calls()).toBe(1);
  });

  it('answers an app 503 token_jwks_unavailable while the jwksUri is down, an error in the metrics', async () => {
    const { world } = worldWith(down);
    const response = await asApp(world, await rotatedToken());
    expect(response.status).toBe(503);
    expect(reasonOf(response)).toBe('token_jwks_unavailable');
    expect(response.headers['location']).toBeUndefined();
    expect(response.headers['www-authenticate']).toBeUndefined();
    expect(lastLog(world)).toMatchObject({ reason: 'token_jwks_unavailable', Outcome: 'error' });
    expect(lastLog(world)['Reason']).toBe('token_jwks_unavailable');
  });

  it('shows a browser a 503 page with a reload link, not the sign-in page (which would loop)', async () => {
    const { world } = worldWith(down);
    const response = await respond(world, {
      uri: URI,
      headers: { 'sec-fetch-mode': 'navigate' },
      cookies: { session: await rotatedToken() },
    });
    expect(response.status).toBe(503);
    expect(reasonOf(response)).toBe('token_jwks_unavailable');
    expect(response.body).toContain('Reload');
    expect(response.body).not.toContain(LOGIN);
  });

  it('keeps accepting tokens of the baked key while the jwksUri is down', async () => {
    const { world, calls } = worldWith(down);
    expect((await asApp(world, await world.token())).status).toBe(302);
    expect(calls()).toBe(0);
  });
});
