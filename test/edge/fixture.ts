// Shared fixture for the edge suites: a generated CloudFront key and identity provider, a valid raw config,
// and a handler with a frozen clock and a captured log. Keys are generated per test file, never committed.
import { parseConfig } from '../../edge/config.ts';
import { generateKeyPair } from '../../common/keypair.ts';
import { createHandler } from '../../edge/handler.ts';
import { createKeySource } from '../../edge/key-source/baked.ts';
import type { EdgeHandler } from '../../edge/handler.ts';
import { createIdp, signToken } from '../helpers/tokens.ts';
import type { TestIdp } from '../helpers/tokens.ts';

/** 2026-01-01T00:00:00Z minus a bit: a frozen "now" for every core test. */
export const NOW_MS = 1_767_225_000_000;
export const NOW_S = NOW_MS / 1000;
export const HOST = 'cdn.example.test';
export const ISSUER = 'https://id.example.test/';
export const AUDIENCE = 'edgepass-demo';
const KEY_PAIR_ID = 'K2JCJMDEHXQW5F';

export interface CloudFrontKey {
  readonly keyPairId: string;
  readonly privateKeyPem: string;
  readonly publicKeyPem: string;
}

export function cloudFrontKey(keyPairId = KEY_PAIR_ID): CloudFrontKey {
  const { privateKeyPem, publicKeyPem } = generateKeyPair('rsa-2048');
  return { keyPairId, privateKeyPem, publicKeyPem };
}

export function rawConfig(
  idp: TestIdp,
  cf: CloudFrontKey,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    domainNames: [HOST],
    jwt: { issuer: ISSUER, audience: AUDIENCE, algorithms: ['ES256'], jwks: idp.jwks, clockToleranceSeconds: 30 },
    signer: { keyPairId: cf.keyPairId, privateKeyPem: cf.privateKeyPem, hashAlgorithm: 'SHA1' },
    sessionCookieName: 'session',
    protectedPaths: [
      {
        pattern: '/attractions/{attraction}/',
        ticketClaim: 'tickets',
        cookieTtlSeconds: 3600,
        signedUrlTtlSeconds: 60,
      },
    ],
    ...extra,
  };
}

export interface World {
  readonly idp: TestIdp;
  readonly cf: CloudFrontKey;
  readonly raw: Record<string, unknown>;
  readonly logs: string[];
  clock: { nowMs: number };
  readonly handler: EdgeHandler;
  /** A token from the test identity provider, valid for an hour, with the given claims on top. */
  token(claims?: Record<string, unknown>): Promise<string>;
}

export function createWorld(extra: Record<string, unknown> = {}, keys?: { idp: TestIdp; cf: CloudFrontKey }): World {
  const idp = keys?.idp ?? createIdp();
  const cf = keys?.cf ?? cloudFrontKey();
  const raw = rawConfig(idp, cf, extra);
  const logs: string[] = [];
  const clock = { nowMs: NOW_MS };
  const config = parseConfig(raw);
  const keySource = createKeySource(config.signer);
  const handler = createHandler(config, { clock: () => clock.nowMs, logger: (line) => logs.push(line), keySource });
  const token = (claims: Record<string, unknown> = {}): Promise<string> =>
    signToken({
      claims: {
        iss: ISSUER,
        aud: AUDIENCE,
        sub: 'user-1',
        iat: NOW_S - 10,
        exp: NOW_S + 3600,
        tickets: ['42'],
        ...claims,
      },
      kid: idp.kid,
      key: idp.privateKey,
    });
  return { idp, cf, raw, logs, clock, handler, token };
}
