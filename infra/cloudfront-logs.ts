// Where CloudFront writes its standard logs. It cannot deliver them to a bucket in an opt-in region: creating the
// distribution fails with HTTP 400, though synth accepts it (CloudFront Developer Guide, "Configure standard logging
// (legacy)": buckets in af-south-1, ap-east-1, eu-south-1, me-south-1 and the other opt-in regions are refused). In
// such a region the logs go to a bucket in us-east-1, beside the authorizer; S3's own access logs stay in the region.
import { Stack, Token } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import { readFromUsEast1 } from './cross-region.ts';
import { createLogBucket } from './storage.ts';

/**
 * The regions enabled by default, those launched before 20 March 2019 (AWS Account Management Reference Guide,
 * "Enable or disable AWS Regions in your account"); every later region is opt-in. Listing the old ones rather than
 * the opt-in ones means a region launched tomorrow is treated as opt-in: its logs go to us-east-1, which always works.
 */
const DEFAULT_REGIONS = new Set([
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'sa-east-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-north-1',
  'ap-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-southeast-1',
  'ap-southeast-2',
]);

/** Whether CloudFront can deliver standard logs to a bucket in `region`. */
export function cloudFrontLogsCanStayIn(region: string): boolean {
  return DEFAULT_REGIONS.has(region);
}

/**
 * The bucket the distribution in `scope` logs to: `regional` (the stack's own log bucket) where CloudFront can
 * deliver, otherwise a log bucket made in `usEast1` (the authorizer's stack, CDK's `-edge` stack there).
 */
export function cloudFrontLogBucket(scope: Construct, regional: s3.IBucket, usEast1: Construct): s3.IBucket {
  const region = Stack.of(scope).region;
  if (Token.isUnresolved(region) || cloudFrontLogsCanStayIn(region)) return regional;
  const bucket = createLogBucket(usEast1, 'CloudFrontLogBucket');
  NagSuppressions.addResourceSuppressions(bucket, [
    {
      id: 'AwsSolutions-S1',
      reason:
        'This bucket only receives CloudFront standard logs (the app region is opt-in, where CloudFront cannot ' +
        'deliver them); logging access to a log bucket would only log the log deliveries.',
    },
  ]);
  const bucketName = readFromUsEast1(scope, usEast1, 'CloudFrontLogBucketName', bucket.bucketName, 'log-bucket');
  return s3.Bucket.fromBucketAttributes(scope, 'CloudFrontLogBucket', { bucketName, region: 'us-east-1' });
}
