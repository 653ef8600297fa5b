// One CloudWatch dashboard in the main region with cross-region widgets (a graph's metrics each name their region):
// the authorizer's replicas per region, the edge's decision metrics (edge/metrics.ts), CloudFront, the origin API.
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import { EDGE_METRICS } from '../../edge/metrics.ts';
import { CLOUDFRONT_METRICS_REGION } from '../config/monitoring.ts';
import { replicaName } from './names.ts';

export interface DashboardProps {
  readonly stackName: string;
  /** The authorizer's function name; its replicas run as `us-east-1.<name>`. */
  readonly authorizer: string;
  /** The regions watched for the authorizer (deployment.monitoring.regions). */
  readonly regions: readonly string[];
  readonly distributionId: string;
  readonly originApi: string;
  /** Lines describing the alarms, for the dashboard's header. */
  readonly alarmSummary: readonly string[];
}

const PERIOD = Duration.minutes(5);
const WIDTH = 8;
const HEIGHT = 6;

function graph(title: string, left: cloudwatch.IMetric[], right: cloudwatch.IMetric[] = []): cloudwatch.GraphWidget {
  return new cloudwatch.GraphWidget({ title, left, right, width: WIDTH, height: HEIGHT, period: PERIOD });
}

/** One AWS/Lambda metric of the authorizer's replica in each region, labelled by region. */
function perRegion(props: DashboardProps, metricName: string, statistic: string, label = ''): cloudwatch.Metric[] {
  return props.regions.map(
    (region) =>
      new cloudwatch.Metric({
        namespace: 'AWS/Lambda',
        metricName,
        dimensionsMap: { FunctionName: replicaName(props.authorizer) },
        statistic,
        period: PERIOD,
        region,
        label: `${region}${label}`,
      }),
  );
}

/**
 * A CloudWatch search over the edge's EMF metrics in each region (CloudWatch User Guide, "CloudWatch search
 * expression syntax"): one line per series found there, named by the region and the series' dimension values.
 */
function search(props: DashboardProps, query: string, statistic: string): cloudwatch.SearchExpression[] {
  return props.regions.map(
    (region) =>
      new cloudwatch.SearchExpression({
        expression: `SEARCH('${query}', '${statistic}', ${String(PERIOD.toSeconds())})`,
        searchRegion: region,
        label: region,
        period: PERIOD,
      }),
  );
}

function authorizerRow(props: DashboardProps): cloudwatch.IWidget[] {
  return [
    graph('Authorizer invocations by region', perRegion(props, 'Invocations', cloudwatch.Stats.SUM)),
    graph(
      'Authorizer errors and throttles by region',
      perRegion(props, 'Errors', cloudwatch.Stats.SUM, ' errors'),
      perRegion(props, 'Throttles', cloudwatch.Stats.SUM, ' throttles'),
    ),
    graph('Authorizer duration p99 by region (ms)', perRegion(props, 'Duration', cloudwatch.Stats.p(99))),
  ];
}

function decisionsRow(props: DashboardProps): cloudwatch.IWidget[] {
  const { namespace, decisions, elapsed, outcome, reason } = EDGE_METRICS;
  const byOutcome = `{${namespace},${outcome}} MetricName="${decisions}"`;
  const byReason = `{${namespace},${outcome},${reason}} MetricName="${decisions}"`;
  return [
    graph('Decisions by outcome', search(props, byOutcome, 'Sum')),
    graph('Denials by reason', search(props, `${byReason} ${outcome}="deny"`, 'Sum')),
    graph(
      'Mints, pass-throughs and answers by reason; run time p99 (ms)',
      search(props, `${byReason} NOT ${outcome}="deny"`, 'Sum'),
      search(props, `{${namespace},${outcome}} MetricName="${elapsed}"`, 'p99'),
    ),
  ];
}

function cloudFront(props: DashboardProps, metricName: string, statistic: string): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'AWS/CloudFront',
    metricName,
    dimensionsMap: { DistributionId: props.distributionId, Region: 'Global' },
    statistic,
    period: PERIOD,
    region: CLOUDFRONT_METRICS_REGION,
  });
}

function originApi(props: DashboardProps, metricName: string, statistic: string): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'AWS/Lambda',
    metricName,
    dimensionsMap: { FunctionName: props.originApi },
    statistic,
    period: PERIOD,
  });
}

function servicesRow(props: DashboardProps): cloudwatch.IWidget[] {
  const sum = cloudwatch.Stats.SUM;
  return [
    graph('CloudFront requests', [cloudFront(props, 'Requests', sum)]),
    graph('CloudFront error rates (%)', [
      cloudFront(props, '4xxErrorRate', cloudwatch.Stats.AVERAGE),
      cloudFront(props, '5xxErrorRate', cloudwatch.Stats.AVERAGE),
    ]),
    graph(
      'Origin API',
      ['UrlRequestCount', 'Url4xxCount', 'Url5xxCount', 'Errors'].map((name) => originApi(props, name, sum)),
      [originApi(props, 'Duration', cloudwatch.Stats.p(99))],
    ),
  ];
}

export function monitoringDashboard(scope: Construct, props: DashboardProps): cloudwatch.Dashboard {
  const header = new cloudwatch.TextWidget({
    width: 24,
    height: 4,
    markdown: [
      `# edgepass ${props.stackName}`,
      `Authorizer \`${props.authorizer}\`, replicas watched in ${props.regions.join(', ') || 'no region'}. ` +
        'Decision metrics: namespace EdgePass in each region (docs/deploy.md, "Monitoring").',
      ...props.alarmSummary.map((line) => `* ${line}`),
    ].join('\n'),
  });
  return new cloudwatch.Dashboard(scope, 'Dashboard', {
    dashboardName: props.stackName,
    defaultInterval: Duration.hours(3),
    // Without a watched region, no empty graphs of the authorizer and its decisions.
    widgets:
      props.regions.length === 0
        ? [[header], servicesRow(props)]
        : [[header], authorizerRow(props), decisionsRow(props), servicesRow(props)],
  });
}
