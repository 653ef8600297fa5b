// Monitoring on the synthesised app (infra/monitoring/): the authorizer's alarms and replica log retention in every
// watched region, CloudFront's 5xx alarm in us-east-1, the origin API's alarms and the dashboard in the main region,
// a topic per region. The example (eu-west-1, every price class) is synthesised once with its real bundles; variants
// use placeholder bundles.
import { join } from 'node:path';
import { App, Aspects, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app.ts';
import type { EdgePassApp } from '../../infra/app.ts';
import { resolveConfig } from '../../infra/config/load.ts';
import { defaultMonitoringRegions } from '../../infra/config/monitoring.ts';
import { deploymentOf, fixture, nagFindings, placeholderBundle, removeFixtures, synthesise } from './helpers.ts';
import type { Synthesised } from './helpers.ts';

/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return -- CloudFormation
   templates are untyped JSON walked by the assertions. */
type Json = Record<string, any>;

const STACK = 'EdgePassExample';
const FUNCTION = `${STACK}-authorizer`;
const REPLICA = `us-east-1.${FUNCTION}`;
const MAIN_REGION = 'eu-west-1';
const REGIONS = defaultMonitoringRegions('PriceClass_All');
const TOPIC_EU = 'arn:aws:sns:eu-west-1:111122223333:ops-alarms';

let s: Synthesised;

beforeAll(async () => {
  s = await synthesise(fixture());
}, 180_000);
afterAll(removeFixtures);

/** The app for a changed example document, with placeholder bundles (no esbuild), synthesised. */
function variant(change: (deployment: Json, document: Json) => void): EdgePassApp {
  const f = fixture();
  change(deploymentOf(f.document), f.document);
  const built = buildApp({
    config: resolveConfig(f.document, f.dir),
    bundles: { edge: placeholderBundle('edge'), originApi: placeholderBundle('api') },
    appProps: { outdir: join(f.dir, 'cdk.out') },
  });
  built.app.synth();
  return built;
}

/** The stack of `built` that holds `region`'s monitoring: the main stack for its own region. */
function stackIn(built: EdgePassApp, region: string): Stack {
  if (built.main?.region === region) return built.main;
  const found = built.monitoring.find((stack) => stack.region === region);
  if (found === undefined) throw new Error(`no monitoring stack in ${region}`);
  return found;
}

const template = (built: EdgePassApp, region: string): Json => Template.fromStack(stackIn(built, region)).toJSON();
const ofType = (t: Json, type: string): [string, Json][] =>
  Object.entries(t['Resources'] as Json).filter(([, r]) => r['Type'] === type);
const alarms = (t: Json): Json[] => ofType(t, 'AWS::CloudWatch::Alarm').map(([, r]) => r['Properties']);
const alarmNamed = (t: Json, name: string): Json => {
  const found = alarms(t).find((a) => a['AlarmName'] === name);
  if (found === undefined) throw new Error(`no alarm ${name}`);
  return found;
};

describe('where the monitoring lives', () => {
  it('adds a stack in every watched region but the main one (us-east-1 among them), named after the region', () => {
    const others = REGIONS.filter((r) => r !== MAIN_REGION);
    expect(s.built.monitoring.map((stack) => [stack.stackName, stack.region])).toEqual(
      others.map((region) => [`${STACK}-monitoring-${region}`, region]),
    );
  });

  it('gives the authorizer a fixed name, so that every region can name its replicas', () => {
    const fn = ofType(Template.fromStack(s.edgeStack!).toJSON(), 'AWS::Lambda::Function');
    expect(fn.map(([, r]) => r['Properties']['FunctionName'])).toEqual([FUNCTION]);
  });

  it('deploys the us-east-1 stack after the main stack, whose distribution id it reads', () => {
    expect(stackIn(s.built, 'us-east-1').dependencies.map((d) => d.stackName)).toEqual([STACK]);
  });

  it('adds a us-east-1 stack for the CloudFront alarm alone when no region is watched', () => {
    const built = variant((d) => (d['monitoring'] = { regions: [] }));
    expect(built.monitoring.map((stack) => stack.region)).toEqual(['us-east-1']);
    expect(alarms(template(built, 'us-east-1')).map((a) => a['AlarmName'])).toEqual([`${STACK}-cloudfront-5xx-rate`]);
    expect(ofType(template(built, 'us-east-1'), 'Custom::LogRetention')).toEqual([]);
    const widgets: Json[] = dashboardBody(template(built, MAIN_REGION))['widgets'];
    const titles = widgets.map((w) => w['properties']['title']);
    expect(titles).toEqual([undefined, 'CloudFront requests', 'CloudFront error rates (%)', 'Origin API']);
  });
});

describe("the authorizer's alarms, per watched region", () => {
  it.each(REGIONS)('alarms in %s on its replica errors and throttles, summed over 5 minutes', (region) => {
    const t = template(s.built, region);
    for (const [what, metricName] of [
      ['errors', 'Errors'],
      ['throttles', 'Throttles'],
    ] as const) {
      expect(alarmNamed(t, `${STACK}-authorizer-${what}-${region}`)).toMatchObject({
        Namespace: 'AWS/Lambda',
        MetricName: metricName,
        Dimensions: [{ Name: 'FunctionName', Value: REPLICA }],
        Statistic: 'Sum',
        Period: 300,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: 1,
        DatapointsToAlarm: 1,
        TreatMissingData: 'notBreaching',
      });
    }
  });

  it('watches only the listed regions', () => {
    const built = variant((d) => (d['monitoring'] = { regions: ['ap-southeast-2'] }));
    expect(built.monitoring.map((stack) => stack.region).sort()).toEqual(['ap-southeast-2', 'us-east-1']);
    const names = (region: string) => alarms(template(built, region)).map((a) => a['AlarmName'] as string);
    expect(names('ap-southeast-2')).toEqual([
      `${STACK}-authorizer-errors-ap-southeast-2`,
      `${STACK}-authorizer-throttles-ap-southeast-2`,
    ]);
    expect(names('us-east-1').filter((n) => n.includes('authorizer'))).toEqual([]);
    expect(names(MAIN_REGION).filter((n) => n.includes('authorizer'))).toEqual([]);
  });
});

describe("the authorizer's replica logs", () => {
  it.each(REGIONS)('are kept 30 days in %s, created if Lambda has not yet, and kept when the stack goes', (region) => {
    const retention = ofType(template(s.built, region), 'Custom::LogRetention').map(([, r]) => r['Properties']);
    expect(retention).toEqual([
      expect.objectContaining({ LogGroupName: `/aws/lambda/${REPLICA}`, RetentionInDays: 30, RemovalPolicy: 'retain' }),
    ]);
    // In the stack's own region: the custom resource's handler works there.
    expect(retention[0]).not.toHaveProperty('LogGroupRegion');
  });

  it("follow logRetentionDays, as does the origin API's log group", () => {
    const built = variant((d) => (d['monitoring'] = { regions: ['eu-west-1'], logRetentionDays: 90 }));
    const main = template(built, MAIN_REGION);
    expect(ofType(main, 'Custom::LogRetention')[0]?.[1]['Properties']['RetentionInDays']).toBe(90);
    const groups = ofType(main, 'AWS::Logs::LogGroup').map(([, r]) => r['Properties']['RetentionInDays']);
    expect(groups).toEqual([90]);
  });
});

describe("CloudFront's 5xx rate alarm", () => {
  const cloudFront = (t: Json): Json => alarmNamed(t, `${STACK}-cloudfront-5xx-rate`);

  it('lives in us-east-1 only, on the distribution at Region=Global, 5 % in 2 of 3 five-minute periods', () => {
    const all = [s.main, ...s.built.monitoring].flatMap((stack) =>
      alarms(Template.fromStack(stack).toJSON()).filter((a) => a['Namespace'] === 'AWS/CloudFront'),
    );
    expect(all).toHaveLength(1);
    expect(cloudFront(template(s.built, 'us-east-1'))).toMatchObject({
      MetricName: '5xxErrorRate',
      Statistic: 'Average',
      Period: 300,
      Threshold: 5,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
      TreatMissingData: 'notBreaching',
    });
  });

  it("reads the distribution id from the main stack's output in its region (Fn::GetStackOutput)", () => {
    const [distribution, region] = cloudFront(template(s.built, 'us-east-1'))['Dimensions'];
    expect(region).toEqual({ Name: 'Region', Value: 'Global' });
    const read = distribution['Value']['Fn::GetStackOutput'];
    expect(read).toMatchObject({ StackName: STACK, Region: MAIN_REGION });
    const main = Template.fromStack(s.main).toJSON();
    const distributionId = ofType(main, 'AWS::CloudFront::Distribution')[0]![0];
    expect(main['Outputs'][read['OutputName']]['Value']).toEqual({ Ref: distributionId });
  });

  it('lives in the main stack, on a plain reference, when the main region is us-east-1', () => {
    const built = variant((d) => {
      d['region'] = 'us-east-1';
      d['monitoring'] = { regions: ['us-east-1'] };
    });
    expect(built.monitoring).toEqual([]);
    const main = Template.fromStack(built.main!).toJSON();
    const distributionId = ofType(main, 'AWS::CloudFront::Distribution')[0]![0];
    expect(cloudFront(main)['Dimensions'][0]).toEqual({ Name: 'DistributionId', Value: { Ref: distributionId } });
  });
});

describe("the origin API's alarms", () => {
  it('watch its Lambda errors (>= 1) and its function URL 5xx answers (>= 5) in the main region', () => {
    const main = template(s.built, MAIN_REGION);
    const fn = ofType(main, 'AWS::Lambda::Function').find(([id]) => id.startsWith('EdgePassOriginApi'))![0];
    const expected = { Namespace: 'AWS/Lambda', Dimensions: [{ Name: 'FunctionName', Value: { Ref: fn } }] };
    expect(alarmNamed(main, `${STACK}-origin-api-errors`)).toMatchObject({
      ...expected,
      MetricName: 'Errors',
      Threshold: 1,
    });
    expect(alarmNamed(main, `${STACK}-origin-api-5xx`)).toMatchObject({
      ...expected,
      MetricName: 'Url5xxCount',
      Threshold: 5,
    });
  });
});

describe('alarm topics', () => {
  const everywhere = (): [string, Json][] =>
    [s.main, ...s.built.monitoring].map((stack) => [stack.region, Template.fromStack(stack).toJSON()]);

  it('notify a topic of their own stack (and region), on ALARM and on OK; each stack outputs its ARN', () => {
    for (const [, t] of everywhere()) {
      const topics = ofType(t, 'AWS::SNS::Topic');
      expect(topics).toHaveLength(1);
      expect(topics[0]![1]['Properties']['TopicName']).toBe(`${STACK}-alarms`);
      expect(t['Outputs']['AlarmTopicArn']['Value']).toEqual({ Ref: topics[0]![0] });
      for (const alarm of alarms(t)) {
        expect(alarm['AlarmActions']).toEqual([{ Ref: topics[0]![0] }]);
        expect(alarm['OKActions']).toEqual([{ Ref: topics[0]![0] }]);
        expect(alarm['AlarmName']).toMatch(new RegExp(`^${STACK}-`));
      }
    }
  });

  it('refuse publishing without TLS and let CloudWatch publish only for these alarms, in this account', () => {
    for (const [, t] of everywhere()) {
      const statements: Json[] = ofType(t, 'AWS::SNS::TopicPolicy')[0]![1]['Properties']['PolicyDocument']['Statement'];
      expect(statements).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
      const publish = statements.find((st) => st['Sid'] === 'CloudWatchAlarmsOfThisDeployment') ?? {};
      expect(publish).toMatchObject({
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: 'sns:Publish',
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      });
      expect(JSON.stringify(publish['Condition']['ArnLike']['aws:SourceArn'])).toContain(`:alarm:${STACK}-*`);
    }
  });

  it('have no subscription unless alarmEmail is set', () => {
    for (const [, t] of everywhere()) expect(ofType(t, 'AWS::SNS::Subscription')).toEqual([]);
  });

  it("subscribe alarmEmail to every topic created, and leave a region's alarms to the operator's topic there", () => {
    const built = variant((d) => {
      d['monitoring'] = {
        regions: ['eu-west-1', 'eu-central-1'],
        alarmEmail: 'ops@example.test',
        snsTopicArns: [TOPIC_EU],
      };
    });
    const main = template(built, MAIN_REGION);
    expect(ofType(main, 'AWS::SNS::Topic')).toEqual([]);
    expect(main['Outputs']['AlarmTopicArn']['Value']).toBe(TOPIC_EU);
    for (const alarm of alarms(main)) expect(alarm['AlarmActions']).toEqual([TOPIC_EU]);
    for (const region of ['eu-central-1', 'us-east-1']) {
      const subscriptions = ofType(template(built, region), 'AWS::SNS::Subscription').map(([, r]) => r['Properties']);
      expect(subscriptions).toEqual([
        expect.objectContaining({ Protocol: 'email', Endpoint: 'ops@example.test', TopicArn: expect.anything() }),
      ]);
    }
    expect(nagFindings(built.app, 'error')).toEqual([]);
  });
});

/** The dashboard body with every intrinsic replaced by a readable placeholder, parsed. */
function dashboardBody(t: Json): Json {
  const dashboards = ofType(t, 'AWS::CloudWatch::Dashboard');
  expect(dashboards).toHaveLength(1);
  const body = dashboards[0]![1]['Properties']['DashboardBody'];
  const parts: unknown[] = body['Fn::Join'][1];
  return JSON.parse(parts.map((p) => (typeof p === 'string' ? p : `<${Object.values(p as Json)[0]}>`)).join(''));
}

describe('the dashboard', () => {
  let widgets: Json[];
  let metrics: unknown[][];
  beforeAll(() => {
    const main = template(s.built, MAIN_REGION);
    widgets = dashboardBody(main)['widgets'];
    metrics = widgets.flatMap((w) => (w['properties']['metrics'] ?? []) as unknown[][]);
  });
  const regionOf = (metric: unknown[]): string => (metric.at(-1) as Json)['region'] ?? MAIN_REGION;

  it('is one dashboard named after the stack, in the main stack only', () => {
    expect(
      ofType(Template.fromStack(s.main).toJSON(), 'AWS::CloudWatch::Dashboard')[0]![1]['Properties'],
    ).toMatchObject({ DashboardName: STACK });
    for (const stack of s.built.monitoring) {
      expect(ofType(Template.fromStack(stack).toJSON(), 'AWS::CloudWatch::Dashboard')).toEqual([]);
    }
  });

  it('lists every alarm of the app in its header', () => {
    const markdown: string = widgets[0]!['properties']['markdown'];
    const names = [s.main, ...s.built.monitoring].flatMap((stack) =>
      alarms(Template.fromStack(stack).toJSON()).map((a) => a['AlarmName'] as string),
    );
    expect(names).toHaveLength(REGIONS.length * 2 + 3);
    for (const name of names) expect(markdown).toContain(`* ${name}: `);
  });

  it.each(['Invocations', 'Errors', 'Throttles', 'Duration'])(
    "graphs the authorizer's replica %s in every watched region",
    (metricName) => {
      const found = metrics.filter((m) => m[1] === metricName && m[3] === REPLICA);
      expect(found.map((m) => [m[0], m[2], regionOf(m)])).toEqual(
        REGIONS.map((region) => ['AWS/Lambda', 'FunctionName', region]),
      );
    },
  );

  it('searches the decision metrics (EdgePass) in every watched region: by outcome, denials and others by reason', () => {
    const searches = metrics.map((m) => m[0] as Json).filter((m) => typeof m['expression'] === 'string');
    const queries = [
      `SEARCH('{EdgePass,Outcome} MetricName="Decisions"', 'Sum', 300)`,
      `SEARCH('{EdgePass,Outcome,Reason} MetricName="Decisions" Outcome="deny"', 'Sum', 300)`,
      `SEARCH('{EdgePass,Outcome,Reason} MetricName="Decisions" NOT Outcome="deny"', 'Sum', 300)`,
      `SEARCH('{EdgePass,Outcome} MetricName="ElapsedMs"', 'p99', 300)`,
    ];
    for (const query of queries) {
      const found = searches.filter((e) => e['expression'] === query);
      expect(found.map((e) => e['region'] ?? MAIN_REGION)).toEqual(REGIONS);
      expect(found.map((e) => e['label'])).toEqual(REGIONS);
    }
  });

  it('graphs CloudFront requests and error rates from us-east-1 for the distribution (Region=Global)', () => {
    const cloudFront = metrics.filter((m) => m[0] === 'AWS/CloudFront');
    expect(cloudFront.map((m) => [m[1], regionOf(m)])).toEqual([
      ['Requests', 'us-east-1'],
      ['4xxErrorRate', 'us-east-1'],
      ['5xxErrorRate', 'us-east-1'],
    ]);
    for (const m of cloudFront)
      expect(m.slice(2, 6)).toEqual(['DistributionId', expect.any(String), 'Region', 'Global']);
  });

  it('graphs the origin API: URL requests, 4xx, 5xx, Lambda errors and duration', () => {
    const api = metrics.filter((m) => m[0] === 'AWS/Lambda' && m[3] !== REPLICA).map((m) => m[1]);
    expect(api).toEqual(['UrlRequestCount', 'Url4xxCount', 'Url5xxCount', 'Errors', 'Duration']);
  });
});

describe('cdk-nag on the monitoring stacks', () => {
  it('reports no finding in any stack of the example (suppressions are scoped and explained)', () => {
    expect(nagFindings(s.built.app, 'error')).toEqual([]);
    expect(nagFindings(s.built.app, 'warning')).toEqual([]);
  });

  it('would report an unsuppressed finding (the check can fail)', () => {
    const app = new App();
    new sns.Topic(new Stack(app, 'Bare', { env: { region: 'eu-west-1' } }), 'Topic');
    Aspects.of(app).add(new AwsSolutionsChecks());
    expect(nagFindings(app, 'error').join('\n')).toMatch(/AwsSolutions-SNS[23]/);
  });
});
