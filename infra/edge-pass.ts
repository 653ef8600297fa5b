// EdgePass: the reusable construct that serves private media through CloudFront (bucket, key group, edge
// authorizer, origin API, distribution). Trust boundary: the viewer; every path is HTTPS and checked at the edge.
import { Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ConfigError } from '../common/errors.ts';
import { createApiAuthFunction } from './api-auth-function.ts';
import { bucketOrigins, grantServedPrefixes, servedPrefixes } from './bucket-access.ts';
import { buildBehaviors } from './behaviors.ts';
import { cloudFrontLogBucket } from './cloudfront-logs.ts';
import { createEdgeFunction, createOriginApi } from './functions.ts';
import { regionalName } from './names.ts';
import { createPolicies } from './policies.ts';
import type { EdgePassPolicies } from './policies.ts';
import { checkProps } from './props.ts';
import type { EdgePassProps } from './props.ts';
import { suppressJustifiedFindings } from './nag.ts';
import { createStorage } from './storage.ts';
import { DEFAULT_RATE_LIMIT, rateLimitedWebAclArn } from './waf.ts';

export type { EdgePassProps } from './props.ts';
/** @public construct API: the shape of one protected path in EdgePassProps. */
export type { EdgePassProtectedPath } from './props.ts';
/** @public construct API: the per-IP rate limit of the web ACL the construct creates (EdgePassProps.rateLimit). */
export type { EdgePassRateLimit } from './waf.ts';

export class EdgePass extends Construct {
  readonly bucket: s3.IBucket;
  readonly logBucket: s3.IBucket;
  readonly keyGroup: cloudfront.KeyGroup;
  readonly edgeFunction: cloudfront.experimental.EdgeFunction;
  readonly originApi: lambda.Function;
  readonly distribution: cloudfront.Distribution;

  constructor(scope: Construct, id: string, props: EdgePassProps) {
    super(scope, id);
    const problems = checkProps(props);
    if (problems.length > 0) {
      throw new ConfigError(problems, 'EdgePass props');
    }
    const appOrigins = props.appOrigins ?? [];
    // One list for the bucket's CORS: apps and the distribution's own pages both use presigned URLs.
    const corsOrigins = [...new Set([...appOrigins, ...(props.cdnOrigins ?? [])])];
    ({ bucket: this.bucket, logBucket: this.logBucket } = createStorage(this, corsOrigins, props.originApiPrefix));
    // The key pair ids are literals from the configuration: the public keys live in their own stack, deployed
    // first, so the ids the edge bundle signs with exist before the bundle is built (docs/deploy.md).
    this.keyGroup = new cloudfront.KeyGroup(this, 'KeyGroup', {
      keyGroupName: regionalName(this, 'KeyGroup', 128),
      comment: 'edgepass signing keys (active and still accepted)',
      items: props.keyPairIds.map((keyId) => cloudfront.PublicKey.fromPublicKeyId(this, `PublicKey${keyId}`, keyId)),
    });
    this.edgeFunction = createEdgeFunction(
      this,
      props.edgeBundleFile,
      props.signingKeySecret,
      props.authorizerFunctionName,
    );
    const api = createOriginApi(this, {
      bundleFile: props.originApiBundleFile,
      bucket: this.bucket,
      prefix: props.originApiPrefix,
      environment: props.originApiEnvironment ?? {},
      logRetention: props.originApiLogRetention ?? logs.RetentionDays.ONE_MONTH,
    });
    this.originApi = api.fn;
    this.distribution = this.createDistribution(
      props,
      createPolicies(this, appOrigins, props.protectedCacheControl),
      api.url,
    );
    suppressJustifiedFindings({
      edgeFunction: this.edgeFunction.lambda,
      originApiRole: api.fn.role ?? api.fn,
      distribution: this.distribution,
      bucket: this.bucket,
      originApiPrefix: props.originApiPrefix,
      hasWebAcl: props.webAclArn !== undefined || props.rateLimit !== false,
      hasCustomDomain: props.domain !== undefined,
    });
  }

  private createDistribution(props: EdgePassProps, policies: EdgePassPolicies, apiUrl: lambda.IFunctionUrl) {
    // One OAC shared by the three S3 origins (reference: "CDK offline": each call otherwise makes another OAC).
    const oac = new cloudfront.S3OriginAccessControl(this, 'MediaOriginAccessControl', {
      originAccessControlName: regionalName(this, 'MediaOac', 64),
      signing: cloudfront.Signing.SIGV4_ALWAYS,
    });
    const apiOac = new cloudfront.FunctionUrlOriginAccessControl(this, 'ApiOriginAccessControl', {
      originAccessControlName: regionalName(this, 'ApiOac', 64),
      signing: cloudfront.Signing.SIGV4_ALWAYS,
    });
    const publicOriginPath = props.publicOriginPath ?? '/public';
    const s3 = bucketOrigins(this.bucket, oac, publicOriginPath);
    const { defaultBehavior, additionalBehaviors } = buildBehaviors({
      protectedPaths: props.protectedPaths,
      bucketOrigin: s3.media,
      publicOrigin: s3.public,
      closedOrigin: s3.closed,
      apiOrigin: origins.FunctionUrlOrigin.withOriginAccessControl(apiUrl, { originAccessControl: apiOac }),
      policies,
      authorizer: this.authorizerVersion(props),
      apiAuthFunction: createApiAuthFunction(this),
      keyGroup: this.keyGroup,
    });
    const distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'edgepass private media',
      defaultBehavior,
      additionalBehaviors,
      // `/` is the public folder's index.html: without a default root object CloudFront asks S3 for the key
      // `public/`, which answers 403 (Developer Guide, "Specify a default root object"). Found by the local stack.
      defaultRootObject: 'index.html',
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      enableIpv6: true,
      enableLogging: true,
      logBucket: cloudFrontLogBucket(this, this.logBucket, this.usEast1()),
      logFilePrefix: 'cloudfront/',
      ...(props.priceClass === undefined ? {} : { priceClass: props.priceClass }),
      ...this.webAcl(props),
      ...(props.domain === undefined ? {} : this.customDomain(props.domain)),
    });
    const prefixes = servedPrefixes(
      publicOriginPath,
      props.protectedPaths.map((path) => path.prefix),
    );
    grantServedPrefixes(this.bucket, distribution, prefixes);
    return distribution;
  }

  /** Where us-east-1 resources go: beside the authorizer (the main stack in us-east-1, CDK's `-edge` stack else). */
  private usEast1(): Construct {
    const stack = Stack.of(this.edgeFunction.lambda);
    return stack === Stack.of(this) ? this : stack;
  }

  /** The operator's web ACL, or the rate-limiting one made in us-east-1 (the default), or none (`rateLimit: false`). */
  private webAcl(props: EdgePassProps): { webAclId?: string } {
    if (props.webAclArn !== undefined) return { webAclId: props.webAclArn };
    if (props.rateLimit === false) return {};
    return { webAclId: rateLimitedWebAclArn(this, this.usEast1(), props.rateLimit ?? DEFAULT_RATE_LIMIT) };
  }

  /** The version the behaviours run: the one this synth publishes, or a pinned earlier one (rollback). */
  private authorizerVersion(props: EdgePassProps): lambda.IVersion {
    if (props.authorizerVersionArn === undefined) return this.edgeFunction.currentVersion;
    return lambda.Version.fromVersionArn(this, 'PinnedAuthorizerVersion', props.authorizerVersionArn);
  }

  private customDomain(domain: { readonly name: string; readonly certificateArn: string }) {
    return {
      domainNames: [domain.name],
      certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', domain.certificateArn),
      // Only with a custom certificate can the minimum TLS version be chosen (Developer Guide, "Supported
      // protocols and ciphers between viewers and CloudFront").
      minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
      sslSupportMethod: cloudfront.SSLMethod.SNI,
    };
  }
}
