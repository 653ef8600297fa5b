// The SNS topic every alarm of one region notifies: an alarm's actions name topics in its own region only, so each
// region with alarms has its topic, or uses the operator's (deployment.monitoring.snsTopicArns) in that region.
import { ArnFormat, CfnOutput, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import type { MonitoringConfig } from '../config/monitoring.ts';

/** The operator's topic in `region`, if one was given. */
function operatorTopic(monitoring: MonitoringConfig, region: string): string | undefined {
  return monitoring.snsTopicArns.find((arn) => arn.split(':')[3] === region);
}

/**
 * The alarm topic of the scope's region. Ours is named `<stackName>-alarms`, refuses publishing without TLS, and
 * lets CloudWatch publish only for this deployment's alarms in this account (an explicit topic policy replaces
 * SNS's default one, so the CloudWatch grant is spelled out: re:Post knowledge center
 * "cloudwatch-receive-sns-for-alarm-trigger"). `alarmEmail`, if set, is subscribed (one confirmation per region).
 */
export function alarmTopic(scope: Construct, stackName: string, monitoring: MonitoringConfig): sns.ITopic {
  const stack = Stack.of(scope);
  const given = operatorTopic(monitoring, stack.region);
  const topic =
    given === undefined ? ownTopic(scope, stackName, monitoring) : sns.Topic.fromTopicArn(scope, 'AlarmTopic', given);
  new CfnOutput(scope, 'AlarmTopicArn', {
    value: topic.topicArn,
    description: `the topic this region's edgepass alarms notify: subscribe to it`,
  });
  return topic;
}

function ownTopic(scope: Construct, stackName: string, monitoring: MonitoringConfig): sns.Topic {
  const stack = Stack.of(scope);
  const topic = new sns.Topic(scope, 'AlarmTopic', {
    topicName: `${stackName}-alarms`,
    displayName: `edgepass ${stackName} alarms`,
    enforceSSL: true,
  });
  topic.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'CloudWatchAlarmsOfThisDeployment',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: {
          'aws:SourceArn': stack.formatArn({
            service: 'cloudwatch',
            resource: 'alarm',
            resourceName: `${stackName}-*`,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        },
      },
    }),
  );
  if (monitoring.alarmEmail !== null) topic.addSubscription(new subscriptions.EmailSubscription(monitoring.alarmEmail));
  NagSuppressions.addResourceSuppressions(topic, [
    {
      id: 'AwsSolutions-SNS2',
      reason:
        'Alarm notifications carry alarm names, states and metric values, no secret. CloudWatch can publish to an ' +
        'encrypted topic only with a customer managed key whose policy admits it (SNS Developer Guide, "Enable ' +
        'compatibility between event sources from AWS services and encrypted topics"): one more key per region.',
    },
  ]);
  return topic;
}
