// The two stacks of the edgepass app: the CloudFront public keys (deployed first; their ids go into the
// configuration) and the main stack around the EdgePass construct, with the outputs operators need.
import { CfnOutput, Stack } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import type { Bundles } from './bundles.ts';
import type { DeploymentConfig, DeploymentPublicKey } from './config/deployment.ts';
import { fingerprint } from './config/key-record.ts';
import type { EdgePassConfig } from './config/load.ts';
import { EdgePass } from './edge-pass.ts';
import type { EdgePassProps } from './edge-pass.ts';
import { authorizerFunctionName } from './monitoring/names.ts';
import { retentionDays } from './monitoring/retention.ts';
import { regionalName } from './names.ts';

export interface EdgePassKeysStackProps extends StackProps {
  /** Public keys to register with CloudFront, by stable name (renaming one replaces it and changes its id). */
  readonly publicKeys: readonly DeploymentPublicKey[];
}

/**
 * CloudFront assigns a public key's id only when it is created, and the edge bundle must carry that id at synth.
 * So the keys live here, are deployed first, and the operator copies the output ids into the configuration.
 */
export class EdgePassKeysStack extends Stack {
  constructor(scope: Construct, id: string, props: EdgePassKeysStackProps) {
    super(scope, id, props);
    for (const key of props.publicKeys) {
      // The logical id stays the name's: a new PEM under an old name is an update CloudFront refuses
      // (CannotChangeImmutablePublicKeyFields), never a silent replacement. Synth refuses it first, from the
      // deployment record (docs/key-rotation.md). The fingerprint in the comment ties the console to the record.
      const publicKey = new cloudfront.PublicKey(this, `PublicKey${key.name}`, {
        // Names are global: the region keeps the same stack in two regions apart. A key made before that keeps
        // CDK's default name (`legacyName`), since CloudFront cannot rename a key.
        ...(key.legacyName === true ? {} : { publicKeyName: regionalName(this, key.name, 128) }),
        encodedKey: key.publicKeyPem,
        comment: `edgepass signing key ${key.name}, SPKI SHA-256 ${fingerprint(key.publicKeyPem).slice(0, 32)}`,
      });
      new CfnOutput(this, `KeyPairId${key.name}`, {
        value: publicKey.publicKeyId,
        description: `CloudFront key pair id of key "${key.name}": use it in signer.keyPairId or trustedKeys`,
      });
    }
  }
}

export interface EdgePassStackProps extends StackProps {
  readonly config: EdgePassConfig;
  readonly bundles: Bundles;
}

const PRICE_CLASSES: Record<DeploymentConfig['priceClass'], cloudfront.PriceClass> = {
  PriceClass_100: cloudfront.PriceClass.PRICE_CLASS_100,
  PriceClass_200: cloudfront.PriceClass.PRICE_CLASS_200,
  PriceClass_All: cloudfront.PriceClass.PRICE_CLASS_ALL,
};

/** The secret the edge function may read, in the Secrets Manager key mode only. */
function signingKeySecret({ privateKey }: DeploymentConfig): Partial<Pick<EdgePassProps, 'signingKeySecret'>> {
  if (privateKey.source !== 'secretsManager') return {};
  const { secretArn, kmsKeyArn } = privateKey;
  return { signingKeySecret: kmsKeyArn === null ? { secretArn } : { secretArn, kmsKeyArn } };
}

export class EdgePassStack extends Stack {
  readonly edgePass: EdgePass;

  constructor(scope: Construct, id: string, props: EdgePassStackProps) {
    super(scope, id, props);
    const { edge, origin, deployment, raw } = props.config;
    this.edgePass = new EdgePass(this, 'EdgePass', {
      protectedPaths: edge.protectedPaths.map((path) => ({ prefix: path.prefix, enforcement: path.enforcement })),
      keyPairIds: [edge.signer.keyPairId, ...edge.trustedKeys.map((key) => key.keyPairId)],
      edgeBundleFile: props.bundles.edge,
      originApiBundleFile: props.bundles.originApi,
      originApiPrefix: origin.originApi.keyPrefix,
      // Only what the origin API parses (public material: issuer, JWKS, upload rules, app origins); never the signer.
      originApiEnvironment: {
        EDGEPASS_CONFIG_JSON: JSON.stringify({
          jwt: raw['jwt'],
          // The link audience, which the API must refuse (a link token never works at /api/*).
          linkTokens: raw['linkTokens'],
          originApi: raw['originApi'],
          appOrigins: origin.appOrigins,
        }),
      },
      // The one list the edge and the origin API answer CORS for; the construct adds it to S3 and CloudFront.
      appOrigins: edge.appOrigins,
      protectedCacheControl: edge.protectedCacheControl,
      // The pages the distribution serves itself may upload to the bucket too (its CORS rules).
      cdnOrigins: edge.domainNames.map((d) => `${edge.viewerProtocol}://${d}`),
      priceClass: PRICE_CLASSES[deployment.priceClass],
      ...(deployment.domain === null ? {} : { domain: deployment.domain }),
      ...(deployment.webAclArn === null ? {} : { webAclArn: deployment.webAclArn }),
      ...(deployment.webAclArn === null ? { rateLimit: deployment.waf ?? false } : {}),
      ...signingKeySecret(deployment),
      ...(deployment.authorizerVersionArn === null ? {} : { authorizerVersionArn: deployment.authorizerVersionArn }),
      // Monitoring (infra/monitoring/): replicas named in every region, and one retention for our log groups.
      authorizerFunctionName: authorizerFunctionName(deployment.stackName),
      originApiLogRetention: retentionDays(deployment.monitoring.logRetentionDays),
    });
    const { distribution, bucket, keyGroup } = this.edgePass;
    new CfnOutput(this, 'DistributionDomainName', { value: distribution.distributionDomainName });
    new CfnOutput(this, 'DistributionId', { value: distribution.distributionId });
    new CfnOutput(this, 'KeyPairId', { value: edge.signer.keyPairId, description: 'the active signing key id' });
    new CfnOutput(this, 'KeyGroupId', { value: keyGroup.keyGroupId });
    new CfnOutput(this, 'BucketName', { value: bucket.bucketName });
    // The function lives in us-east-1 (CDK adds a stack there when this one is elsewhere): output it from there.
    const authorizer = this.edgePass.edgeFunction.lambda;
    new CfnOutput(Stack.of(authorizer), 'AuthorizerFunctionName', {
      value: authorizer.functionName,
      description: 'replica logs: /aws/lambda/us-east-1.<this name> in each region that served requests',
    });
    // The version this deployment published: the distribution switches to it when the main stack is updated
    // (`npx edgepass versions list` shows it, and never prunes it). From the function in us-east-1: the
    // EdgeFunction's own currentVersion is, outside us-east-1, the main stack's cross-region reader.
    if (authorizer instanceof lambda.Function) {
      new CfnOutput(Stack.of(authorizer), 'AuthorizerVersionArn', {
        value: authorizer.currentVersion.functionArn,
        description: 'the numbered version of the authorizer this deployment published (retained on updates)',
      });
    }
  }
}
