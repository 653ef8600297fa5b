// Issue #14 item 3 through the origin API: a token signed with the identity provider's new key is accepted after one
// fetch of its jwksUri; while that fetch fails, such tokens get 503 token_jwks_unavailable (no challenge: nothing is
// known against the token) and tokens of the baked key keep working. The store is a fake: S3 plays no part here.
import { SignJWT } from 'jose';
import type { KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { JwksFetch } from '../../common/jwt/index.ts';
import { generateKeyPair } from '../../common/keypair.ts';
import { createOriginApp } from '../../origin-api/app.ts';
import { parseOriginConfig } from '../../origin-api/config.ts';
import type { ObjectStore } from '../../origin-api/core/types.ts';
import { apiRequest, bearer, ISSUER, memoryLogger, parseBody, rawConfig } from './fixtures.ts';

const NOW_MS = 1_800_000_000_000;
const baked = generateKeyPair('ec-p256');
const rotated = generateKeyPair('ec-p256');
const jwkOf = (key: KeyObject, kid: string) => ({ ...key.export({ format: 'jwk' }), kid, alg: 'ES256', use: 'sig' });

const unused = () => Promise.reject(new Error('not in this test'));
const emptyStore: ObjectStore = {
  presignPut: unused,
  presignPost: unused,
  presignGet: unused,
  exists: unused,
  delete: unused,
  list: () => Promise.resolve({ objects: [], truncated: false }),
};

function appWith(answer: () => Promise<Response>) {
  let calls = 0;
  const fetch: JwksFetch = () => {
    calls++;
    return answer();
  };
  const jwt = {
    issuer: ISSUER,
    audience: 'edgepass-demo',
    algorithms: ['ES256'],
    jwks: { keys: [jwkOf(baked.publicKey, 'old')] },
    jwksUri: 'https://id.example.test/jwks',
  };
  const config = parseOriginConfig(rawConfig({}, { jwt }));
  const app = createOriginApp(config, { store: emptyStore, fetch, clock: () => NOW_MS, logger: memoryLogger() });
  return { app, calls: () => calls };
}

const tokenFor = (kid: string, key: KeyObject) =>
  new SignJWT({ iss: ISSUER, aud: 'edgepass-demo', sub: 'alice', exp: NOW_MS / 1000 + 300 })
    .setProtectedHeader({ alg: 'ES256', kid })
    .sign(key);
const list = async (app: ReturnType<typeof appWith>['app'], token: string) =>
  app.handle(apiRequest({ path: '/api/files', headers: bearer(token) }));

describe('the origin API with a jwksUri', () => {
  it('accepts the rotated key after one fetch, made only when its token arrives', async () => {
    const { app, calls } = appWith(() => Promise.resolve(Response.json({ keys: [jwkOf(rotated.publicKey, 'new')] })));
    expect(calls()).toBe(0);
    expect((await list(app, await tokenFor('new', rotated.privateKey))).status).toBe(200);
    expect((await list(app, await tokenFor('new', rotated.privateKey))).status).toBe(200);
    expect(calls()).toBe(1);
  });

  it('answers 503 token_jwks_unavailable while the jwksUri is down, and still serves the baked key', async () => {
    const { app } = appWith(() => Promise.reject(new TypeError('fetch failed')));
    const refused = await list(app, await tokenFor('new', rotated.privateKey));
    expect(refused.status).toBe(503);
    expect(parseBody(refused.body)).toMatchObject({ code: 'token_jwks_unavailable', title: 'Service Unavailable' });
    expect(refused.headers['www-authenticate']).toBeUndefined();
    expect((await list(app, await tokenFor('old', baked.privateKey))).status).toBe(200);
  });
});
