// Issue #14 item 3: an unknown kid triggers one bounded refetch of the issuer's jwksUri (single flight, at most once
// per interval, timeout, size cap, public keys only); baked keys always keep working. The fetch is a fake here.
import type { KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import type { JWK } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createKeyRing, createTokenVerifier, parseJwtOptions } from '../../../common/jwt/index.ts';
import type { JwksFetch, JwtOptions } from '../../../common/jwt/index.ts';
import { generateKeyPair } from '../../../common/keypair.ts';

const NOW_S = 1_800_000_000;
const NOW_MS = NOW_S * 1000;
const ISSUER = 'https://id.example.test/';
const JWKS_URI = 'https://id.example.test/.well-known/jwks.json';

const baked = generateKeyPair('ec-p256');
const rotated = generateKeyPair('ec-p256');
const jwkOf = (key: KeyObject, kid: string): JWK => ({
  ...key.export({ format: 'jwk' }),
  kid,
  alg: 'ES256',
  use: 'sig',
});
const rotatedJwks = { keys: [jwkOf(rotated.publicKey, 'new')] };

function options(jwksRefetch: Record<string, unknown> = {}): JwtOptions {
  const problems: string[] = [];
  const raw = {
    issuer: ISSUER,
    audience: 'app',
    algorithms: ['ES256'],
    jwks: { keys: [jwkOf(baked.publicKey, 'old')] },
    jwksUri: JWKS_URI,
    jwksRefetch,
  };
  const parsed = parseJwtOptions(raw, problems);
  expect(problems).toEqual([]);
  return parsed!;
}

const token = (kid: string, key: KeyObject, claims: Record<string, unknown> = {}) =>
  new SignJWT({ iss: ISSUER, aud: 'app', sub: 'alice', exp: NOW_S + 7200, ...claims })
    .setProtectedHeader({ alg: 'ES256', kid })
    .sign(key);
const oldToken = () => token('old', baked.privateKey);
const newToken = (claims?: Record<string, unknown>) => token('new', rotated.privateKey, claims);

const json = (body: unknown, init: ResponseInit = {}) => new Response(JSON.stringify(body), { status: 200, ...init });

/** A fake fetch answering from `answer`, recording each call's URL and init. */
function fakeFetch(answer: (call: number) => Response | Promise<Response>) {
  const calls: { url: string; init: Parameters<JwksFetch>[1] }[] = [];
  const fetch: JwksFetch = (url, init) => {
    calls.push({ url, init });
    return Promise.resolve(answer(calls.length));
  };
  return { fetch, calls };
}

const verifierWith = (fetch: JwksFetch, tuning?: Record<string, unknown>) => {
  const jwt = options(tuning);
  return createTokenVerifier(jwt, {}, createKeyRing(jwt, fetch));
};

afterEach(() => {
  vi.useRealTimers();
});

describe('JWKS refetch on an unknown kid', () => {
  it('makes no network call when the verifier is created, nor for a known kid', async () => {
    const { fetch, calls } = fakeFetch(() => json(rotatedJwks));
    const verify = verifierWith(fetch);
    expect(calls).toHaveLength(0);
    expect(await verify(await oldToken(), NOW_MS)).toMatchObject({ ok: true, kid: 'old' });
    expect(calls).toHaveLength(0);
  });

  it('fetches the jwksUri once and accepts the rotated key at once, redirects refused', async () => {
    const { fetch, calls } = fakeFetch(() => json(rotatedJwks));
    const verify = verifierWith(fetch);
    expect(await verify(await newToken(), NOW_MS)).toMatchObject({ ok: true, kid: 'new' });
    expect(await verify(await newToken({ sub: 'bob' }), NOW_MS + 1)).toMatchObject({ ok: true, kid: 'new' });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ url: JWKS_URI, init: { redirect: 'error' } });
    expect(await verify(await oldToken(), NOW_MS + 2)).toMatchObject({ ok: true, kid: 'old' });
  });

  it('shares one fetch among concurrent requests (single flight)', async () => {
    let release: (response: Response) => void = () => undefined;
    const { fetch, calls } = fakeFetch(() => new Promise<Response>((resolve) => (release = resolve)));
    const verify = verifierWith(fetch);
    const tokens = await Promise.all(Array.from({ length: 5 }, (_, i) => newToken({ sub: `user-${String(i)}` })));
    const results = Promise.all(tokens.map((t) => verify(t, NOW_MS)));
    await vi.waitFor(() => {
      expect(calls).toHaveLength(1);
    });
    release(json(rotatedJwks));
    expect((await results).map((r) => r.ok)).toEqual([true, true, true, true, true]);
    expect(calls).toHaveLength(1);
  });

  it('shares fetched keys among the verifiers of one key ring', async () => {
    const { fetch, calls } = fakeFetch(() => json(rotatedJwks));
    const jwt = options();
    const keys = createKeyRing(jwt, fetch);
    const sessions = createTokenVerifier(jwt, {}, keys);
    const links = createTokenVerifier(jwt, { cacheEntries: 8 }, keys);
    expect(await sessions(await newToken(), NOW_MS)).toMatchObject({ ok: true });
    expect(await links(await newToken({ sub: 'bob' }), NOW_MS)).toMatchObject({ ok: true });
    expect(calls).toHaveLength(1);
  });

  it('says token_unknown_kid when the fresh set lacks the kid, and waits the interval before asking again', async () => {
    const stranger = generateKeyPair('ec-p256');
    const { fetch, calls } = fakeFetch(() => json(rotatedJwks));
    const verify = verifierWith(fetch, { minIntervalSeconds: 60 });
    const unknown = await token('nobody', stranger.privateKey);
    expect(await verify(unknown, NOW_MS)).toMatchObject({ ok: false, reason: 'token_unknown_kid' });
    expect(await verify(unknown, NOW_MS + 59_999)).toMatchObject({ ok: false, reason: 'token_unknown_kid' });
    expect(calls).toHaveLength(1);
    expect(await verify(unknown, NOW_MS + 60_000)).toMatchObject({ ok: false, reason: 'token_unknown_kid' });
    expect(calls).toHaveLength(2);
  });

  it('after a failed fetch, refuses unknown kids with token_jwks_unavailable until the interval ends', async () => {
    const { fetch, calls } = fakeFetch((call) => (call === 1 ? new Response('', { status: 503 }) : json(rotatedJwks)));
    const verify = verifierWith(fetch);
    const rotatedToken = await newToken();
    expect(await verify(rotatedToken, NOW_MS)).toMatchObject({ ok: false, reason: 'token_jwks_unavailable' });
    expect(await verify(rotatedToken, NOW_MS + 29_999)).toMatchObject({ ok: false, reason: 'token_jwks_unavailable' });
    expect(calls).toHaveLength(1);
    expect(await verify(rotatedToken, NOW_MS + 30_000)).toMatchObject({ ok: true, kid: 'new' });
    expect(calls).toHaveLength(2);
  });

  it('never fetches for a token without kid', async () => {
    const { fetch, calls } = fakeFetch(() => json(rotatedJwks));
    const verify = verifierWith(fetch);
    const kidless = await new SignJWT({ iss: ISSUER, aud: 'app', exp: NOW_S + 60 })
      .setProtectedHeader({ alg: 'ES256' })
      .sign(rotated.privateKey);
    expect(await verify(kidless, NOW_MS)).toMatchObject({ ok: false });
    expect(calls).toHaveLength(0);
  });

  it('replaces the fetched set on the next fetch but never drops a baked key', async () => {
    const third = generateKeyPair('ec-p256');
    const { fetch } = fakeFetch((call) => json(call === 1 ? rotatedJwks : { keys: [jwkOf(third.publicKey, 'third')] }));
    const verify = verifierWith(fetch);
    expect(await verify(await newToken(), NOW_MS)).toMatchObject({ ok: true });
    expect(await verify(await token('third', third.privateKey), NOW_MS + 30_000)).toMatchObject({ ok: true });
    expect(await verify(await newToken({ sub: 'carol' }), NOW_MS + 30_001)).toMatchObject({
      ok: false,
      reason: 'token_unknown_kid',
    });
    expect(await verify(await oldToken(), NOW_MS + 30_002)).toMatchObject({ ok: true, kid: 'old' });
  });

  it('ignores keys it cannot use and keeps the usable ones', async () => {
    const odd = [
      { kty: 'XYZ', kid: 'weird' },
      { ...jwkOf(rotated.publicKey, 'enc-only'), use: 'enc' },
      { kty: 'EC', kid: 'broken', crv: 'P-256', x: 'AAAA', y: 'AAAA' },
    ];
    const { fetch } = fakeFetch(() => json({ keys: [...odd, ...rotatedJwks.keys] }));
    expect(await verifierWith(fetch)(await newToken(), NOW_MS)).toMatchObject({ ok: true, kid: 'new' });
  });

  it('needs a fetch function when an issuer has a jwksUri', () => {
    expect(() => createKeyRing(options())).toThrow(TypeError);
  });
});

describe('a refetch that fails', () => {
  const privateJwk = { ...rotated.privateKey.export({ format: 'jwk' }), kid: 'new', alg: 'ES256' };
  const big = { keys: [{ ...rotatedJwks.keys[0], pad: 'x'.repeat(70_000) }] };
  const endless = () => {
    let pulls = 0;
    const body = new ReadableStream<Uint8Array>(
      {
        pull: (controller) => {
          pulls++;
          controller.enqueue(new Uint8Array(1024));
        },
      },
      { highWaterMark: 0 },
    );
    return { response: new Response(body, { headers: { 'content-length': '100000' } }), pulls: () => pulls };
  };

  it.each([
    ['a non-200 answer', () => json(rotatedJwks, { status: 404 })],
    ['a body over maxBytes (streamed)', () => json(big)],
    ['a body that is not JSON', () => new Response('<html>', { status: 200 })],
    ['JSON that is not a JWKS', () => json({ keys: 'none' })],
    ['private key material', () => json({ keys: [privateJwk] })],
    ['a network error', () => Promise.reject(new TypeError('fetch failed'))],
  ])('refuses %s (token_jwks_unavailable), while known kids still verify', async (_name, answer) => {
    const { fetch, calls } = fakeFetch(answer);
    const verify = verifierWith(fetch);
    expect(await verify(await newToken(), NOW_MS)).toMatchObject({ ok: false, reason: 'token_jwks_unavailable' });
    expect(calls).toHaveLength(1);
    expect(await verify(await oldToken(), NOW_MS)).toMatchObject({ ok: true, kid: 'old' });
  });

  it('refuses a declared Content-Length over maxBytes without reading the body', async () => {
    const { response, pulls } = endless();
    const verify = verifierWith(() => Promise.resolve(response));
    expect(await verify(await newToken(), NOW_MS)).toMatchObject({ ok: false, reason: 'token_jwks_unavailable' });
    expect(pulls()).toBe(0);
  });

  it('settles when the timeout aborts a fetch that never answers, and aborts its signal', async () => {
    vi.useFakeTimers();
    const { fetch, calls } = fakeFetch(() => new Promise<Response>(() => undefined));
    const verify = verifierWith(fetch, { timeoutMs: 1000 });
    let settled = false;
    const result = verify(await newToken(), NOW_MS).finally(() => (settled = true));
    await vi.advanceTimersByTimeAsync(999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await result).toMatchObject({ ok: false, reason: 'token_jwks_unavailable' });
    expect(calls[0]?.init.signal.aborted).toBe(true);
    expect(await verify(await oldToken(), NOW_MS)).toMatchObject({ ok: true });
  });

  it('settles at the timeout when the body trickles in forever', async () => {
    vi.useFakeTimers();
    const stalled = new ReadableStream<Uint8Array>({
      start: (controller) => {
        controller.enqueue(new Uint8Array(10));
      },
    });
    const verify = verifierWith(() => Promise.resolve(new Response(stalled)), { timeoutMs: 500 });
    const result = verify(await newToken(), NOW_MS);
    await vi.advanceTimersByTimeAsync(500);
    expect(await result).toMatchObject({ ok: false, reason: 'token_jwks_unavailable' });
  });
});
