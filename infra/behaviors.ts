// The distribution's cache behaviours: protected paths (edge-guarded or key-group-restricted), the authorizer's
// own `/_edgepass/*` gate, `/api/*` to the origin API, and the public default. HTTPS-only for viewers everywhere.
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { EdgePassPolicies } from './policies.ts';
import type { EdgePassProtectedPath } from './props.ts';

export interface BehaviorInputs {
  readonly protectedPaths: readonly EdgePassProtectedPath[];
  /** The bucket root (protected media), read-only through OAC, which may read the protected prefixes only. */
  readonly bucketOrigin: cloudfront.IOrigin;
  /** The bucket's public folder (origin path), read-only through the same OAC. */
  readonly publicOrigin: cloudfront.IOrigin;
  /** A bucket folder the OAC may not read (infra/bucket-access.ts): whatever reaches it, S3 answers 403. */
  readonly closedOrigin: cloudfront.IOrigin;
  readonly apiOrigin: cloudfront.IOrigin;
  readonly policies: EdgePassPolicies;
  readonly authorizer: lambda.IVersion;
  readonly apiAuthFunction: cloudfront.IFunction;
  readonly keyGroup: cloudfront.IKeyGroup;
}

export interface Behaviors {
  readonly defaultBehavior: cloudfront.BehaviorOptions;
  readonly additionalBehaviors: Record<string, cloudfront.BehaviorOptions>;
}

function media(
  origin: cloudfront.IOrigin,
  policies: EdgePassPolicies,
  responseHeadersPolicy: cloudfront.IResponseHeadersPolicy,
): cloudfront.BehaviorOptions {
  return {
    origin,
    viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
    allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD_OPTIONS,
    cachedMethods: cloudfront.CachedMethods.CACHE_GET_HEAD_OPTIONS,
    cachePolicy: policies.mediaCache,
    originRequestPolicy: policies.mediaOriginRequest,
    responseHeadersPolicy,
    compress: true,
  };
}

/**
 * Edge-enforced paths run the authorizer on every request, and on S3's answer to a miss (its styled 404 page instead
 * of S3's XML); native ones rely on CloudFront's own signature check and run no Lambda at all.
 */
function protectedBehaviors(inputs: BehaviorInputs, edgeLambdas: cloudfront.EdgeLambda[]) {
  const behaviors: Record<string, cloudfront.BehaviorOptions> = {};
  for (const path of inputs.protectedPaths) {
    const base = media(inputs.bucketOrigin, inputs.policies, inputs.policies.protectedHeaders);
    behaviors[`${path.prefix}*`] =
      path.enforcement === 'edge'
        ? { ...base, edgeLambdas: [...edgeLambdas, notFoundPages(inputs)] }
        : { ...base, trustedKeyGroups: [inputs.keyGroup] };
  }
  return behaviors;
}

/**
 * The authorizer on origin response: a bucket miss (S3 answers 403 to a reader that may not list, 404 otherwise)
 * becomes the styled "nothing at this address" page. Origin-response triggers run on cache misses only, every
 * status included, so this costs one short invocation per miss on the behaviours that carry it (docs/edge.md).
 */
function notFoundPages(inputs: BehaviorInputs): cloudfront.EdgeLambda {
  return { functionVersion: inputs.authorizer, eventType: cloudfront.LambdaEdgeEventType.ORIGIN_RESPONSE };
}

export function buildBehaviors(inputs: BehaviorInputs): Behaviors {
  const edgeLambdas: cloudfront.EdgeLambda[] = [
    { functionVersion: inputs.authorizer, eventType: cloudfront.LambdaEdgeEventType.VIEWER_REQUEST },
  ];
  const uncached = {
    viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
    allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
    cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
  };
  return {
    defaultBehavior: {
      ...media(inputs.publicOrigin, inputs.policies, inputs.policies.securityHeaders),
      edgeLambdas: [notFoundPages(inputs)],
    },
    additionalBehaviors: {
      ...protectedBehaviors(inputs, edgeLambdas),
      // The authorizer's own endpoints (grant, sign-out): never restricted (the gate for native paths, per the
      // Developer Guide's "Using signed cookies"), never cached. The function answers them itself; whatever it let
      // through would meet the closed origin, a folder the OAC may not read, so S3 answers 403 to reads and writes
      // alike. Apps call it cross-origin (grant), hence the protected CORS.
      '/_edgepass/*': {
        ...uncached,
        origin: inputs.closedOrigin,
        responseHeadersPolicy: inputs.policies.endpointHeaders,
        edgeLambdas,
      },
      '/api/*': {
        ...uncached,
        origin: inputs.apiOrigin,
        originRequestPolicy: inputs.policies.apiOriginRequest,
        responseHeadersPolicy: inputs.policies.apiHeaders,
        functionAssociations: [
          { function: inputs.apiAuthFunction, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST },
        ],
      },
    },
  };
}
