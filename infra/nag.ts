// cdk-nag (AwsSolutions) suppressions for the EdgePass construct, each with the reason it does not apply or is
// accepted, scoped to the exact resource (and finding detail). Any other finding fails the nag test.
import { Stack } from 'aws-cdk-lib';
import type { CfnElement } from 'aws-cdk-lib';
import { NagSuppressions } from 'cdk-nag';
import type { IConstruct } from 'constructs';

export interface NagTargets {
  readonly edgeFunction: IConstruct;
  readonly originApiRole: IConstruct;
  readonly distribution: IConstruct;
  /** The media bucket: the IAM5 suppression names its logical id. */
  readonly bucket: IConstruct;
  readonly originApiPrefix: string;
  readonly hasWebAcl: boolean;
  readonly hasCustomDomain: boolean;
}

/** How cdk-nag spells the one wildcard resource of the origin API role: the prefix's objects in the media bucket. */
function prefixObjects(bucket: IConstruct, prefix: string): string {
  const cfnBucket = bucket.node.defaultChild as CfnElement;
  return `Resource::<${Stack.of(cfnBucket).getLogicalId(cfnBucket)}.Arn>/${prefix}*`;
}

export function suppressJustifiedFindings(targets: NagTargets): void {
  NagSuppressions.addResourceSuppressions(
    targets.edgeFunction,
    [
      {
        id: 'AwsSolutions-L1',
        reason:
          'Lambda@Edge is pinned to nodejs22.x: the bundle targets node22 and Lambda@Edge adopts runtimes later than ' +
          'regional Lambda; nodejs20.x is deprecated (docs/deploy.md, reference "Lambda@Edge").',
      },
      {
        id: 'AwsSolutions-IAM4',
        reason:
          'AWSLambdaBasicExecutionRole only writes CloudWatch Logs. Lambda@Edge replicas create /aws/lambda/us-east-1.* ' +
          'log groups in whichever region serves a request, so the regions (and group ARNs) are not known in advance.',
        appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
      },
    ],
    true,
  );
  NagSuppressions.addResourceSuppressions(
    targets.originApiRole,
    [
      {
        id: 'AwsSolutions-IAM5',
        reason:
          'The origin API presigns uploads and downloads and deletes any object under its one key prefix; the ' +
          'wildcard is that prefix of the media bucket (s3:GetObject, s3:PutObject, s3:DeleteObject only). ' +
          's3:ListBucket is on the bucket ARN, limited to the prefix by an s3:prefix condition.',
        appliesTo: [prefixObjects(targets.bucket, targets.originApiPrefix)],
      },
    ],
    true,
  );
  const distribution = [
    {
      id: 'AwsSolutions-CFR1',
      reason: 'Access is granted per ticket (signed cookies/URLs), not per country; no geographic licensing applies.',
    },
  ];
  if (!targets.hasWebAcl) {
    distribution.push({
      id: 'AwsSolutions-CFR2',
      reason:
        'The operator opted out of the web ACL (deployment.waf false, the documented opt-out): every protected path ' +
        'is still authorised at the edge and the API verifies tokens, but nothing limits request floods.',
    });
  }
  if (!targets.hasCustomDomain) {
    distribution.push({
      id: 'AwsSolutions-CFR4',
      reason:
        'Without a custom domain CloudFront serves its default *.cloudfront.net certificate, whose minimum TLS ' +
        'version cannot be chosen; configure deployment.domain to enforce TLSv1.2_2021.',
    });
  }
  NagSuppressions.addResourceSuppressions(targets.distribution, distribution);
}
