// The alarms, each in the region its metric is published in (an alarm watches metrics of its own region only):
// the authorizer's replicas per region, CloudFront's 5xx rate in us-east-1, the origin API in the main region.
// Every alarm notifies its region's topic on ALARM and again on OK; no data (no traffic) is not a breach.
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { alarmName, replicaName } from './names.ts';

const FIVE_MINUTES = Duration.minutes(5);

interface AlarmSpec {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly metric: cloudwatch.IMetric;
  readonly threshold: number;
  /** Breaching datapoints out of `evaluationPeriods` (M out of N). @default 1 of 1 */
  readonly datapoints?: { readonly toAlarm: number; readonly of: number };
}

/** Creates the alarm; returns one line saying what it watches (the dashboard lists them). */
function alarm(scope: Construct, topic: sns.ITopic, spec: AlarmSpec): string {
  const created = new cloudwatch.Alarm(scope, spec.id, {
    alarmName: spec.name,
    alarmDescription: spec.description,
    metric: spec.metric,
    threshold: spec.threshold,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: spec.datapoints?.of ?? 1,
    datapointsToAlarm: spec.datapoints?.toAlarm ?? 1,
    // Lambda and CloudFront publish no datapoint for a period without requests (sparse metrics).
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  created.addAlarmAction(new actions.SnsAction(topic));
  created.addOkAction(new actions.SnsAction(topic));
  return `${spec.name}: ${spec.description}`;
}

/** An AWS/Lambda metric of one function, summed over five minutes, in the stack's own region. */
function lambdaSum(functionName: string, metricName: string): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'AWS/Lambda',
    metricName,
    dimensionsMap: { FunctionName: functionName },
    statistic: cloudwatch.Stats.SUM,
    period: FIVE_MINUTES,
  });
}

/**
 * Errors and throttles of the authorizer's replica in the scope's region (`FunctionName` = `us-east-1.<name>`).
 * The handler answers every event itself (fail closed), so any Lambda error is a crash, a timeout or a broken
 * bundle; a throttle means viewers got CloudFront's 5xx instead of a decision.
 */
export function authorizerAlarms(scope: Construct, topic: sns.ITopic, stackName: string, fn: string, region: string) {
  const replica = replicaName(fn);
  return [
    alarm(scope, topic, {
      id: 'AuthorizerErrors',
      name: alarmName(stackName, `authorizer-errors-${region}`),
      description: `edgepass authorizer (${replica}) failed in ${region}: Lambda errors >= 1 in 5 minutes`,
      metric: lambdaSum(replica, 'Errors'),
      threshold: 1,
    }),
    alarm(scope, topic, {
      id: 'AuthorizerThrottles',
      name: alarmName(stackName, `authorizer-throttles-${region}`),
      description: `edgepass authorizer (${replica}) throttled in ${region}: throttles >= 1 in 5 minutes`,
      metric: lambdaSum(replica, 'Throttles'),
      threshold: 1,
    }),
  ];
}

/**
 * The share of viewer requests answered with a 5xx, all edge locations together (AWS/CloudFront, dimensions
 * DistributionId and Region=Global, published in us-east-1 only: CloudFront Developer Guide, "Types of metrics for
 * CloudFront"). Two of three five-minute periods at 5 % or more.
 */
export function cloudFrontAlarm(scope: Construct, topic: sns.ITopic, stackName: string, distributionId: string) {
  return alarm(scope, topic, {
    id: 'CloudFront5xxRate',
    name: alarmName(stackName, 'cloudfront-5xx-rate'),
    description:
      'edgepass distribution (metrics in us-east-1): 5xx answers >= 5 % of requests in 2 of 3 periods of 5 minutes',
    metric: new cloudwatch.Metric({
      namespace: 'AWS/CloudFront',
      metricName: '5xxErrorRate',
      dimensionsMap: { DistributionId: distributionId, Region: 'Global' },
      statistic: cloudwatch.Stats.AVERAGE,
      period: FIVE_MINUTES,
    }),
    threshold: 5,
    datapoints: { toAlarm: 2, of: 3 },
  });
}

/**
 * The origin API (a regional function behind its function URL): Lambda errors (a crash or timeout: the handler
 * answers its own failures with 500) and 5xx answers of the URL, which count those too (Lambda Developer Guide,
 * "Monitoring Lambda function URLs": Url5xxCount).
 */
export function originApiAlarms(scope: Construct, topic: sns.ITopic, stackName: string, functionName: string) {
  return [
    alarm(scope, topic, {
      id: 'OriginApiErrors',
      name: alarmName(stackName, 'origin-api-errors'),
      description: 'edgepass origin API (app region): Lambda errors >= 1 in 5 minutes',
      metric: lambdaSum(functionName, 'Errors'),
      threshold: 1,
    }),
    alarm(scope, topic, {
      id: 'OriginApi5xx',
      name: alarmName(stackName, 'origin-api-5xx'),
      description: 'edgepass origin API (app region): 5xx answers of its function URL >= 5 in 5 minutes',
      metric: lambdaSum(functionName, 'Url5xxCount'),
      threshold: 5,
    }),
  ];
}
