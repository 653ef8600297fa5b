// deployment.monitoring: defaults (regions by price class, 30 days, every log line counted), and every mistake
// reported with the rest of the deployment section's problems.
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../common/errors.ts';
import { parseDeployment } from '../../infra/config/deployment.ts';
import { defaultMonitoringRegions, RETENTION_DAYS } from '../../infra/config/monitoring.ts';
import { authorizerFunctionName } from '../../infra/monitoring/names.ts';
import { deploymentOf, fixture, removeFixtures } from './helpers.ts';

afterAll(removeFixtures);

const TOPIC_EU = 'arn:aws:sns:eu-west-1:111122223333:ops-alarms';
const TOPIC_US = 'arn:aws:sns:us-east-1:111122223333:ops-alarms';

function parse(monitoring: unknown, extra: Record<string, unknown> = {}) {
  const f = fixture();
  const deployment = deploymentOf(f.document);
  Object.assign(deployment, extra);
  if (monitoring !== undefined) deployment['monitoring'] = monitoring;
  return parseDeployment(f.document).monitoring;
}

function problems(monitoring: unknown, extra: Record<string, unknown> = {}): readonly string[] {
  try {
    parse(monitoring, extra);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('deployment.monitoring defaults', () => {
  it('watches the regional edge cache regions of the price class, keeps logs 30 days, counts every line', () => {
    expect(parse(undefined)).toEqual({
      regions: defaultMonitoringRegions('PriceClass_All'),
      alarmEmail: null,
      snsTopicArns: [],
      logRetentionDays: 30,
      metricsSampleRate: 1,
    });
  });

  it.each<[string, string[], number]>([
    [
      'PriceClass_100',
      ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'eu-central-1', 'eu-west-1', 'eu-west-2'],
      7,
    ],
    ['PriceClass_200', ['ap-south-1', 'ap-northeast-1', 'ap-northeast-2', 'ap-southeast-1'], 11],
    ['PriceClass_All', ['ap-southeast-2', 'sa-east-1'], 13],
  ])(
    'defaults %s to the regions its edge locations reach (adding %j to the cheaper class)',
    (priceClass, added, count) => {
      const regions = parse(undefined, { priceClass }).regions;
      expect(regions).toEqual(expect.arrayContaining(added));
      expect(regions).toHaveLength(count);
    },
  );

  it('takes explicit settings, an empty region list included', () => {
    const settings = {
      regions: [],
      alarmEmail: 'ops@example.test',
      snsTopicArns: [TOPIC_EU, TOPIC_US],
      logRetentionDays: 365,
      metricsSampleRate: 0.1,
    };
    expect(parse(settings)).toEqual(settings);
  });
});

describe('deployment.monitoring problems', () => {
  it.each([
    ['a non-object section', 'on', /^deployment\.monitoring must be an object/],
    ['an unknown key', { pager: 'x' }, /^deployment\.monitoring\.pager is not a known setting$/],
    ['regions not a list', { regions: 'eu-west-1' }, /^deployment\.monitoring\.regions must be an array/],
    ['a bad region', { regions: ['Europe'] }, /regions\[0\] must be an AWS region/],
    ['a repeated region', { regions: ['eu-west-1', 'eu-west-1'] }, /regions\[1\] "eu-west-1" is repeated/],
    ['a bad email', { alarmEmail: 'ops' }, /alarmEmail must be an email address/],
    ['a bad topic ARN', { snsTopicArns: ['arn:aws:sqs:eu-west-1:111122223333:q'] }, /must be a standard SNS topic ARN/],
    ['a FIFO topic', { snsTopicArns: [`${TOPIC_EU}.fifo`] }, /must be a standard SNS topic ARN/],
    ['two topics in one region', { snsTopicArns: [TOPIC_EU, `${TOPIC_EU}-2`] }, /one topic per region/],
    [
      'a topic where no alarm lives',
      { regions: ['eu-west-1'], snsTopicArns: ['arn:aws:sns:ap-east-1:111122223333:x'] },
      /no alarm lives in ap-east-1/,
    ],
    ['an unsupported retention', { logRetentionDays: 31 }, /logRetentionDays must be one of 1, 3, 5/],
    ['a sample rate of 0', { metricsSampleRate: 0 }, /metricsSampleRate must be a number above 0 and at most 1/],
    ['a sample rate above 1', { metricsSampleRate: 2 }, /metricsSampleRate must be a number above 0/],
  ])('reports %s', (_name, monitoring, expected) => {
    expect(problems(monitoring)).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
  });

  it('accepts a topic in us-east-1 (CloudFront) and the main region (origin API) without watching them', () => {
    expect(parse({ regions: [], snsTopicArns: [TOPIC_US, TOPIC_EU] }).snsTopicArns).toEqual([TOPIC_US, TOPIC_EU]);
  });

  it('lists its problems with the rest of the section', () => {
    const found = problems({ logRetentionDays: 2 }, { region: 'Europe' });
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^deployment\.region must be/),
        expect.stringMatching(/logRetentionDays must be one of/),
      ]),
    );
  });

  it('offers only retention values CloudWatch Logs accepts', () => {
    expect(RETENTION_DAYS).toContain(30);
    expect(RETENTION_DAYS.every((d) => Number.isInteger(d) && d > 0 && d <= 3653)).toBe(true);
  });
});

describe("the authorizer's function name", () => {
  it('is <stackName>-authorizer', () => {
    expect(authorizerFunctionName('EdgePass')).toBe('EdgePass-authorizer');
  });

  it("fits Lambda's 64 characters for the longest stack names, and differs for names that share a start", () => {
    const a = authorizerFunctionName(`A${'b'.repeat(98)}1`);
    const b = authorizerFunctionName(`A${'b'.repeat(98)}2`);
    for (const name of [a, b]) expect(name).toMatch(/^[A-Za-z0-9-]{1,64}$/);
    expect(a).toMatch(/-authorizer$/);
    expect(a).not.toBe(b);
  });
});
