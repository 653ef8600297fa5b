// Where the monitoring lives. Alarms watch metrics of their own region only, and Lambda@Edge replicas report in the
// region that served each request, so every watched region gets a small stack of its own (topic, the authorizer's
// alarms, its replica log retention); the main stack holds the main region's share, the origin API's alarms and the
// dashboard; CloudFront's 5xx alarm lives in us-east-1, where CloudFront publishes its metrics.
import { CrossStackReferences, ReferenceStrength, Stack } from 'aws-cdk-lib';
import type { App, Environment, StackProps } from 'aws-cdk-lib';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import type { EdgePassConfig } from '../config/load.ts';
import { CLOUDFRONT_METRICS_REGION } from '../config/monitoring.ts';
import type { EdgePassStack } from '../stacks.ts';
import { authorizerAlarms, cloudFrontAlarm, originApiAlarms } from './alarms.ts';
import { monitoringDashboard } from './dashboard.ts';
import { authorizerFunctionName } from './names.ts';
import { replicaLogRetention } from './replica-logs.ts';
import { alarmTopic } from './topic.ts';

/**
 * A region's alarms and replica log retention, outside the main region. What it reads from the main stack (the
 * distribution's id, for the CloudFront alarm in us-east-1) is a weak reference: CloudFormation's Fn::GetStackOutput
 * reads the main stack's output when this stack deploys (CloudFormation Template Reference, "Fn::GetStackOutput":
 * cross-region, no export, no custom resource, nothing locked in the main stack). A replaced distribution reaches the
 * alarm at this stack's next update.
 */
export class EdgePassMonitoringStack extends Stack {
  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);
    CrossStackReferences.of(this).consume(ReferenceStrength.WEAK);
  }
}

interface Watch {
  readonly config: EdgePassConfig;
  readonly main: EdgePassStack;
}

/** The alarms of one region, in `scope` (a stack of that region): its topic, and a line per alarm for the dashboard. */
function watchRegion(scope: Construct, { config, main }: Watch): { topic: sns.ITopic; lines: string[] } {
  const { stackName, monitoring } = config.deployment;
  const region = Stack.of(scope).region;
  const topic = alarmTopic(scope, stackName, monitoring);
  const lines: string[] = [];
  if (monitoring.regions.includes(region)) {
    const fn = authorizerFunctionName(stackName);
    lines.push(...authorizerAlarms(scope, topic, stackName, fn, region));
    replicaLogRetention(scope, fn, monitoring.logRetentionDays);
  }
  if (region === CLOUDFRONT_METRICS_REGION) {
    lines.push(cloudFrontAlarm(scope, topic, stackName, main.edgePass.distribution.distributionId));
  }
  return { topic, lines };
}

/**
 * Adds the monitoring to the app: the main stack's share, and one stack per other region that needs alarms (the
 * watched regions, and us-east-1 for CloudFront). Returns the regional stacks.
 */
export function addMonitoring(app: App, main: EdgePassStack, config: EdgePassConfig, env: Environment) {
  const { stackName, monitoring, region: mainRegion } = config.deployment;
  const watch = { config, main };
  const others = [...new Set([...monitoring.regions, CLOUDFRONT_METRICS_REGION])].filter((r) => r !== mainRegion);
  const stacks = others.map((region) => {
    const stack = new EdgePassMonitoringStack(app, `${stackName}-monitoring-${region}`, {
      env: { ...env, region },
      description: `edgepass: alarms and authorizer log retention in ${region}`,
    });
    return { stack, lines: watchRegion(stack, watch).lines };
  });
  const home = watchRegion(main, watch);
  const { distribution, originApi } = main.edgePass;
  const apiLines = originApiAlarms(main, home.topic, stackName, originApi.functionName);
  monitoringDashboard(main, {
    stackName,
    authorizer: authorizerFunctionName(stackName),
    regions: monitoring.regions,
    distributionId: distribution.distributionId,
    originApi: originApi.functionName,
    alarmSummary: [...home.lines, ...apiLines, ...stacks.flatMap((s) => s.lines)],
  });
  return stacks.map((s) => s.stack);
}
