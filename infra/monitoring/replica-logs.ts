// Retention for the authorizer's replica log group in one region. Lambda creates `/aws/lambda/us-east-1.<name>` on
// the first request a region serves, with no expiry, so CloudFormation cannot simply own it: a plain
// AWS::Logs::LogGroup fails to create when Lambda made the group first (a region added to the list later, or traffic
// before the deployment). CDK's LogRetention custom resource creates the group if missing, else sets its retention.
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import { replicaLogGroupName } from './names.ts';
import { retentionDays } from './retention.ts';

/**
 * The group is retained when the stack goes: its logs then age out under the retention, and a later deployment
 * finds the group again (LogRetention tolerates an existing group, a plain log group resource would not).
 */
export function replicaLogRetention(scope: Construct, functionName: string, days: number): logs.LogRetention {
  const retention = new logs.LogRetention(scope, 'AuthorizerReplicaLogRetention', {
    logGroupName: replicaLogGroupName(functionName),
    retention: retentionDays(days),
    removalPolicy: RemovalPolicy.RETAIN,
  });
  suppressProviderFindings(Stack.of(scope));
  return retention;
}

/** LogRetention's handler is one function per stack, a direct child whose id starts with `LogRetention`. */
function suppressProviderFindings(stack: Stack): void {
  const provider = stack.node.children.find((child) => child.node.id.startsWith('LogRetention'));
  if (provider === undefined) throw new Error('the LogRetention provider is not where CDK puts it');
  NagSuppressions.addResourceSuppressions(
    provider,
    [
      {
        id: 'AwsSolutions-IAM4',
        reason:
          "CDK's LogRetention handler logs through AWSLambdaBasicExecutionRole, which also grants " +
          'logs:CreateLogGroup: it creates the replica log group when Lambda has not yet.',
        appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
      },
      {
        id: 'AwsSolutions-IAM5',
        reason:
          "CDK's LogRetention handler sets retention with logs:PutRetentionPolicy and logs:DeleteRetentionPolicy on " +
          '* (aws-cdk-lib aws-logs/lib/log-retention); it only acts on the log group names its resources give it.',
        appliesTo: ['Resource::*'],
      },
    ],
    true,
  );
}
