// Issue #14 item 3 end to end on loopback: the real global fetch against a real HTTP server playing the identity
// provider's jwks_uri (rotated key, a hanging answer, a redirect). No network beyond 127.0.0.1.
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyRing, createTokenVerifier, parseJwtOptions } from '../../../common/jwt/index.ts';
import { generateKeyPair } from '../../../common/keypair.ts';

const NOW_S = 1_800_000_000;
const ISSUER = 'https://id.example.test/';
const baked = generateKeyPair('ec-p256');
const rotated = generateKeyPair('ec-p256');
const rotatedJwks = JSON.stringify({
  keys: [{ ...rotated.publicKey.export({ format: 'jwk' }), kid: 'new', alg: 'ES256', use: 'sig' }],
});

let server: Server;
let base: string;
const hits: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push(req.url ?? '');
    if (req.url === '/jwks') res.writeHead(200, { 'content-type': 'application/json' }).end(rotatedJwks);
    else if (req.url === '/moved') res.writeHead(302, { location: '/jwks' }).end();
    // '/hang': headers never come; the verifier's timeout must end the wait.
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** The success path keeps the default (and maximum) timeout: a loaded machine must not turn it into a failure. */
function verifierFor(path: string, timeoutMs = 1500) {
  const problems: string[] = [];
  const jwt = parseJwtOptions(
    {
      issuer: ISSUER,
      audience: 'app',
      algorithms: ['ES256'],
      jwks: { keys: [{ ...baked.publicKey.export({ format: 'jwk' }), kid: 'old', alg: 'ES256' }] },
      jwksUri: `${base}${path}`,
      jwksRefetch: { timeoutMs },
    },
    problems,
  );
  expect(problems).toEqual([]);
  return createTokenVerifier(jwt!, {}, createKeyRing(jwt!, fetch));
}

const rotatedToken = () =>
  new SignJWT({ iss: ISSUER, aud: 'app', sub: 'alice', exp: NOW_S + 600 })
    .setProtectedHeader({ alg: 'ES256', kid: 'new' })
    .sign(rotated.privateKey);

describe('jwksUri over loopback HTTP with the global fetch', () => {
  it('fetches the rotated key once and accepts its tokens', async () => {
    hits.length = 0;
    const verify = verifierFor('/jwks');
    expect(await verify(await rotatedToken(), NOW_S * 1000)).toMatchObject({ ok: true, kid: 'new' });
    expect(hits).toEqual(['/jwks']);
  });

  it.each([
    ['an answer that never comes (timeout)', '/hang'],
    ['a redirect', '/moved'],
  ])('refuses the new kid after %s with token_jwks_unavailable', async (_name, path) => {
    hits.length = 0;
    const verify = verifierFor(path, 200);
    expect(await verify(await rotatedToken(), NOW_S * 1000)).toMatchObject({
      ok: false,
      reason: 'token_jwks_unavailable',
    });
    expect(hits).toEqual([path]);
  });
});
