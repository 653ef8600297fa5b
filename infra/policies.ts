// CloudFront cache, origin request and response headers policies for edgepass. Trust boundary: what a viewer
// sends (CloudFront-* and session cookies, signature query parameters) must neither key the cache nor reach S3.
import { Duration } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import type { Construct } from 'constructs';
import { DEFAULT_PROTECTED_CACHE_CONTROL } from '../common/cache-control.ts';
import { FORWARDED_AUTHORIZATION_HEADER } from './api-auth-function.ts';
import { regionalName } from './names.ts';

export interface EdgePassPolicies {
  /** S3 content: the cache key is the path alone. */
  readonly mediaCache: cloudfront.ICachePolicy;
  /** S3 content: no cookies, no query string, only the CORS request headers reach the bucket. */
  readonly mediaOriginRequest: cloudfront.IOriginRequestPolicy;
  /** `/api/*`: the forwarded bearer token, the body hash and type, CORS request headers, the query; never cookies. */
  readonly apiOriginRequest: cloudfront.IOriginRequestPolicy;
  /** Every behaviour: HSTS and the usual hardening headers. */
  readonly securityHeaders: cloudfront.IResponseHeadersPolicy;
  /**
   * Protected paths: the same, plus the protected `Cache-Control` (default `private, no-cache`) and credentialed
   * CORS for the app origins (when there are any).
   */
  readonly protectedHeaders: cloudfront.IResponseHeadersPolicy;
  /**
   * `/_edgepass/*`: hardening headers and credentialed CORS, and no Cache-Control of its own: the authorizer's answers
   * say `no-store` themselves, which a policy must not weaken should CloudFront apply it to generated responses.
   */
  readonly endpointHeaders: cloudfront.IResponseHeadersPolicy;
  /** `/api/*`: the same, plus CORS for the configured app origins (when there are any). */
  readonly apiHeaders: cloudfront.IResponseHeadersPolicy;
}

// Cookies, query strings and headers are left out of the cache key entirely, so signed-URL parameters
// (Expires, Policy, Signature, Key-Pair-Id, Hash-Algorithm) and CloudFront-*/session cookies can never split or
// poison the cache (Developer Guide, "Understand cache policies").
function mediaCachePolicy(scope: Construct): cloudfront.CachePolicy {
  return new cloudfront.CachePolicy(scope, 'MediaCachePolicy', {
    comment: 'edgepass media: cache key is the path only',
    minTtl: Duration.seconds(0),
    defaultTtl: Duration.days(1),
    maxTtl: Duration.days(365),
    cookieBehavior: cloudfront.CacheCookieBehavior.none(),
    queryStringBehavior: cloudfront.CacheQueryStringBehavior.none(),
    headerBehavior: cloudfront.CacheHeaderBehavior.none(),
    enableAcceptEncodingGzip: true,
    enableAcceptEncodingBrotli: true,
  });
}

function securityHeadersBehavior(): cloudfront.ResponseSecurityHeadersBehavior {
  return {
    // Two years, the HSTS preload list's minimum; preload itself is the domain owner's decision.
    strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, override: true },
    contentTypeOptions: { override: true },
    frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
    referrerPolicy: {
      referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
      override: true,
    },
  };
}

function apiCors(appOrigins: readonly string[]): cloudfront.ResponseHeadersCorsBehavior | undefined {
  if (appOrigins.length === 0) return undefined;
  return {
    accessControlAllowOrigins: [...appOrigins],
    accessControlAllowMethods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
    // x-amz-content-sha256: Lambda OAC needs the body hash on PUT/POST (Developer Guide, "Restrict access to an
    // AWS Lambda function URL origin").
    accessControlAllowHeaders: ['authorization', 'content-type', 'x-amz-content-sha256'],
    // Location: a download answers 302 with the presigned URL there.
    accessControlExposeHeaders: ['Location'],
    // Bearer tokens, not cookies: the API never needs the browser's credentials.
    accessControlAllowCredentials: false,
    accessControlMaxAge: Duration.minutes(10),
    originOverride: true,
  };
}

/**
 * Protected media for an SPA on an app origin that fetches with `credentials: 'include'` (signed cookies). The cache
 * is keyed on the path alone, so CORS headers S3 added for one viewer's Origin would be served to the next: the
 * distribution sets them for each viewer instead, overriding the origin's. The edge function answers preflights and
 * adds the same headers to the answers it generates itself; this policy covers what S3 serves.
 */
function protectedCors(appOrigins: readonly string[]): cloudfront.ResponseHeadersCorsBehavior | undefined {
  if (appOrigins.length === 0) return undefined;
  return {
    accessControlAllowOrigins: [...appOrigins],
    accessControlAllowMethods: ['GET', 'HEAD', 'OPTIONS'],
    accessControlAllowHeaders: ['authorization', 'range'],
    accessControlExposeHeaders: ['Content-Length', 'Content-Range', 'Accept-Ranges', 'ETag', 'WWW-Authenticate'],
    accessControlAllowCredentials: true,
    accessControlMaxAge: Duration.seconds(600),
    originOverride: true,
  };
}

// Headers the origin API reads. OAC signs the origin request, so the viewer's Authorization travels as
// x-edgepass-authorization, and a POST/PUT body reaches a function URL only with the viewer's x-amz-content-sha256
// (Developer Guide, "Restrict access to an AWS Lambda function URL origin"). The API answers CORS preflights itself,
// so it needs origin and the access-control-request-* headers.
const API_HEADERS = [
  FORWARDED_AUTHORIZATION_HEADER,
  'content-type',
  'accept',
  'origin',
  'x-amz-content-sha256',
  'access-control-request-method',
  'access-control-request-headers',
];

/**
 * What caches may do with protected media. `private`: shared caches (proxies, corporate caches) never keep it, only
 * the viewer's own browser (RFC 9111 §5.2.2.7); `no-cache`: the browser revalidates before each reuse (§5.2.2.4), so
 * the request reaches the CDN and the edge decides again: after sign-out, a reload is refused. The policy sets it
 * over whatever S3 sends (Override), as an object's own metadata could say `public`. Response headers policies apply
 * after CloudFront's cache, so CloudFront itself still caches the media (Developer Guide, "Understand response
 * headers policies"). Configurable (`protectedCacheControl`): `private, max-age=300` spares the revalidations.
 * `protectedCacheControl` defaults to DEFAULT_PROTECTED_CACHE_CONTROL (common/cache-control.ts).
 */
export function createPolicies(
  scope: Construct,
  appOrigins: readonly string[],
  protectedCacheControl: string = DEFAULT_PROTECTED_CACHE_CONTROL,
): EdgePassPolicies {
  const cors = apiCors(appOrigins);
  const securityHeaders = new cloudfront.ResponseHeadersPolicy(scope, 'SecurityHeadersPolicy', {
    responseHeadersPolicyName: regionalName(scope, 'SecurityHeaders', 128),
    comment: 'edgepass: HSTS and hardening headers',
    securityHeadersBehavior: securityHeadersBehavior(),
  });
  const mediaCors = protectedCors(appOrigins);
  return {
    mediaCache: mediaCachePolicy(scope),
    mediaOriginRequest: new cloudfront.OriginRequestPolicy(scope, 'MediaOriginRequestPolicy', {
      originRequestPolicyName: regionalName(scope, 'MediaOriginRequest', 128),
      comment: 'edgepass media: no cookies or query strings to S3',
      cookieBehavior: cloudfront.OriginRequestCookieBehavior.none(),
      queryStringBehavior: cloudfront.OriginRequestQueryStringBehavior.none(),
      headerBehavior: cloudfront.OriginRequestHeaderBehavior.allowList(
        'origin',
        'access-control-request-method',
        'access-control-request-headers',
      ),
    }),
    apiOriginRequest: new cloudfront.OriginRequestPolicy(scope, 'ApiOriginRequestPolicy', {
      originRequestPolicyName: regionalName(scope, 'ApiOriginRequest', 128),
      comment: 'edgepass api: forwarded bearer token, body hash and type, CORS request headers, query; no cookies',
      cookieBehavior: cloudfront.OriginRequestCookieBehavior.none(),
      queryStringBehavior: cloudfront.OriginRequestQueryStringBehavior.all(),
      headerBehavior: cloudfront.OriginRequestHeaderBehavior.allowList(...API_HEADERS),
    }),
    securityHeaders,
    protectedHeaders: new cloudfront.ResponseHeadersPolicy(scope, 'ProtectedHeadersPolicy', {
      responseHeadersPolicyName: regionalName(scope, 'ProtectedHeaders', 128),
      comment: 'edgepass protected media: HSTS, hardening headers, Cache-Control private, CORS for the app origins',
      securityHeadersBehavior: securityHeadersBehavior(),
      customHeadersBehavior: {
        customHeaders: [{ header: 'Cache-Control', value: protectedCacheControl, override: true }],
      },
      ...(mediaCors === undefined ? {} : { corsBehavior: mediaCors }),
    }),
    endpointHeaders:
      mediaCors === undefined
        ? securityHeaders
        : new cloudfront.ResponseHeadersPolicy(scope, 'EndpointHeadersPolicy', {
            responseHeadersPolicyName: regionalName(scope, 'EndpointHeaders', 128),
            comment: 'edgepass /_edgepass/: HSTS, hardening headers, credentialed CORS for the app origins',
            securityHeadersBehavior: securityHeadersBehavior(),
            corsBehavior: mediaCors,
          }),
    apiHeaders: new cloudfront.ResponseHeadersPolicy(scope, 'ApiHeadersPolicy', {
      responseHeadersPolicyName: regionalName(scope, 'ApiHeaders', 128),
      comment: 'edgepass api: HSTS, hardening headers, CORS for the app origins',
      securityHeadersBehavior: securityHeadersBehavior(),
      ...(cors === undefined ? {} : { corsBehavior: cors }),
    }),
  };
}
