// The private media bucket and the log bucket. Trust boundary: nothing is public; CloudFront reads through
// Origin Access Control, the origin API signs presigned URLs, browsers use them only from app and CDN origins (CORS).
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';

export interface EdgePassStorage {
  readonly bucket: s3.IBucket;
  readonly logBucket: s3.IBucket;
}

// CDK's Bucket declares `isWebsite?: boolean` where IBucket has `isWebsite: boolean`; under
// exactOptionalPropertyTypes the two only compare, they do not assign (a typing quirk, not a runtime difference).
const asIBucket = (bucket: s3.Bucket): s3.IBucket => bucket as s3.IBucket;

/**
 * Presigned URLs go from the browser to the bucket itself, so the bucket's CORS decides (S3 User Guide, "Using
 * cross-origin resource sharing (CORS)"). S3 applies the first rule whose origin, method and requested headers all
 * match, so reads and uploads get one rule each and neither allows more headers than it needs. `allowedOrigins` are
 * the app and CDN origins, never `*`.
 */
function mediaCors(origins: readonly string[]): s3.CorsRule[] {
  return [
    {
      id: 'read',
      allowedOrigins: [...origins],
      allowedMethods: [s3.HttpMethods.GET, s3.HttpMethods.HEAD],
      // range: media players fetch in byte ranges; x-amz-*: e.g. x-amz-checksum-mode. A GET has no body type.
      allowedHeaders: ['range', 'x-amz-*'],
      // Players read the total size from Content-Range and check Accept-Ranges; Content-Length is a CORS-safelisted
      // response header already (Fetch Standard), so it needs no exposing.
      exposedHeaders: ['ETag', 'Content-Range', 'Accept-Ranges'],
      maxAge: 600,
    },
    {
      id: 'upload',
      allowedOrigins: [...origins],
      allowedMethods: [s3.HttpMethods.PUT, s3.HttpMethods.POST],
      // content-type is a signed header of our presigned PUT; x-amz-* covers checksum and metadata headers.
      allowedHeaders: ['content-type', 'x-amz-*'],
      exposedHeaders: ['ETag'],
      maxAge: 600,
    },
  ];
}

/** A private log bucket that keeps logs 90 days: CloudFront's standard logs and S3's server access logs. */
export function createLogBucket(scope: Construct, id: string): s3.Bucket {
  return new s3.Bucket(scope, id, {
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    // CloudFront standard logging (legacy) writes with ACLs, so the log bucket must allow them (Developer Guide,
    // "Configure standard logging (legacy)": "Choose an S3 bucket").
    objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
    lifecycleRules: [{ expiration: Duration.days(90) }],
    removalPolicy: RemovalPolicy.RETAIN,
  });
}

/**
 * Old versions of media stay 30 days (an overwritten or deleted file can be restored); under the origin API's
 * prefix a deleted upload (a passport photo, say) must not linger: its noncurrent version expires after one day and
 * the delete marker left alone is removed. Where rules overlap, S3 honours the shorter expiration (S3 User Guide,
 * "How Amazon S3 handles conflicts in lifecycle configurations"). S3 counts a noncurrent day from the delete, rounded
 * up to the next midnight UTC, and removes expired objects asynchronously ("Setting lifecycle configuration").
 */
function mediaLifecycle(uploadsPrefix: string): s3.LifecycleRule[] {
  return [
    {
      id: 'media-versions',
      noncurrentVersionExpiration: Duration.days(30),
      abortIncompleteMultipartUploadAfter: Duration.days(1),
    },
    {
      id: 'deleted-uploads',
      prefix: uploadsPrefix,
      noncurrentVersionExpiration: Duration.days(1),
      expiredObjectDeleteMarker: true,
    },
  ];
}

/**
 * `corsOrigins`: the browser origins (apps and the CDN's own) that may use presigned URLs; none: no CORS rules.
 * `uploadsPrefix`: the origin API's key prefix, whose deleted objects go within a day.
 */
export function createStorage(
  scope: Construct,
  corsOrigins: readonly string[],
  uploadsPrefix: string,
): EdgePassStorage {
  const logBucket = createLogBucket(scope, 'LogBucket');
  const bucket = new s3.Bucket(scope, 'MediaBucket', {
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    // SSE-S3: CloudFront OAC reads it without a KMS key policy; SSE-KMS would need one (Developer Guide,
    // "Restrict access to an Amazon S3 origin": "SSE-KMS").
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    serverAccessLogsBucket: asIBucket(logBucket),
    serverAccessLogsPrefix: 's3-access/',
    // Keep overwritten or deleted media recoverable for a while; uploads can replace objects.
    versioned: true,
    lifecycleRules: mediaLifecycle(uploadsPrefix),
    removalPolicy: RemovalPolicy.RETAIN,
    ...(corsOrigins.length === 0 ? {} : { cors: mediaCors(corsOrigins) }),
  });
  return { bucket: asIBucket(bucket), logBucket: asIBucket(logBucket) };
}
