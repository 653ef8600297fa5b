// Everything the decision needs that can be prepared once per cold start: imported keys, the CloudFront verifier,
// the token verifier and the bounded signature caches. Built from a validated EdgeConfig; no per-request parsing.
// The signing key comes from a KeySource: baked (ready at once) or Secrets Manager (may still be on its way).
import { importTrustedKeys } from '../../common/cloudfront/keys.ts';
import type { Signer } from '../../common/cloudfront/keys.ts';
import type { SignedCookie } from '../../common/cloudfront/sign.ts';
import { createVerifier } from '../../common/cloudfront/verify.ts';
import type { CloudFrontVerifier } from '../../common/cloudfront/verify.ts';
import { createKeyRing, createTokenVerifier } from '../../common/jwt/index.ts';
import type { JwksFetch, TokenVerifier } from '../../common/jwt/index.ts';
import { Lru } from '../../common/lru.ts';
import type { EdgeConfig } from '../config.ts';
import { trustedKeyPems } from '../config-keys.ts';
import { keyError } from '../key-source/types.ts';
import type { KeySource } from '../key-source/types.ts';

export interface Runtime {
  readonly config: EdgeConfig;
  /** Throws an EdgepassError `key_pending` while the key source is still loading (only signing reads it). */
  readonly signer: Signer;
  readonly keySource: KeySource;
  readonly cloudFront: CloudFrontVerifier;
  /** Sessions and bearer tokens: never a link token. */
  readonly verifyToken: TokenVerifier;
  /** `?token=` links: the link audience only, short-lived; null when links are off. */
  readonly verifyLinkToken: TokenVerifier | null;
  /** Signed cookies per exact policy bytes: everyone entering in the same bucket shares one signature. */
  readonly cookieCache: Lru<string, readonly SignedCookie[]>;
  /** Signed URLs per (expiry, url). */
  readonly urlCache: Lru<string, string>;
  /** config.appOrigins, prepared once: an exact `Origin` lookup per request. */
  readonly appOrigins: ReadonlySet<string>;
}

export interface RuntimeOptions {
  readonly cacheEntries?: number;
  /** The build's key source (edgepass:key-source); tests pass edge/key-source/baked.ts. */
  readonly keySource: KeySource;
  /** Fetches an issuer's `jwksUri` on an unknown kid; required when an issuer has one. */
  readonly fetch?: JwksFetch;
}

export function createRuntime(config: EdgeConfig, options: RuntimeOptions): Runtime {
  const cacheEntries = options.cacheEntries ?? 1024;
  const source = options.keySource;
  const link = config.linkTokens;
  // One key ring for both verifiers: a session and a link token with a new kid share one fetch.
  const keys = createKeyRing(config.jwt, options.fetch);
  return {
    config,
    get signer() {
      return source.current() ?? keyError('key_pending');
    },
    keySource: source,
    cloudFront: createVerifier(importTrustedKeys(trustedKeyPems(config)), { cacheEntries }),
    verifyToken: createTokenVerifier(
      config.jwt,
      { cacheEntries, ...(link === null ? {} : { refuseAudience: link.audience }) },
      keys,
    ),
    verifyLinkToken:
      link === null
        ? null
        : createTokenVerifier(
            config.jwt,
            { cacheEntries, audience: link.audience, maxLifetimeSeconds: link.maxLifetimeSeconds },
            keys,
          ),
    cookieCache: new Lru(cacheEntries),
    urlCache: new Lru(cacheEntries),
    appOrigins: new Set(config.appOrigins),
  };
}
