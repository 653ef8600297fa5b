// The AWS WAF web ACL edgepass puts in front of its distribution by default: one rate-based rule per viewer IP.
// Every edge-enforced request invokes Lambda@Edge (1,000 concurrent executions per region by default) and WAF runs
// before viewer-request functions (CloudFront Developer Guide, "How Lambda@Edge works with requests and responses"),
// so a flood is answered by WAF instead of throttling every viewer. Scope CLOUDFRONT: the ACL lives in us-east-1.
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import { readFromUsEast1 } from './cross-region.ts';
import { regionalName } from './names.ts';

export interface EdgePassRateLimit {
  /** Requests one IP address may make within `windowSeconds` (10 to 2,000,000,000); more are answered 429. */
  readonly requestsPerIp: number;
  /** The window WAF counts over: 60, 120, 300 or 600 seconds. */
  readonly windowSeconds: number;
}

/** The default: 2,000 requests per IP in 5 minutes (about 6.7 a second, sustained). */
export const DEFAULT_RATE_LIMIT: EdgePassRateLimit = { requestsPerIp: 2000, windowSeconds: 300 };
// AWS WAF rate-based statements: a limit of 10 to 2,000,000,000 requests, evaluated over 60, 120, 300 or 600 s
// (CloudFormation Template Reference, AWS::WAFv2::WebACL RateBasedStatement; AWS's validator refuses others).
export const RATE_LIMIT_RANGE = { min: 10, max: 2_000_000_000 };
export const WINDOW_SECONDS: readonly number[] = [60, 120, 300, 600];

const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
  cloudWatchMetricsEnabled: true,
  sampledRequestsEnabled: true,
  metricName,
});

/**
 * Creates the web ACL in `usEast1` (the authorizer's stack: the main stack in us-east-1, CDK's `-edge` stack
 * elsewhere) and returns its ARN as the distribution in `scope` can use it. Opting out later: the `-edge` stack is
 * deployed before the distribution drops the ACL, and WAF refuses to delete an ACL in use, so CloudFormation logs a
 * DELETE_FAILED during the update's cleanup and leaves the ACL, for the operator to delete (docs/deploy.md, "AWS WAF").
 */
export function rateLimitedWebAclArn(scope: Construct, usEast1: Construct, limit: EdgePassRateLimit): string {
  const name = regionalName(scope, 'RateLimit', 128);
  const acl = new wafv2.CfnWebACL(usEast1, 'RateLimitWebAcl', {
    name,
    // WAF descriptions allow letters, digits, spaces and =:#@/-,. only (no parentheses: AWS's validator).
    description: 'edgepass: per-IP rate limit in front of the distribution and its Lambda@Edge authorizer',
    scope: 'CLOUDFRONT',
    defaultAction: { allow: {} },
    visibilityConfig: visibility('edgepass-web-acl'),
    rules: [
      {
        name: 'rate-limit-per-ip',
        priority: 0,
        // 429 Too Many Requests (RFC 6585) rather than WAF's default 403, so clients can tell a limit from a denial.
        action: { block: { customResponse: { responseCode: 429 } } },
        statement: {
          rateBasedStatement: {
            aggregateKeyType: 'IP',
            limit: limit.requestsPerIp,
            evaluationWindowSec: limit.windowSeconds,
          },
        },
        visibilityConfig: visibility('edgepass-rate-limit-per-ip'),
      },
    ],
  });
  return readFromUsEast1(scope, usEast1, 'WebAclArn', acl.attrArn, name);
}
