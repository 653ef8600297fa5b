// The two Lambda functions: the viewer-request authorizer (Lambda@Edge, us-east-1, numbered version) and the
// origin API behind a function URL that only CloudFront can call. Least privilege: one S3 prefix for the API.
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { basename, dirname, extname } from 'node:path';

function handlerOf(bundleFile: string): string {
  return `${basename(bundleFile, extname(bundleFile))}.handler`;
}

/**
 * Lambda@Edge: no environment variables, 128 MB and 5 s at most for viewer triggers, created in us-east-1 and
 * referenced by a numbered version (Developer Guide, "Restrictions on Lambda@Edge", "Quotas"). nodejs22.x: the
 * reference notes nodejs20.x is deprecated. CDK publishes a new version whenever the code (bundle) changes.
 *
 * Versions are retained (DeletionPolicy and UpdateReplacePolicy Retain). CDK's default leaves the
 * `AWS::Lambda::Version` deletable, so on every code change CloudFormation tries to delete the previous version while
 * CloudFront still runs its replicas; Lambda refuses ("unable to delete … because it is a replicated function"),
 * the delete fails and the version is orphaned. A replica goes only hours after the last association is removed
 * (CloudFront Developer Guide, "Delete Lambda@Edge functions and replicas"). Retained versions are also what a
 * rollback can pin; `npx edgepass versions prune` deletes the unreferenced ones once their replicas are gone.
 */
export function createEdgeFunction(
  scope: Construct,
  bundleFile: string,
  secret?: { readonly secretArn: string; readonly kmsKeyArn?: string },
  functionName?: string,
): cloudfront.experimental.EdgeFunction {
  const fn = new cloudfront.experimental.EdgeFunction(scope, 'Authorizer', {
    ...(functionName === undefined ? {} : { functionName }),
    // A readable name for the us-east-1 companion stack (deleted separately, hours after the distribution).
    stackId: `${Stack.of(scope).stackName}-edge`,
    description: 'edgepass viewer-request authorizer (config baked in at synth)',
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: handlerOf(bundleFile),
    code: lambda.Code.fromAsset(dirname(bundleFile)),
    memorySize: 128,
    timeout: Duration.seconds(5),
    currentVersionOptions: { removalPolicy: RemovalPolicy.RETAIN },
  });
  if (secret !== undefined) grantSecret(fn, secret.secretArn, secret.kmsKeyArn);
  return fn;
}

/**
 * Least privilege for the Secrets Manager key mode: GetSecretValue on exactly the one secret ARN, and kms:Decrypt
 * only for a named customer managed key, only through Secrets Manager in the secret's region (Secrets Manager User
 * Guide, "Authentication and access control", "Secret encryption and decryption": kms:ViaService).
 */
function grantSecret(fn: cloudfront.experimental.EdgeFunction, secretArn: string, kmsKeyArn: string | undefined) {
  fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secretArn] }));
  if (kmsKeyArn === undefined) return;
  const region = secretArn.split(':')[3] ?? '';
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      actions: ['kms:Decrypt'],
      resources: [kmsKeyArn],
      conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${region}.amazonaws.com` } },
    }),
  );
}

export interface OriginApiOptions {
  readonly bundleFile: string;
  readonly bucket: s3.IBucket;
  readonly prefix: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly logRetention: logs.RetentionDays;
}

export interface OriginApi {
  readonly fn: lambda.Function;
  readonly url: lambda.FunctionUrl;
}

/**
 * Least privilege that works (S3 API Reference, "ListObjects", "DeleteObject", "HeadObject" Permissions; S3 User
 * Guide, "Policy actions for Amazon S3"): listing is a bucket action, so s3:ListBucket goes on the bucket ARN, limited
 * by `s3:prefix` to the API's prefix; objects are read, written and deleted only under it. Presigned URLs act
 * with these permissions, so none reaches outside the prefix. s3:ListBucket also turns a HeadObject/GetObject of a
 * missing key from 403 into 404. Assumed, not verified: S3 evaluates that implicit check so that the `s3:prefix`
 * condition is met for keys under the prefix; if not, the API sees 403 for its own missing keys (as without it).
 */
function grantPrefix(fn: lambda.Function, bucket: s3.IBucket, prefix: string): void {
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      actions: ['s3:ListBucket'],
      resources: [bucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': [`${prefix}*`] } },
    }),
  );
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      actions: ['s3:DeleteObject', 's3:PutObject', 's3:GetObject'],
      resources: [bucket.arnForObjects(`${prefix}*`)],
    }),
  );
}

export function createOriginApi(scope: Construct, options: OriginApiOptions): OriginApi {
  const logGroup = new logs.LogGroup(scope, 'OriginApiLogs', {
    retention: options.logRetention,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  // An own role instead of AWSLambdaBasicExecutionRole: logs only to this function's log group.
  const role = new iam.Role(scope, 'OriginApiRole', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: 'edgepass origin API: its log group and one S3 prefix',
  });
  role.addToPolicy(
    new iam.PolicyStatement({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [logGroup.logGroupArn],
    }),
  );
  const fn = new lambda.Function(scope, 'OriginApi', {
    description: 'edgepass origin API: S3 presigned uploads and single files',
    // A regular (regional) function: the latest Node.js runtime; only Lambda@Edge is pinned to nodejs22.x.
    runtime: lambda.Runtime.NODEJS_24_X,
    role,
    architecture: lambda.Architecture.ARM_64,
    handler: handlerOf(options.bundleFile),
    code: lambda.Code.fromAsset(dirname(options.bundleFile)),
    memorySize: 256,
    timeout: Duration.seconds(10),
    logGroup,
    environment: {
      ...options.environment,
      EDGEPASS_BUCKET: options.bucket.bucketName,
    },
  });
  grantPrefix(fn, options.bucket, options.prefix);
  // AWS_IAM: only signed callers, i.e. CloudFront through its origin access control (Developer Guide, "Restrict
  // access to an AWS Lambda function URL origin").
  const url = fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM });
  return { fn, url };
}
