// Safe defaults of the synthesised app: a rate-limiting AWS WAF web ACL made in us-east-1 (opt-out: waf false),
// CloudFront logs in a region CloudFront delivers to, region-qualified global names, deleted uploads gone within a
// day, presigned TTLs no longer than the Lambda credentials that sign them. Real synths, cdk-nag and AWS's validator.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Aspects, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../common/errors.ts';
import { cloudFrontLogsCanStayIn } from '../../infra/cloudfront-logs.ts';
import { parseDeployment } from '../../infra/config/deployment.ts';
import { resolveConfig } from '../../infra/config/load.ts';
import { EdgePass } from '../../infra/edge-pass.ts';
import type { EdgePassProps } from '../../infra/edge-pass.ts';
import { createValidator } from './cfn-validate.ts';
import { deploymentOf, fixture, placeholderBundle, removeFixtures, synthesise } from './helpers.ts';
import type { Fixture, Synthesised } from './helpers.ts';

/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-argument
   -- CloudFormation templates are untyped JSON walked by the assertions. */
type Json = Record<string, any>;

let example: Synthesised; // eu-west-1, every default
let optIn: Synthesised; // af-south-1 (opt-in), deployment.waf { requestsPerIp: 500, windowSeconds: 60 }
let usEast1: Synthesised; // us-east-1: the authorizer, and so the web ACL, in the main stack

function variant(change: (f: Fixture) => void): Fixture {
  const f = fixture();
  change(f);
  return f;
}

beforeAll(async () => {
  example = await synthesise(fixture());
  optIn = await synthesise(
    variant((f) => {
      deploymentOf(f.document)['region'] = 'af-south-1';
      deploymentOf(f.document)['waf'] = { requestsPerIp: 500, windowSeconds: 60 };
    }),
  );
  usEast1 = await synthesise(variant((f) => (deploymentOf(f.document)['region'] = 'us-east-1')));
}, 240_000);
afterAll(removeFixtures);

const resources = (stack: Stack | undefined): Json =>
  stack === undefined ? {} : (Template.fromStack(stack).toJSON()['Resources'] as Json);
const ofType = (stack: Stack | undefined, type: string): [string, Json][] =>
  Object.entries(resources(stack)).filter(([, r]) => r['Type'] === type);
const distributionConfig = (s: Synthesised): Json =>
  ofType(s.main, 'AWS::CloudFront::Distribution')[0]![1]['Properties']['DistributionConfig'];
const stacksOf = (s: Synthesised): Stack[] =>
  [s.main, s.built.keys, s.edgeStack].filter((x): x is Stack => x !== undefined);

/** The SSM parameter name a cross-region reader in the main stack reads, from the reader a token points at. */
function readerParameter(s: Synthesised, token: Json): string {
  const readerId = token['Fn::GetAtt'][0] as string;
  const reader = resources(s.main)[readerId];
  expect(reader['Type']).toBe('Custom::CrossRegionStringParameterReader');
  expect(reader['Properties']['Region']).toBe('us-east-1');
  return reader['Properties']['ParameterName'] as string;
}

/** The value the us-east-1 stack stores under an SSM parameter name. */
function parameterValue(s: Synthesised, name: string): unknown {
  const found = ofType(s.edgeStack, 'AWS::SSM::Parameter').find(([, p]) => p['Properties']['Name'] === name);
  if (found === undefined) throw new Error(`no parameter ${name} in the us-east-1 stack`);
  return found[1]['Properties']['Value'];
}

/** The construct alone in an app with cdk-nag (placeholder bundles): its main stack and the us-east-1 one. */
function constructApp(props: Partial<EdgePassProps>): { main: Stack; usEast1: Stack } {
  const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'edgepass-waf-')) });
  const main = new Stack(app, 'Construct', { env: { region: 'eu-west-1' } });
  new EdgePass(main, 'EdgePass', {
    protectedPaths: [{ prefix: '/attractions/', enforcement: 'edge' }],
    keyPairIds: ['K2JCJMDEHXQW5F'],
    edgeBundleFile: placeholderBundle('edge'),
    originApiBundleFile: placeholderBundle('api'),
    originApiPrefix: 'uploads/',
    ...props,
  });
  Aspects.of(app).add(new AwsSolutionsChecks());
  app.synth();
  const edge = app.node.children.find((c): c is Stack => c instanceof Stack && c.node.id === 'Construct-edge');
  if (edge === undefined) throw new Error('no us-east-1 stack');
  return { main, usEast1: edge };
}

describe('AWS WAF in front of the distribution', () => {
  it('creates a web ACL with a per-IP rate-based rule in us-east-1 by default, answering 429', () => {
    const [[, acl]] = ofType(example.edgeStack, 'AWS::WAFv2::WebACL') as [[string, Json]];
    expect(example.edgeStack?.region).toBe('us-east-1');
    expect(acl['Properties']).toMatchObject({
      Scope: 'CLOUDFRONT',
      DefaultAction: { Allow: {} },
      Rules: [
        {
          Priority: 0,
          Action: { Block: { CustomResponse: { ResponseCode: 429 } } },
          Statement: { RateBasedStatement: { AggregateKeyType: 'IP', Limit: 2000, EvaluationWindowSec: 300 } },
        },
      ],
    });
    expect(ofType(example.main, 'AWS::WAFv2::WebACL')).toEqual([]);
  });

  it("hands the ACL's ARN to the distribution in another region through an SSM parameter in us-east-1", () => {
    const webAclId = distributionConfig(example)['WebACLId'] as Json;
    const [[aclId]] = ofType(example.edgeStack, 'AWS::WAFv2::WebACL') as [[string, Json]];
    expect(parameterValue(example, readerParameter(example, webAclId))).toEqual({ 'Fn::GetAtt': [aclId, 'Arn'] });
  });

  it('references the ACL directly when the app region is us-east-1', () => {
    const [[aclId]] = ofType(usEast1.main, 'AWS::WAFv2::WebACL') as [[string, Json]];
    expect(usEast1.edgeStack).toBeUndefined();
    expect(distributionConfig(usEast1)['WebACLId']).toEqual({ 'Fn::GetAtt': [aclId, 'Arn'] });
  });

  it('takes the rate limit from deployment.waf', () => {
    const [[, acl]] = ofType(optIn.edgeStack, 'AWS::WAFv2::WebACL') as [[string, Json]];
    expect(acl['Properties']['Rules'][0]['Statement']['RateBasedStatement']).toEqual({
      AggregateKeyType: 'IP',
      Limit: 500,
      EvaluationWindowSec: 60,
    });
  });

  it('attaches no web ACL with rateLimit false, and tells cdk-nag why', () => {
    const { main, usEast1: edge } = constructApp({ rateLimit: false });
    expect([...ofType(main, 'AWS::WAFv2::WebACL'), ...ofType(edge, 'AWS::WAFv2::WebACL')]).toEqual([]);
    const [[, distribution]] = ofType(main, 'AWS::CloudFront::Distribution') as [[string, Json]];
    expect(distribution['Properties']['DistributionConfig']['WebACLId']).toBeUndefined();
    const suppressed = distribution['Metadata']['cdk_nag']['rules_to_suppress'] as { id: string; reason: string }[];
    expect(suppressed.find((r) => r.id === 'AwsSolutions-CFR2')?.reason).toMatch(/opted out/);
    expect(Annotations.fromStack(main).findError('*', Match.stringLikeRegexp('AwsSolutions-'))).toEqual([]);
  });

  it.each([
    [{ waf: { requestsPerIp: 100 }, webAclArn: 'arn' }, /deployment\.waf and deployment\.webAclArn exclude/],
    [{ waf: { windowSeconds: 30 } }, /deployment\.waf\.windowSeconds must be 60, 120, 300 or 600/],
    [{ waf: { requestsPerIp: 5 } }, /deployment\.waf\.requestsPerIp must be an integer from 10 to 2000000000/],
    [{ waf: true }, /deployment\.waf must be \{ "requestsPerIp"/],
    [{ waf: { limit: 100 } }, /deployment\.waf\.limit is not a known setting/],
  ])('refuses %j', (settings, expected) => {
    const f = fixture();
    Object.assign(deploymentOf(f.document), settings);
    expect(() => parseDeployment(f.document)).toThrow(ConfigError);
    try {
      parseDeployment(f.document);
    } catch (error) {
      expect((error as ConfigError).problems).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
    }
  });

  it('defaults to 2,000 requests per IP in 5 minutes; false opts out; an own web ACL replaces it', () => {
    const f = fixture();
    expect(parseDeployment(f.document).waf).toEqual({ requestsPerIp: 2000, windowSeconds: 300 });
    deploymentOf(f.document)['waf'] = false;
    expect(parseDeployment(f.document).waf).toBeNull();
    delete deploymentOf(f.document)['waf'];
    deploymentOf(f.document)['webAclArn'] =
      'arn:aws:wafv2:us-east-1:111122223333:global/webacl/own/00000000-0000-4000-8000-000000000000';
    expect(parseDeployment(f.document).waf).toBeNull();
  });
});

describe('CloudFront standard logs and opt-in regions', () => {
  it.each([
    ['eu-west-1', true],
    ['us-east-1', true],
    ['ap-northeast-3', true],
    ['af-south-1', false],
    ['ap-east-1', false],
    ['eu-south-1', false],
    ['me-south-1', false],
    ['il-central-1', false],
    ['ap-southeast-7', false],
  ])('knows whether CloudFront delivers logs to a bucket in %s (%s)', (region, stays) => {
    expect(cloudFrontLogsCanStayIn(region)).toBe(stays);
  });

  it('logs to the regional log bucket where CloudFront delivers', () => {
    const [[logBucketId]] = ofType(example.main, 'AWS::S3::Bucket').filter(
      ([, b]) => b['Properties']['LoggingConfiguration'] === undefined,
    ) as [[string, Json]];
    expect(distributionConfig(example)['Logging']).toEqual({
      Bucket: { 'Fn::GetAtt': [logBucketId, 'RegionalDomainName'] },
      Prefix: 'cloudfront/',
    });
  });

  it('logs an opt-in region to a bucket in us-east-1, read across regions', () => {
    const [[bucketId, bucket]] = ofType(optIn.edgeStack, 'AWS::S3::Bucket') as [[string, Json]];
    expect(bucket['Properties']['OwnershipControls']).toEqual({ Rules: [{ ObjectOwnership: 'ObjectWriter' }] });
    const logging = distributionConfig(optIn)['Logging'] as Json;
    const [, parts] = logging['Bucket']['Fn::Join'] as [string, unknown[]];
    const name = parts[0] as Json;
    expect(parameterValue(optIn, readerParameter(optIn, name))).toEqual({ Ref: bucketId });
    expect(JSON.stringify(parts.slice(1))).toContain('.s3.us-east-1.');
  });

  it("keeps S3's own access logs in the app region", () => {
    const media = ofType(optIn.main, 'AWS::S3::Bucket').find(([, b]) => b['Properties']['LoggingConfiguration']);
    const target = (media![1]['Properties']['LoggingConfiguration'] as Json)['DestinationBucketName'] as Json;
    expect(resources(optIn.main)[target['Ref'] as string]['Type']).toBe('AWS::S3::Bucket');
  });

  it('stays cdk-nag clean and valid for CloudFormation in an opt-in region', () => {
    for (const stack of stacksOf(optIn)) {
      expect(Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions-'))).toEqual([]);
      expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('AwsSolutions-'))).toEqual([]);
    }
    const validator = createValidator();
    try {
      const assembly = optIn.built.app.synth();
      const results = stacksOf(optIn).map((stack) => ({
        stack: stack.stackName,
        ...validator.file(assembly.getStackArtifact(stack.artifactId).templateFullPath, stack.region),
      }));
      expect(results).toEqual(results.map(({ stack }) => ({ stack, status: 'OK', errors: [] })));
    } finally {
      validator.free();
    }
  }, 120_000);
});

describe('names of global CloudFront and WAF resources', () => {
  const NAMED: Record<string, (p: Json) => unknown> = {
    'AWS::CloudFront::KeyGroup': (p) => p['KeyGroupConfig']['Name'],
    'AWS::CloudFront::PublicKey': (p) => p['PublicKeyConfig']['Name'],
    'AWS::CloudFront::CachePolicy': (p) => p['CachePolicyConfig']['Name'],
    'AWS::CloudFront::OriginRequestPolicy': (p) => p['OriginRequestPolicyConfig']['Name'],
    'AWS::CloudFront::ResponseHeadersPolicy': (p) => p['ResponseHeadersPolicyConfig']['Name'],
    'AWS::CloudFront::OriginAccessControl': (p) => p['OriginAccessControlConfig']['Name'],
    'AWS::CloudFront::Function': (p) => p['Name'],
    'AWS::WAFv2::WebACL': (p) => p['Name'],
  };
  const names = (s: Synthesised): string[] =>
    stacksOf(s).flatMap((stack) =>
      Object.values(resources(stack))
        .filter((r: Json) => NAMED[r['Type'] as string] !== undefined)
        .map((r: Json) => String(NAMED[r['Type'] as string]!(r['Properties']))),
    );

  it('names every one of them with the region of the deployment', () => {
    const found = names(example);
    expect(found.length).toBeGreaterThanOrEqual(11);
    expect(found.filter((name) => !name.includes('eu-west-1'))).toEqual([]);
  });

  it('gives the same stack name in two regions names that cannot collide', () => {
    expect(example.main.stackName).toBe(optIn.main.stackName);
    const other = new Set(names(optIn));
    expect(names(example).filter((name) => other.has(name))).toEqual([]);
  });
});

describe('media bucket lifecycle', () => {
  const rules = (): Json[] => {
    const media = ofType(example.main, 'AWS::S3::Bucket').find(([, b]) => b['Properties']['LoggingConfiguration']);
    return media![1]['Properties']['LifecycleConfiguration']['Rules'] as Json[];
  };

  it("expires a deleted upload's old version after a day and removes its lone delete marker", () => {
    expect(rules()).toContainEqual({
      Id: 'deleted-uploads',
      Prefix: 'uploads/',
      Status: 'Enabled',
      NoncurrentVersionExpiration: { NoncurrentDays: 1 },
      ExpiredObjectDeleteMarker: true,
    });
  });

  it('keeps old versions of other media 30 days', () => {
    expect(rules()).toContainEqual(
      expect.objectContaining({ Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: 30 } }),
    );
  });
});

describe('presigned URL lifetimes', () => {
  const problemsWith = (key: string, seconds: number): readonly string[] => {
    const f = fixture();
    (f.document['originApi'] as Json)[key] = seconds;
    try {
      resolveConfig(f.document, f.dir);
      return [];
    } catch (error) {
      if (error instanceof ConfigError) return error.problems;
      throw error;
    }
  };

  it.each(['uploadTtlSeconds', 'downloadTtlSeconds'])(
    'refuses a %s longer than the Lambda credentials that sign it are sure to live',
    (key) => {
      expect(problemsWith(key, 3601)).toEqual([
        `originApi.${key} 3601 exceeds 3600: the origin API signs with its Lambda role's temporary credentials, ` +
          'and a presigned URL stops working when they expire (docs/origin-api.md)',
      ]);
      expect(problemsWith(key, 3600)).toEqual([]);
    },
  );
});
