// The synthesised edgepass app (example configuration, real bundles), one synthesis for the file: bucket, OAC,
// behaviours, policies, keys, functions, outputs. One behaviour per test.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketCorsRules, fixture, nagFindings, removeFixtures, synthesise } from './helpers.ts';
import type { Fixture, Synthesised } from './helpers.ts';

/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return,
   @typescript-eslint/no-unsafe-argument -- CloudFormation templates are untyped JSON walked by the assertions. */
type Json = Record<string, any>;
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';

let f: Fixture;
let s: Synthesised;
let main: Template;
let edge: Template;
let keys: Template;
let dist: Json;

function only(template: Template, type: string): Json {
  const found = Object.values(template.findResources(type));
  expect(found).toHaveLength(1);
  return found[0]!;
}
const behavior = (pattern: string): Json => {
  const found = (dist['CacheBehaviors'] as Json[]).find((b) => b['PathPattern'] === pattern);
  if (found === undefined) throw new Error(`no behaviour ${pattern}`);
  return found;
};
const allBehaviors = (): Json[] => [dist['DefaultCacheBehavior'], ...(dist['CacheBehaviors'] as Json[])];
const logicalId = (template: Template, type: string, match: (props: Json) => boolean): string => {
  const entry = Object.entries(template.findResources(type)).find(([, r]) => match(r['Properties'] as Json));
  if (entry === undefined) throw new Error(`no ${type}`);
  return entry[0];
};
const oacs = (type: string): Json[] =>
  Object.values(main.findResources('AWS::CloudFront::OriginAccessControl'))
    .map((r) => r['Properties']['OriginAccessControlConfig'] as Json)
    .filter((c) => c['OriginAccessControlOriginType'] === type);
const mediaBucketId = (): string => logicalId(main, 'AWS::S3::Bucket', (p) => p['LoggingConfiguration'] !== undefined);
/** The properties of a resource the behaviour names by `{ Ref }` (a policy made by the stack). */
const referenced = (id: unknown): Json => {
  const ref = (id as { Ref?: string }).Ref;
  if (ref === undefined) throw new Error('not a resource made by the stack');
  return main.toJSON()['Resources'][ref]['Properties'] as Json;
};

beforeAll(async () => {
  f = fixture();
  s = await synthesise(f);
  main = Template.fromStack(s.main);
  edge = Template.fromStack(s.edgeStack!);
  keys = Template.fromStack(s.built.keys);
  dist = only(main, 'AWS::CloudFront::Distribution')['Properties']['DistributionConfig'];
});
afterAll(removeFixtures);

describe('media bucket', () => {
  it('blocks every kind of public access', () => {
    main.hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: Match.anyValue(),
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
  });

  it('denies requests without TLS', () => {
    main.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: mediaBucketId() },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('encrypts objects at rest', () => {
    main.hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: Match.anyValue(),
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
    });
  });

  it('lets the app and CDN origins read and upload with presigned URLs (CORS), and no one else', () => {
    const buckets = main.toJSON()['Resources'] as Json;
    expect(buckets[mediaBucketId()]['Properties']['CorsConfiguration']).toEqual({
      CorsRules: bucketCorsRules(['https://app.example.test', 'https://cdn.example.test']),
    });
  });

  it('lets CloudFront read it through one S3 origin access control scoped to this distribution', () => {
    expect(oacs('s3')).toEqual([expect.objectContaining({ SigningBehavior: 'always', SigningProtocol: 'sigv4' })]);
    main.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: mediaBucketId() },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 's3:GetObject',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Condition: { StringEquals: { 'AWS:SourceArn': Match.anyValue() } },
          }),
        ]),
      },
    });
  });
});

describe('distribution behaviours', () => {
  it('serves the public index.html for / (a default root object)', () => {
    main.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({ DefaultRootObject: 'index.html' }),
    });
  });

  it('runs the edge function as viewer-request and on origin response on an edge-enforced protected path', () => {
    const b = behavior('/attractions/*');
    const [viewer, misses] = b['LambdaFunctionAssociations'] as Json[];
    expect(b['LambdaFunctionAssociations']).toEqual([
      expect.objectContaining({ EventType: 'viewer-request', LambdaFunctionARN: expect.anything() }),
      expect.objectContaining({ EventType: 'origin-response', LambdaFunctionARN: expect.anything() }),
    ]);
    // One function, one version: the same authorizer answers both triggers.
    expect(misses!['LambdaFunctionARN']).toEqual(viewer!['LambdaFunctionARN']);
    expect(b['TrustedKeyGroups']).toBeUndefined();
  });

  it('styles bucket misses on the public default behaviour with an origin-response trigger only', () => {
    const b = dist['DefaultCacheBehavior'] as Json;
    expect(b['LambdaFunctionAssociations']).toEqual([
      expect.objectContaining({ EventType: 'origin-response', LambdaFunctionARN: expect.anything() }),
    ]);
  });

  it('restricts a natively enforced path with the key group and no function', () => {
    const b = behavior('/replays/*');
    expect(b['TrustedKeyGroups']).toEqual([{ Ref: logicalId(main, 'AWS::CloudFront::KeyGroup', () => true) }]);
    expect(b['LambdaFunctionAssociations']).toBeUndefined();
  });

  it('carries the function on the unrestricted, uncached /_edgepass/* gate', () => {
    const b = behavior('/_edgepass/*');
    expect(b['LambdaFunctionAssociations']).toEqual([expect.objectContaining({ EventType: 'viewer-request' })]);
    expect(b['TrustedKeyGroups']).toBeUndefined();
    expect(b['CachePolicyId']).toBe(CACHING_DISABLED);
    expect(b['AllowedMethods']).toContain('POST');
  });

  it('sends /api/* uncached to the function URL through a Lambda origin access control', () => {
    const b = behavior('/api/*');
    expect(b['CachePolicyId']).toBe(CACHING_DISABLED);
    // The API's own JSON errors reach apps as sent: no origin-response page over them.
    expect(b['LambdaFunctionAssociations']).toBeUndefined();
    const origin = (dist['Origins'] as Json[]).find((o) => o['Id'] === b['TargetOriginId'])!;
    expect(JSON.stringify(origin['DomainName'])).toContain('FunctionUrl');
    expect(oacs('lambda')).toEqual([expect.objectContaining({ SigningBehavior: 'always' })]);
    expect(origin['OriginAccessControlId']).toEqual({
      'Fn::GetAtt': [
        logicalId(
          main,
          'AWS::CloudFront::OriginAccessControl',
          (p) => p['OriginAccessControlConfig']['OriginAccessControlOriginType'] === 'lambda',
        ),
        'Id',
      ],
    });
  });

  it('serves public content from the /public folder only', () => {
    const origin = (dist['Origins'] as Json[]).find((o) => o['Id'] === dist['DefaultCacheBehavior']['TargetOriginId'])!;
    expect(origin['OriginPath']).toBe('/public');
    const protectedOrigin = (dist['Origins'] as Json[]).find(
      (o) => o['Id'] === behavior('/attractions/*')['TargetOriginId'],
    )!;
    expect(protectedOrigin['OriginPath']).toBeUndefined();
  });

  it('redirects viewers to HTTPS on every behaviour', () => {
    expect(allBehaviors().map((b) => b['ViewerProtocolPolicy'])).toEqual(allBehaviors().map(() => 'redirect-to-https'));
  });

  it('attaches a response headers policy with HSTS and hardening headers to every behaviour', () => {
    expect(allBehaviors().every((b) => b['ResponseHeadersPolicyId'] !== undefined)).toBe(true);
    main.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: {
        SecurityHeadersConfig: {
          StrictTransportSecurity: { AccessControlMaxAgeSec: 63_072_000, IncludeSubdomains: true, Override: true },
          ContentTypeOptions: { Override: true },
          FrameOptions: { FrameOption: 'DENY', Override: true },
        },
      },
    });
  });

  it('lets the app origins fetch protected media with credentials (CORS on protected paths and /_edgepass/*)', () => {
    const ids = ['/attractions/*', '/replays/*', '/_edgepass/*'].map((p) => behavior(p)['ResponseHeadersPolicyId']);
    // Media share one policy; the endpoints have their own (no Cache-Control of its own), with the same CORS.
    expect(ids).toEqual([ids[0], ids[0], expect.anything()]);
    expect(ids[2]).not.toEqual(ids[0]);
    const cors = (id: unknown) => referenced(id)['ResponseHeadersPolicyConfig']['CorsConfig'] as unknown;
    expect(cors(ids[2])).toEqual(cors(ids[0]));
    expect(cors(ids[0])).toEqual({
      AccessControlAllowCredentials: true,
      AccessControlAllowHeaders: { Items: ['authorization', 'range'] },
      AccessControlAllowMethods: { Items: ['GET', 'HEAD', 'OPTIONS'] },
      AccessControlAllowOrigins: { Items: ['https://app.example.test'] },
      AccessControlExposeHeaders: {
        Items: ['Content-Length', 'Content-Range', 'Accept-Ranges', 'ETag', 'WWW-Authenticate'],
      },
      AccessControlMaxAgeSec: 600,
      OriginOverride: true,
    });
  });

  it('keeps the hardening headers on the protected paths alongside their CORS', () => {
    const config = referenced(behavior('/attractions/*')['ResponseHeadersPolicyId'])['ResponseHeadersPolicyConfig'];
    const publicConfig = referenced(dist['DefaultCacheBehavior']['ResponseHeadersPolicyId'])[
      'ResponseHeadersPolicyConfig'
    ];
    expect(config['SecurityHeadersConfig']).toEqual(publicConfig['SecurityHeadersConfig']);
  });

  it('marks protected media Cache-Control: private, no-cache over what S3 says: no shared cache, revalidated', () => {
    for (const pattern of ['/attractions/*', '/replays/*']) {
      const config = referenced(behavior(pattern)['ResponseHeadersPolicyId'])['ResponseHeadersPolicyConfig'];
      expect(config['CustomHeadersConfig'], pattern).toEqual({
        Items: [{ Header: 'Cache-Control', Value: 'private, no-cache', Override: true }],
      });
    }
  });

  it("leaves the authorizer's own no-store on /_edgepass/* answers (no Cache-Control override there)", () => {
    const config = referenced(behavior('/_edgepass/*')['ResponseHeadersPolicyId'])['ResponseHeadersPolicyConfig'];
    expect(config['CustomHeadersConfig']).toBeUndefined();
  });

  it('leaves Cache-Control on public content to S3', () => {
    const config = referenced(dist['DefaultCacheBehavior']['ResponseHeadersPolicyId'])['ResponseHeadersPolicyConfig'];
    expect(config['CustomHeadersConfig']).toBeUndefined();
  });

  it('adds no CORS to public content', () => {
    const config = referenced(dist['DefaultCacheBehavior']['ResponseHeadersPolicyId'])['ResponseHeadersPolicyConfig'];
    expect(config['CorsConfig']).toBeUndefined();
  });

  it('lets the app origins call /api/* without credentials, DELETE included, reading Location', () => {
    expect(
      referenced(behavior('/api/*')['ResponseHeadersPolicyId'])['ResponseHeadersPolicyConfig']['CorsConfig'],
    ).toEqual({
      AccessControlAllowCredentials: false,
      AccessControlAllowHeaders: { Items: ['authorization', 'content-type', 'x-amz-content-sha256'] },
      AccessControlAllowMethods: { Items: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS'] },
      AccessControlAllowOrigins: { Items: ['https://app.example.test'] },
      AccessControlExposeHeaders: { Items: ['Location'] },
      AccessControlMaxAgeSec: 600,
      OriginOverride: true,
    });
  });

  it('serves the custom domain with its certificate and TLS 1.2 at least', () => {
    expect(dist['Aliases']).toEqual(['cdn.example.test']);
    expect(dist['ViewerCertificate']).toEqual({
      AcmCertificateArn: 'arn:aws:acm:us-east-1:111122223333:certificate/00000000-0000-4000-8000-000000000000',
      MinimumProtocolVersion: 'TLSv1.2_2021',
      SslSupportMethod: 'sni-only',
    });
  });

  it('writes access logs to the log bucket', () => {
    expect(dist['Logging']).toMatchObject({ Prefix: 'cloudfront/' });
  });
});

describe('cache and origin request policies', () => {
  const s3Behaviors = (): Json[] =>
    allBehaviors().filter((b) => !['/api/*', '/_edgepass/*'].includes(b['PathPattern']));

  it('keys the S3 cache on the path alone: no cookies, query strings (signatures) or headers', () => {
    for (const b of s3Behaviors()) {
      const key = referenced(b['CachePolicyId'])['CachePolicyConfig']['ParametersInCacheKeyAndForwardedToOrigin'];
      expect(key).toMatchObject({
        CookiesConfig: { CookieBehavior: 'none' },
        QueryStringsConfig: { QueryStringBehavior: 'none' },
        HeadersConfig: { HeaderBehavior: 'none' },
      });
    }
  });

  it('sends no cookies and no query string to S3', () => {
    for (const b of s3Behaviors()) {
      const config = referenced(b['OriginRequestPolicyId'])['OriginRequestPolicyConfig'];
      expect(config).toMatchObject({
        CookiesConfig: { CookieBehavior: 'none' },
        QueryStringsConfig: { QueryStringBehavior: 'none' },
      });
    }
  });

  it('forwards no cookies to the origin API', () => {
    const config = referenced(behavior('/api/*')['OriginRequestPolicyId'])['OriginRequestPolicyConfig'];
    expect(config['CookiesConfig']).toEqual({ CookieBehavior: 'none' });
  });

  it('forwards the moved bearer token, the body hash and type, and the CORS request headers to the origin API', () => {
    const config = referenced(behavior('/api/*')['OriginRequestPolicyId'])['OriginRequestPolicyConfig'];
    expect(config['HeadersConfig']).toEqual({
      HeaderBehavior: 'whitelist',
      Headers: [
        'x-edgepass-authorization',
        'content-type',
        'accept',
        'origin',
        'x-amz-content-sha256',
        'access-control-request-method',
        'access-control-request-headers',
      ],
    });
  });

  it('moves Authorization past the Lambda OAC with a viewer-request CloudFront Function on /api/*', () => {
    const [association] = behavior('/api/*')['FunctionAssociations'] as Json[];
    expect(association).toMatchObject({ EventType: 'viewer-request' });
    main.hasResourceProperties('AWS::CloudFront::Function', {
      FunctionConfig: { Runtime: 'cloudfront-js-2.0' },
      FunctionCode: Match.stringLikeRegexp('x-edgepass-authorization'),
    });
  });
});

describe('keys', () => {
  it('registers each configured public key with CloudFront in the keys stack', () => {
    keys.hasResourceProperties('AWS::CloudFront::PublicKey', {
      PublicKeyConfig: { EncodedKey: f.publicKeyPem },
    });
    keys.hasOutput('KeyPairIdexample1', { Value: Match.objectLike({ Ref: Match.anyValue() }) });
  });

  it('trusts the active signer key (and the rotation keys) in the key group', () => {
    main.hasResourceProperties('AWS::CloudFront::KeyGroup', { KeyGroupConfig: { Items: ['KEXAMPLE0000001'] } });
  });

  it('deploys the main stack after the keys stack', () => {
    expect(s.main.dependencies.map((d) => d.stackName)).toContain('EdgePassExample-keys');
  });
});

describe('edge function', () => {
  it('lives in us-east-1', () => {
    expect(s.edgeStack?.region).toBe('us-east-1');
  });

  it('runs nodejs22.x within the viewer-request limits, without environment variables', () => {
    const fn = only(edge, 'AWS::Lambda::Function')['Properties'];
    expect(fn).toMatchObject({ Runtime: 'nodejs22.x', MemorySize: 128, Timeout: 5, Handler: 'index.handler' });
    expect(fn['Environment']).toBeUndefined();
  });

  it('is published as a numbered version that the distribution references', () => {
    // The version ARN crosses regions through an SSM parameter in us-east-1 read back by the main stack.
    const versionId = logicalId(edge, 'AWS::Lambda::Version', () => true);
    const parameterId = logicalId(edge, 'AWS::SSM::Parameter', (p) => String(p['Name']).endsWith('/Authorizer'));
    const parameter = edge.toJSON()['Resources'][parameterId]['Properties'] as Json;
    expect(parameter['Value']).toEqual({ Ref: versionId });
    const [association] = behavior('/attractions/*')['LambdaFunctionAssociations'] as Json[];
    const readerId = association!['LambdaFunctionARN']['Fn::GetAtt'][0] as string;
    expect(main.toJSON()['Resources'][readerId]['Properties']['ParameterName']).toBe(parameter['Name']);
  });

  it('may be assumed by Lambda@Edge replicas', () => {
    const trust = JSON.stringify(only(edge, 'AWS::IAM::Role')['Properties']['AssumeRolePolicyDocument']);
    expect(trust).toContain('"edgelambda.amazonaws.com"');
    expect(trust).toContain('"lambda.amazonaws.com"');
  });

  it('ships exactly the built bundle as its code', () => {
    const key = only(edge, 'AWS::Lambda::Function')['Properties']['Code']['S3Key'] as string;
    const dir = join(f.dir, 'cdk.out', `asset.${key.replace(/\.zip$/, '')}`);
    expect(readdirSync(dir)).toEqual(['index.mjs']);
    expect(readFileSync(join(dir, 'index.mjs'))).toEqual(readFileSync(s.bundles.edge));
  });
});

describe('origin API', () => {
  it('is reachable only with IAM-signed requests (CloudFront OAC), invoked for this distribution only', () => {
    main.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'AWS_IAM' });
    main.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunctionUrl',
      Principal: 'cloudfront.amazonaws.com',
      SourceArn: Match.anyValue(),
    });
  });

  it('may list, read, write and delete only under its key prefix', () => {
    const role = logicalId(main, 'AWS::IAM::Role', (p) => JSON.stringify(p['Description']).includes('origin API'));
    const statements = Object.values(main.findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p['Properties']['Roles']) === JSON.stringify([{ Ref: role }]))
      .flatMap((p) => p['Properties']['PolicyDocument']['Statement'] as Json[])
      .filter((st) => JSON.stringify(st['Action']).includes('s3:'));
    const bucketArn = { 'Fn::GetAtt': [mediaBucketId(), 'Arn'] };
    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: bucketArn,
        Condition: { StringLike: { 's3:prefix': ['uploads/*'] } },
      },
      {
        Effect: 'Allow',
        Action: ['s3:DeleteObject', 's3:PutObject', 's3:GetObject'],
        Resource: { 'Fn::Join': ['', [bucketArn, '/uploads/*']] },
      },
    ]);
  });

  it('grants s3:* or any S3 action on Resource "*" nowhere in any stack', () => {
    const allows = [main, edge, keys].flatMap((template) =>
      Object.values(template.toJSON()['Resources'] as Json).flatMap((r: Json) => {
        const props = (r['Properties'] ?? {}) as Json;
        const documents = [
          props['PolicyDocument'],
          ...((props['Policies'] ?? []) as Json[]).map((p) => p['PolicyDocument']),
        ];
        return documents
          .filter((d): d is Json => d !== undefined)
          .flatMap((d) => d['Statement'] as Json[])
          .filter((st) => st['Effect'] === 'Allow');
      }),
    );
    const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);
    const s3 = allows.filter((st) => list(st['Action']).some((a) => a === '*' || String(a).startsWith('s3:')));
    expect(s3.length).toBeGreaterThan(0);
    expect(s3.filter((st) => list(st['Action']).some((a) => a === '*' || a === 's3:*'))).toEqual([]);
    expect(s3.filter((st) => list(st['Resource']).includes('*'))).toEqual([]);
  });

  it('gets the bucket and the public configuration sections, never the signing key', () => {
    const api =
      main.toJSON()['Resources'][logicalId(main, 'AWS::Lambda::Function', (p) => p['Environment'] !== undefined)];
    const env = api['Properties']['Environment']['Variables'] as Json;
    expect(env['EDGEPASS_BUCKET']).toEqual({ Ref: mediaBucketId() });
    const document = JSON.parse(env['EDGEPASS_CONFIG_JSON'] as string) as Json;
    expect(Object.keys(document).sort()).toEqual(['appOrigins', 'jwt', 'linkTokens', 'originApi']);
    // The link audience reaches the API, which must refuse it (issue #11: a link token never works at /api/*).
    expect(document['linkTokens']).toEqual({ audience: 'edgepass-link', maxLifetimeSeconds: 300 });
    expect(document['appOrigins']).toEqual(['https://app.example.test']);
    expect(JSON.stringify(main.toJSON())).not.toContain('PRIVATE KEY');
  });
});

describe('outputs', () => {
  it('names the distribution domain, the active key pair id and the bucket', () => {
    main.hasOutput('DistributionDomainName', { Value: Match.anyValue() });
    main.hasOutput('KeyPairId', { Value: 'KEXAMPLE0000001' });
    main.hasOutput('BucketName', { Value: { Ref: mediaBucketId() } });
  });
});

describe('cdk-nag AwsSolutions', () => {
  const stacks = (): Stack[] => [s.main, s.edgeStack!, s.built.keys, ...s.built.monitoring];
  const suppressions = (): { id: string; reason: string }[] =>
    stacks().flatMap((stack) =>
      Object.values(Template.fromStack(stack).toJSON()['Resources'] as Json).flatMap(
        (r: Json) => (r['Metadata']?.['cdk_nag']?.['rules_to_suppress'] ?? []) as { id: string; reason: string }[],
      ),
    );

  it('reports no unsuppressed error in any stack', () => {
    expect(nagFindings(s.built.app, 'error')).toEqual([]);
  });

  it('reports no unsuppressed warning in any stack', () => {
    expect(nagFindings(s.built.app, 'warning')).toEqual([]);
  });

  it("suppresses IAM5 on the origin API role for its one prefix's objects only", () => {
    const roles = main.findResources('AWS::IAM::Policy', {
      Properties: { Roles: [{ Ref: Match.stringLikeRegexp('^EdgePassOriginApiRole') }] },
      Metadata: { cdk_nag: { rules_to_suppress: Match.arrayWith([Match.objectLike({ id: 'AwsSolutions-IAM5' })]) } },
    });
    const rules = Object.values(roles).flatMap((r) => r['Metadata']['cdk_nag']['rules_to_suppress'] as Json[]);
    expect(rules.filter((r) => r['id'] === 'AwsSolutions-IAM5').map((r) => r['applies_to'])).toEqual([
      [`Resource::<${mediaBucketId()}.Arn>/uploads/*`],
    ]);
  });

  it('suppresses only the justified rules, each with a real reason', () => {
    const found = suppressions();
    expect(new Set(found.map((x) => x.id))).toEqual(
      // No CFR2: the distribution has a web ACL by default.
      new Set([
        'AwsSolutions-L1',
        'AwsSolutions-IAM4',
        'AwsSolutions-IAM5',
        'AwsSolutions-CFR1',
        'AwsSolutions-SNS2', // the alarm topics (infra/monitoring/topic.ts)
      ]),
    );
    for (const { reason } of found) expect(reason.length).toBeGreaterThan(60);
  });
});
