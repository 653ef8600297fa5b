// The private media bucket and the log bucket. Trust boundary: nothing is public; CloudFront reads through
// Origin Access Control, the origin API writes through presigned URLs, browsers only from the app origins (CORS).
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

/** Presigned PUT/POST from the browser needs CORS on the bucket itself (S3 User Guide, "Using CORS"). */
function uploadCors(appOrigins: readonly string[]): s3.CorsRule[] {
  return [
    {
      allowedOrigins: [...appOrigins],
      allowedMethods: [s3.HttpMethods.PUT, s3.HttpMethods.POST],
      // content-type is a signed header of our presigned PUT; x-amz-* covers checksum and metadata headers.
      allowedHeaders: ['content-type', 'x-amz-*'],
      exposedHeaders: ['ETag'],
      maxAge: 600,
    },
  ];
}

export function createStorage(scope: Construct, appOrigins: readonly string[]): EdgePassStorage {
  const logBucket = new s3.Bucket(scope, 'LogBucket', {
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    // CloudFront standard logging (legacy) writes with ACLs, so the log bucket must allow them (Developer Guide,
    // "Configure standard logging (legacy)": "Choose an S3 bucket").
    objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
    lifecycleRules: [{ expiration: Duration.days(90) }],
    removalPolicy: RemovalPolicy.RETAIN,
  });
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
    lifecycleRules: [
      { noncurrentVersionExpiration: Duration.days(30), abortIncompleteMultipartUploadAfter: Duration.days(1) },
    ],
    removalPolicy: RemovalPolicy.RETAIN,
    ...(appOrigins.length === 0 ? {} : { cors: uploadCors(appOrigins) }),
  });
  return { bucket: asIBucket(bucket), logBucket: asIBucket(logBucket) };
}
