// Everything the decision needs that can be prepared once per cold start: imported keys, the CloudFront verifier,
// the token verifier and the bounded signature caches. Built from a validated EdgeConfig; no per-request parsing.
// The signing key comes from a KeySource: baked (ready at once) or Secrets Manager (may still be on its way).
import { importTrustedKeys } from '../../common/cloudfront/keys.ts';
import type { Signer } from '../../common/cloudfront/keys.ts';
import type { SignedCookie } from '../../common/cloudfront/sign.ts';
import { createVerifier } from '../../common/cloudfront/verify.ts';
import type { CloudFrontVerifier } from '../../common/cloudfront/verify.ts';
import { createKeyRing, createTokenVerifier } from '../../common/jwt/index.ts';
import type { KeyRing, TokenPurpose, TokenVerifier } from '../../common/jwt/index.ts';
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
/** What the ID-token verifier shares with the app's: the purpose, the issuers' key ring, and the app verifier. */
export interface OidcVerifying {
  readonly purpose: TokenPurpose;
  readonly keys: KeyRing;
  readonly app: TokenVerifier;
}

export interface OidcFlow {
  readonly signIn: (ctx: Context, oidc: OidcRuntime) => Promise<Decision>;
  readonly callback: (ctx: Context, oidc: OidcRuntime) => Promise<Decision>;
  readonly endSessionUrl: (ctx: Context, oidc: OidcRuntime) => string | undefined;
  /** At cold start: the resolved section, and the session verifier that also takes our client's ID tokens. */
  readonly prepare: (
    config: EdgeConfig,
    fetch: typeof globalThis.fetch | undefined,
    verifying: OidcVerifying,
  ) => { readonly oidc: OidcRuntime; readonly verifySession: TokenVerifier };
}

export interface RuntimeOptions {
  readonly cacheEntries?: number;
  /** The build's key source (edgepass:key-source); tests pass edge/key-source/baked.ts. */
  readonly keySource: KeySource;
  /** An issuer's `jwksUri` (an unknown kid) and the token endpoint (sign-in at the edge); never at cold start. */
  readonly fetch?: typeof fetch;
  /** Required with `oidc`; null or absent otherwise. */
  readonly oidcFlow?: OidcFlow | null;
}

/** With `oidc`, its flow prepares it (fails the cold start when it cannot run: never silently off); else nothing. */
function withOidc(config: EdgeConfig, options: RuntimeOptions, verifying: OidcVerifying) {
  const flow = options.oidcFlow;
  if (config.oidc === null) return { oidc: null, verifySession: verifying.app };
  if (!flow) throw new TypeError('oidc without flow');
  return flow.prepare(config, options.fetch, verifying);
}

export function createRuntime(config: EdgeConfig, options: RuntimeOptions): Runtime {
  const cacheEntries = options.cacheEntries ?? 1024;
  const source = options.keySource;
  const link = config.linkTokens;
  // One key ring for every verifier: a session, a link and an ID token with a new kid share one fetch.
  const keys = createKeyRing(config.jwt, options.fetch);
  const purpose = { cacheEntries, ...(link === null ? {} : { refuseAudience: link.audience }) };
  const verifyToken = createTokenVerifier(config.jwt, purpose, keys);
  const { oidc, verifySession } = withOidc(config, options, { purpose, keys, app: verifyToken });
  return {
    config,
    get signer() {
      return source.current() ?? keyError('key_pending');
    },
    keySource: source,
    cloudFront: createVerifier(importTrustedKeys(trustedKeyPems(config)), { cacheEntries }),
    verifyToken,
    verifySession,
    oidc,
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
