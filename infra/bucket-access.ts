// What CloudFront may read from the media bucket: the S3 origins it reads through (origin access control) and the
// bucket policy that lets it read only the served prefixes (the public folder and each protected path prefix), never
// the origin API's uploads and never the whole bucket. Trust boundary: the bucket policy, the last word on S3 access.
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';

/**
 * The origin path of the `/_edgepass/*` behaviour: `/_edgepass/x` would read the key `_edgepass/_edgepass/x`, a
 * folder no grant covers (protected paths may not start with `/_edgepass/`, and the public folder may not lie there),
 * so whatever the authorizer let through, S3 answers 403.
 */
export const CLOSED_ORIGIN_PATH = '/_edgepass';

/**
 * An S3 origin read through origin access control, built without CDK's `S3BucketOrigin.withOriginAccessControl`:
 * that one adds `s3:GetObject` on `bucket/*` to the bucket policy for every origin it binds, which would let the
 * distribution read uploads and anything else in the bucket. The grant is `grantServedPrefixes`, made once.
 */
class OacBucketOrigin extends cloudfront.OriginBase {
  constructor(bucket: s3.IBucket, oac: cloudfront.IOriginAccessControl, originPath: string | undefined) {
    super(bucket.bucketRegionalDomainName, {
      originAccessControlId: oac.originAccessControlId,
      ...(originPath === undefined ? {} : { originPath }),
    });
  }

  // An OAC origin still needs S3OriginConfig, with an empty origin access identity (CloudFormation Template
  // Reference, AWS::CloudFront::Distribution S3OriginConfig; CDK's own OAC origin renders the same).
  protected override renderS3OriginConfig(): cloudfront.CfnDistribution.S3OriginConfigProperty {
    return { originAccessIdentity: '' };
  }
}

export interface BucketOrigins {
  /** The bucket root, for the protected paths: `/attractions/42/a.jpg` reads the key `attractions/42/a.jpg`. */
  readonly media: cloudfront.IOrigin;
  /** The public folder (its origin path), for the default behaviour. */
  readonly public: cloudfront.IOrigin;
  /** A folder nothing may read, for `/_edgepass/*`: see CLOSED_ORIGIN_PATH. */
  readonly closed: cloudfront.IOrigin;
}

/** The three S3 origins, all signed by one origin access control (reference: "CDK offline": one OAC, reused). */
export function bucketOrigins(
  bucket: s3.IBucket,
  oac: cloudfront.IOriginAccessControl,
  publicOriginPath: string,
): BucketOrigins {
  return {
    media: new OacBucketOrigin(bucket, oac, undefined),
    public: new OacBucketOrigin(bucket, oac, publicOriginPath),
    closed: new OacBucketOrigin(bucket, oac, CLOSED_ORIGIN_PATH),
  };
}

/**
 * The S3 key prefixes a behaviour serves: the public folder (`/public` → `public/`) and each protected path prefix
 * (`/attractions/` → `attractions/`, read from the bucket root).
 */
export function servedPrefixes(publicOriginPath: string, protectedPrefixes: readonly string[]): string[] {
  return [`${publicOriginPath.slice(1)}/`, ...protectedPrefixes.map((prefix) => prefix.slice(1))];
}

/**
 * Lets this distribution, and only it, `s3:GetObject` under the served prefixes (CloudFront Developer Guide,
 * "Restrict access to an Amazon S3 origin": the `cloudfront.amazonaws.com` principal with `AWS:SourceArn`).
 */
export function grantServedPrefixes(
  bucket: s3.IBucket,
  distribution: cloudfront.IDistribution,
  prefixes: readonly string[],
): void {
  bucket.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'CloudFrontReadsServedPrefixes',
      effect: iam.Effect.ALLOW,
      principals: [new iam.ServicePrincipal('cloudfront.amazonaws.com')],
      actions: ['s3:GetObject'],
      resources: prefixes.map((prefix) => bucket.arnForObjects(`${prefix}*`)),
      conditions: { StringEquals: { 'AWS:SourceArn': distribution.distributionArn } },
    }),
  );
}
