// Everything the decision needs that can be prepared once per cold start: imported keys, the CloudFront verifier,
// the token verifier and the bounded signature caches. Built from a validated EdgeConfig; no per-request parsing.
// The signing key comes from a KeySource: baked (ready at once) or Secrets Manager (may still be on its way).
import { importTrustedKeys } from '../../common/cloudfront/keys.ts';
import type { Signer } from '../../common/cloudfront/keys.ts';
import type { SignedCookie } from '../../common/cloudfront/sign.ts';
import { createVerifier } from '../../common/cloudfront/verify.ts';
import type { CloudFrontVerifier } from '../../common/cloudfront/verify.ts';
import { createTokenVerifier } from '../../common/jwt/index.ts';
import type { TokenPurpose, TokenVerifier } from '../../common/jwt/index.ts';
import { Lru } from '../../common/lru.ts';
import type { EdgeConfig } from '../config.ts';
import type { OidcConfig } from '../config-oidc.ts';
import { trustedKeyPems } from '../config-keys.ts';
import { keyError } from '../key-source/types.ts';
import type { KeySource } from '../key-source/types.ts';
import type { Context } from './context.ts';
import type { Decision } from './types.ts';

export interface Runtime {
  readonly config: EdgeConfig;
  /** Throws an EdgepassError `key_pending` while the key source is still loading (only signing reads it). */
  readonly signer: Signer;
  readonly keySource: KeySource;
  readonly cloudFront: CloudFrontVerifier;
  /** Bearer tokens (and sessions without oidc): never a link token. */
  readonly verifyToken: TokenVerifier;
  /** The session cookie: an app JWT as verifyToken checks it, or (with oidc) an ID token for our client. */
  readonly verifySession: TokenVerifier;
  /** Sign-in at the edge, or null when `oidc` is not configured. */
  readonly oidc: OidcRuntime | null;
  /** `?token=` links: the link audience only, short-lived; null when links are off. */
  readonly verifyLinkToken: TokenVerifier | null;
  /** Signed cookies per exact policy bytes: everyone entering in the same bucket shares one signature. */
  readonly cookieCache: Lru<string, readonly SignedCookie[]>;
  /** Signed URLs per (expiry, url). */
  readonly urlCache: Lru<string, string>;
  /** config.appOrigins, prepared once: an exact `Origin` lookup per request. */
  readonly appOrigins: ReadonlySet<string>;
}

/** The oidc section with its endpoints resolved (the build baked them), the token endpoint's fetch, the ID-token check. */
export interface OidcRuntime extends OidcConfig {
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
  readonly fetch: typeof fetch;
  readonly flow: OidcFlow;
  /** ID tokens of `oidc.issuer` for `clientId` (that issuer's keys and algorithms, no `typ` rule: ID tokens are JWTs). */
  readonly verifyIdToken: TokenVerifier;
}

/**
 * The sign-in endpoints (edge/core/oidc.ts), injected so that a bundle without `oidc` leaves them out: the build
 * resolves the virtual module `edgepass:oidc` to them or to edge/oidc-off.ts, as it picks the key source.
 */
export interface OidcFlow {
  readonly signIn: (ctx: Context, oidc: OidcRuntime) => Promise<Decision>;
  readonly callback: (ctx: Context, oidc: OidcRuntime) => Promise<Decision>;
  readonly endSessionUrl: (ctx: Context, oidc: OidcRuntime) => string | undefined;
}

export interface RuntimeOptions {
  readonly cacheEntries?: number;
  /** The build's key source (edgepass:key-source); tests pass edge/key-source/baked.ts. */
  readonly keySource: KeySource;
  /** Only the token endpoint is ever fetched (sign-in at the edge); never at cold start. */
  readonly fetch?: typeof fetch;
  /** Required with `oidc`; null or absent otherwise. */
  readonly oidcFlow?: OidcFlow | null;
}

/** Fails the cold start when sign-in at the edge is configured but cannot run (fail closed, never silently off). */
function oidcRuntime(config: EdgeConfig, options: RuntimeOptions, purpose: TokenPurpose): OidcRuntime | null {
  const { oidc } = config;
  if (oidc === null) return null;
  const { authorizationEndpoint, tokenEndpoint } = oidc;
  const entry = config.jwt.issuers.find((candidate) => candidate.issuer === oidc.issuer);
  const { fetch, oidcFlow: flow } = options;
  if (authorizationEndpoint === null || tokenEndpoint === null || !entry || !fetch || !flow) {
    throw new TypeError('oidc: endpoints, issuer, fetch or flow missing');
  }
  const issuers = [{ ...entry, audience: oidc.clientId, typ: null }];
  const verifyIdToken = createTokenVerifier({ issuers }, purpose);
  return { ...oidc, authorizationEndpoint, tokenEndpoint, fetch, flow, verifyIdToken };
}

/** The app verifier first; an ID token it refuses (another audience) may still be our client's session. */
function sessionVerifier(app: TokenVerifier, oidc: OidcRuntime | null): TokenVerifier {
  if (oidc === null) return app;
  return async (token, nowMs) => {
    const result = await app(token, nowMs);
    if (result.ok) return result;
    const id = await oidc.verifyIdToken(token, nowMs);
    return id.ok || result.reason === 'token_bad_audience' || result.reason === 'token_bad_type' ? id : result;
  };
}

export function createRuntime(config: EdgeConfig, options: RuntimeOptions): Runtime {
  const cacheEntries = options.cacheEntries ?? 1024;
  const source = options.keySource;
  const link = config.linkTokens;
  const purpose = { cacheEntries, ...(link === null ? {} : { refuseAudience: link.audience }) };
  const verifyToken = createTokenVerifier(config.jwt, purpose);
  const oidc = oidcRuntime(config, options, purpose);
  return {
    config,
    get signer() {
      return source.current() ?? keyError('key_pending');
    },
    keySource: source,
    cloudFront: createVerifier(importTrustedKeys(trustedKeyPems(config)), { cacheEntries }),
    verifyToken,
    verifySession: sessionVerifier(verifyToken, oidc),
    oidc,
    verifyLinkToken:
      link === null
        ? null
        : createTokenVerifier(config.jwt, {
            cacheEntries,
            audience: link.audience,
            maxLifetimeSeconds: link.maxLifetimeSeconds,
          }),
    cookieCache: new Lru(cacheEntries),
    urlCache: new Lru(cacheEntries),
    appOrigins: new Set(config.appOrigins),
  };
}
