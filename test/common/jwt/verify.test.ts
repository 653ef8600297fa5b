// The shared JWT verifier: every rejection has its own reason code, and the verified-token cache re-checks dates.
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { CompactSign, SignJWT, exportJWK, base64url } from 'jose';
import type { JWK, JWTPayload } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTokenVerifier, parseJwtOptions } from '../../../common/jwt/index.ts';
import type { IssuerOptions, TokenPurpose } from '../../../common/jwt/index.ts';
import { generateKeyPair } from '../../../common/keypair.ts';

const NOW_S = 1_800_000_000;
const NOW_MS = NOW_S * 1000;
const ISSUER = 'https://id.example.test/';
const AUDIENCE = 'edgepass-demo';

/** A P-384 key through PEM: jose exports a KeyObject to JWK, which must not be one fresh from key generation (common/keypair.ts). */
function p384PrivateKey(): KeyObject {
  const publicKeyEncoding = { type: 'spki', format: 'pem' } as const;
  const privateKeyEncoding = { type: 'pkcs8', format: 'pem' } as const;
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-384', publicKeyEncoding, privateKeyEncoding });
  return createPrivateKey(privateKey);
}

const es = generateKeyPair('ec-p256');
const other = generateKeyPair('ec-p256');
const rsa = generateKeyPair('rsa-2048');
let publicJwk: JWK;
let options: IssuerOptions;

beforeAll(async () => {
  publicJwk = { ...(await exportJWK(es.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  const rsaJwk = { ...(await exportJWK(rsa.publicKey)), kid: 'r1' };
  const problems: string[] = [];
  const parsed = parseJwtOptions(
    {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['ES256', 'RS256'],
      jwks: { keys: [publicJwk, rsaJwk] },
      clockToleranceSeconds: 30,
    },
    problems,
  );
  expect(problems).toEqual([]);
  options = parsed!.issuers[0]!;
});

/** A verifier trusting the given issuer entries (one by default). */
const verifierFor = (entry: IssuerOptions | IssuerOptions[], purpose?: TokenPurpose) =>
  createTokenVerifier({ issuers: Array.isArray(entry) ? entry : [entry] }, purpose);

interface TokenSpec {
  claims?: JWTPayload;
  header?: Record<string, unknown>;
  key?: Parameters<SignJWT['sign']>[0];
  omitExp?: boolean;
}

async function signToken({
  claims = {},
  header = {},
  key = es.privateKey,
  omitExp = false,
}: TokenSpec = {}): Promise<string> {
  const base: JWTPayload = {
    iss: ISSUER,
    aud: AUDIENCE,
    sub: 'alice',
    iat: NOW_S - 10,
    ...(omitExp ? {} : { exp: NOW_S + 300 }),
  };
  return new SignJWT({ ...base, ...claims }).setProtectedHeader({ alg: 'ES256', kid: 'k1', ...header }).sign(key);
}

function unsigned(payload: JWTPayload): string {
  const enc = (v: unknown) => base64url.encode(JSON.stringify(v));
  return `${enc({ alg: 'none', kid: 'k1' })}.${enc(payload)}.`;
}

async function hs256WithPublicKey(): Promise<string> {
  const secret = new TextEncoder().encode(JSON.stringify(publicJwk));
  return new SignJWT({ iss: ISSUER, aud: AUDIENCE, exp: NOW_S + 300 })
    .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
    .sign(secret);
}

/** A token that marks an extension header as critical (RFC 7515 §4.1.11); jose signs it when told it knows it. */
function critToken(): Promise<string> {
  const payload = new TextEncoder().encode(JSON.stringify({ iss: ISSUER, aud: AUDIENCE, exp: NOW_S + 300 }));
  return new CompactSign(payload)
    .setProtectedHeader({ alg: 'ES256', kid: 'k1', crit: ['x-edgepass-test'], 'x-edgepass-test': true })
    .sign(es.privateKey, { crit: { 'x-edgepass-test': true } });
}

describe('createTokenVerifier', () => {
  it('accepts a valid ES256 token and returns its claims and kid', async () => {
    const result = await verifierFor(options)(await signToken({ claims: { tickets: ['42'] } }), NOW_MS);
    expect(result).toMatchObject({ ok: true, kid: 'k1', claims: { sub: 'alice', tickets: ['42'] } });
  });

  it('accepts an RS256 token signed by the second key', async () => {
    const token = await signToken({ header: { alg: 'RS256', kid: 'r1' }, key: rsa.privateKey });
    expect(await verifierFor(options)(token, NOW_MS)).toMatchObject({ ok: true, kid: 'r1' });
  });

  it.each([
    ['no token', () => Promise.resolve(undefined), 'token_missing'],
    ['an oversized token', () => Promise.resolve('a'.repeat(5000)), 'token_too_large'],
    ['garbage', () => Promise.resolve('not-a-jwt'), 'token_malformed'],
    ['a header that is not JSON', () => Promise.resolve('bm90anNvbg.e30.e30'), 'token_malformed'],
    ['alg none', () => Promise.resolve(unsigned({ iss: ISSUER, aud: AUDIENCE, exp: NOW_S + 300 })), 'token_malformed'],
    [
      'alg none with a fake signature',
      () => Promise.resolve(`${unsigned({ iss: ISSUER, aud: AUDIENCE, exp: NOW_S + 300 })}AAAA`),
      'token_alg_not_allowed',
    ],
    ['HS256 keyed with the public key', hs256WithPublicKey, 'token_alg_not_allowed'],
    [
      'an algorithm not configured (ES384)',
      async () => signToken({ header: { alg: 'ES384' }, key: p384PrivateKey() }),
      'token_alg_not_allowed',
    ],
    ['an unknown kid', async () => signToken({ header: { kid: 'nope' } }), 'token_unknown_kid'],
    ['a signature by another key', async () => signToken({ key: other.privateKey }), 'token_bad_signature'],
    ['the wrong issuer', async () => signToken({ claims: { iss: 'https://evil.example.test/' } }), 'token_bad_issuer'],
    ['the wrong audience', async () => signToken({ claims: { aud: 'other-app' } }), 'token_bad_audience'],
    ['an expired token', async () => signToken({ claims: { exp: NOW_S - 31 } }), 'token_expired'],
    ['nbf in the future', async () => signToken({ claims: { nbf: NOW_S + 31 } }), 'token_not_yet_valid'],
    ['no exp', async () => signToken({ omitExp: true }), 'token_missing_exp'],
    [
      'iat in the future (beyond the tolerance)',
      async () => signToken({ claims: { iat: NOW_S + 31 } }),
      'token_not_yet_valid',
    ],
    ['a critical JWS extension (crit)', critToken, 'token_crit_unsupported'],
  ] satisfies [string, () => Promise<string | undefined>, string][])('rejects %s', async (_name, make, reason) => {
    const result = await verifierFor(options)(await make(), NOW_MS);
    expect(result).toMatchObject({ ok: false, reason });
  });

  it('accepts a token issued within the clock tolerance of now', async () => {
    const token = await signToken({ claims: { iat: NOW_S + 29 } });
    expect(await verifierFor(options)(token, NOW_MS)).toMatchObject({ ok: true });
  });

  it('requires the configured typ when one is set (an ID token is not an access token)', async () => {
    const strict = verifierFor({ ...options, typ: 'at+jwt' });
    expect(await strict(await signToken({ header: { typ: 'at+jwt' } }), NOW_MS)).toMatchObject({ ok: true });
    expect(await strict(await signToken({ header: { typ: 'JWT' } }), NOW_MS)).toMatchObject({
      ok: false,
      reason: 'token_bad_type',
    });
    expect(await strict(await signToken(), NOW_MS)).toMatchObject({ ok: false, reason: 'token_bad_type' });
  });

  it('rejects a token whose payload was changed after signing', async () => {
    const [h, , s] = (await signToken()).split('.');
    const forged = `${h}.${base64url.encode(JSON.stringify({ iss: ISSUER, aud: AUDIENCE, exp: NOW_S + 300, sub: 'mallory' }))}.${s}`;
    expect(await verifierFor(options)(forged, NOW_MS)).toMatchObject({
      ok: false,
      reason: 'token_bad_signature',
    });
  });

  it('tolerates clock skew within clockToleranceSeconds', async () => {
    const token = await signToken({ claims: { exp: NOW_S - 20 } });
    expect(await verifierFor(options)(token, NOW_MS)).toMatchObject({ ok: true });
  });

  it('re-checks expiry of a cached token on later calls', async () => {
    const verify = verifierFor(options);
    const token = await signToken({ claims: { exp: NOW_S + 60 } });
    expect(await verify(token, NOW_MS)).toMatchObject({ ok: true });
    expect(await verify(token, NOW_MS + 95_000)).toMatchObject({ ok: false, reason: 'token_expired' });
  });

  it('never uses a key whose JWK says use "enc" or another alg', async () => {
    const token = await signToken();
    const encOnly = { ...options, jwks: { keys: [{ ...publicJwk, use: 'enc' }] } };
    const otherAlg = { ...options, jwks: { keys: [{ ...publicJwk, alg: 'ES384' }] } };
    expect(await verifierFor(encOnly)(token, NOW_MS)).toMatchObject({ ok: false, reason: 'token_unknown_kid' });
    expect(await verifierFor(otherAlg)(token, NOW_MS)).toMatchObject({
      ok: false,
      reason: 'token_unknown_kid',
    });
  });

  it('accepts a token without kid only when exactly one key is configured', async () => {
    const token = await signToken({ header: { kid: undefined } });
    expect(await verifierFor({ ...options, jwks: { keys: [publicJwk] } })(token, NOW_MS)).toMatchObject({
      ok: true,
    });
    expect(await verifierFor(options)(token, NOW_MS)).toMatchObject({ ok: false, reason: 'token_unknown_kid' });
  });

  it('skips the audience check only when audience is null', async () => {
    const verify = verifierFor({ ...options, audience: null });
    expect(await verify(await signToken({ claims: { aud: 'anything' } }), NOW_MS)).toMatchObject({ ok: true });
  });
});

describe('several issuers', () => {
  const PARTNER = 'https://partner.example.test/';
  let partner: IssuerOptions;

  beforeAll(async () => {
    const partnerJwk = { ...(await exportJWK(other.publicKey)), kid: 'p1', alg: 'ES256' };
    partner = { ...options, issuer: PARTNER, audience: 'partner-app', jwks: { keys: [partnerJwk] } };
  });

  const partnerToken = (claims: JWTPayload = {}) =>
    signToken({
      claims: { iss: PARTNER, aud: 'partner-app', ...claims },
      header: { kid: 'p1' },
      key: other.privateKey,
    });

  it("verifies each issuer's tokens with its own keys and audience", async () => {
    const verify = verifierFor([options, partner]);
    expect(await verify(await signToken(), NOW_MS)).toMatchObject({ ok: true, claims: { iss: ISSUER } });
    expect(await verify(await partnerToken(), NOW_MS)).toMatchObject({ ok: true, claims: { iss: PARTNER } });
  });

  it.each([
    [
      "the partner's key claiming the primary issuer",
      () => partnerToken({ iss: ISSUER, aud: AUDIENCE }),
      'token_unknown_kid',
    ],
    ["the partner's key under the primary's kid", () => signToken({ key: other.privateKey }), 'token_bad_signature'],
    [
      "the primary's key claiming the partner",
      () => signToken({ claims: { iss: PARTNER, aud: 'partner-app' } }),
      'token_unknown_kid',
    ],
    ["the partner's token for the primary's audience", () => partnerToken({ aud: AUDIENCE }), 'token_bad_audience'],
    [
      'an issuer nobody configured',
      () => signToken({ claims: { iss: 'https://evil.example.test/' } }),
      'token_bad_issuer',
    ],
    ['an issuer that is not a string', () => signToken({ claims: { iss: 42 as never } }), 'token_bad_issuer'],
  ] satisfies [string, () => Promise<string>, string][])('refuses %s', async (_name, make, reason) => {
    expect(await verifierFor([options, partner])(await make(), NOW_MS)).toMatchObject({ ok: false, reason });
  });
});

describe('token purposes', () => {
  const LINK = 'edgepass-link';
  const link: TokenPurpose = { audience: LINK, maxLifetimeSeconds: 300 };

  it('accepts a link token only for the link audience, within the lifetime cap', async () => {
    const token = await signToken({ claims: { aud: LINK, iat: NOW_S - 10, exp: NOW_S + 290 } });
    expect(await verifierFor(options, link)(token, NOW_MS)).toMatchObject({ ok: true });
    expect(await verifierFor(options, link)(await signToken(), NOW_MS)).toMatchObject({
      ok: false,
      reason: 'token_bad_audience',
    });
  });

  it.each([
    ['lives longer than the cap', { aud: LINK, iat: NOW_S - 10, exp: NOW_S + 291 }],
    ['has no iat', { aud: LINK, iat: undefined, exp: NOW_S + 60 }],
  ])('refuses a link token that %s', async (_name, claims) => {
    const result = await verifierFor(options, link)(await signToken({ claims: claims as JWTPayload }), NOW_MS);
    expect(result).toMatchObject({ ok: false, reason: 'token_lifetime_too_long' });
  });

  it('keeps a token naming the refused audience out, even when it also names an accepted one', async () => {
    const verify = verifierFor(options, { refuseAudience: LINK });
    expect(await verify(await signToken({ claims: { aud: [AUDIENCE, LINK] } }), NOW_MS)).toMatchObject({
      ok: false,
      reason: 'token_bad_audience',
    });
    expect(await verify(await signToken({ claims: { aud: [AUDIENCE, 'other'] } }), NOW_MS)).toMatchObject({ ok: true });
  });
});

describe('parseJwtOptions', () => {
  const entry = (issuer: string) => ({
    issuer,
    audience: null,
    algorithms: ['ES256'],
    jwks: { keys: [{ kty: 'EC' }] },
  });

  it('takes an array of issuer entries', () => {
    const problems: string[] = [];
    const parsed = parseJwtOptions([entry('https://a.test/'), entry('https://b.test/')], problems);
    expect(problems).toEqual([]);
    expect(parsed?.issuers.map((e) => e.issuer)).toEqual(['https://a.test/', 'https://b.test/']);
  });

  it.each([
    ['an empty array', [], 'jwt must be one issuer entry or an array of 1 to 8 entries'],
    [
      'an issuer listed twice',
      [entry('https://a.test/'), entry('https://a.test/')],
      'jwt[1].issuer https://a.test/ is listed twice',
    ],
    [
      'several issuers sharing one entry (and its keys)',
      { ...entry('x'), issuer: ['https://a.test/', 'https://b.test/'] },
      expect.stringContaining('jwt.issuer must be one issuer: list several as separate entries'),
    ],
    ['an issuer with a lone surrogate', entry('https://a.test/\ud800'), 'jwt.issuer must be well-formed Unicode'],
    [
      'a bad entry of an array',
      [entry('https://a.test/'), { issuer: 'https://b.test/' }],
      expect.stringContaining('jwt[1].audience'),
    ],
  ])('refuses %s', (_name, raw, problem) => {
    const problems: string[] = [];
    expect(parseJwtOptions(raw, problems)).toBeUndefined();
    expect(problems).toContainEqual(problem);
  });

  it('reports every problem at once', () => {
    const problems: string[] = [];
    const parsed = parseJwtOptions(
      { algorithms: ['HS256'], jwks: { keys: [] }, clockToleranceSeconds: -1, extra: 1 },
      problems,
    );
    expect(parsed).toBeUndefined();
    expect(problems).toEqual([
      'jwt.issuer must be a string of at most 512 characters',
      'jwt.audience is required (use null to skip the audience check)',
      expect.stringContaining('jwt.algorithms must list one or more of'),
      'jwt.jwks must be { "keys": [ ... ] } with at least one public key',
      'jwt.clockToleranceSeconds must be an integer from 0 to 300',
      'jwt.extra is not a known setting',
    ]);
  });

  it('refuses a JWKS that carries private key material', () => {
    const problems: string[] = [];
    parseJwtOptions(
      { issuer: ISSUER, audience: null, algorithms: ['ES256'], jwks: { keys: [{ kty: 'EC', d: 'x' }] } },
      problems,
    );
    expect(problems).toEqual(['jwt.jwks.keys[0] holds private key material']);
  });
});
