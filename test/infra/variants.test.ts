// A minimal deployment in us-east-1 (no custom domain, no app origins, a web ACL, edge enforcement only), plus the
// keys-only first deployment: the optional settings really change the template, and nag stays clean.
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app.ts';
import { resolveConfig } from '../../infra/config/load.ts';
import { deploymentOf, fixture, removeFixtures, synthesise } from './helpers.ts';
import type { Synthesised } from './helpers.ts';

type Json = Record<string, unknown>;
const WEB_ACL = 'arn:aws:wafv2:us-east-1:111122223333:global/webacl/edge/00000000-0000-4000-8000-000000000000';

let s: Synthesised;
let main: Template;
let dist: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

beforeAll(async () => {
  const f = fixture();
  const deployment = deploymentOf(f.document);
  deployment['region'] = 'us-east-1';
  deployment['stackName'] = 'EdgePassMinimal';
  deployment['webAclArn'] = WEB_ACL;
  deployment['priceClass'] = 'PriceClass_100';
  delete deployment['domain'];
  delete f.document['appOrigins'];
  f.document['protectedPaths'] = (f.document['protectedPaths'] as Json[]).slice(0, 1);
  s = await synthesise(f);
  main = Template.fromStack(s.main);
  dist = Object.values(main.findResources('AWS::CloudFront::Distribution'))[0]!['Properties']['DistributionConfig'];
});
afterAll(removeFixtures);

describe('a minimal deployment in us-east-1', () => {
  it('keeps the edge function in the main stack (no companion stack)', () => {
    expect(s.edgeStack).toBeUndefined();
    main.hasResourceProperties('AWS::Lambda::Function', { Runtime: 'nodejs22.x', MemorySize: 128 });
  });

  it('serves the default cloudfront.net certificate without aliases', () => {
    expect(dist['Aliases']).toBeUndefined();
    expect(dist['ViewerCertificate']).toBeUndefined();
  });

  it('attaches the configured web ACL and price class', () => {
    expect(dist['WebACLId']).toBe(WEB_ACL);
    expect(dist['PriceClass']).toBe('PriceClass_100');
  });

  it('adds no CORS rules to the bucket or the API without app origins', () => {
    for (const bucket of Object.values(main.findResources('AWS::S3::Bucket'))) {
      expect(bucket['Properties']['CorsConfiguration']).toBeUndefined();
    }
    for (const policy of Object.values(main.findResources('AWS::CloudFront::ResponseHeadersPolicy'))) {
      expect(policy['Properties']['ResponseHeadersPolicyConfig']['CorsConfig']).toBeUndefined();
    }
  });

  it('has no key-group-restricted behaviour when every path is edge-enforced', () => {
    const behaviors = dist['CacheBehaviors'] as Json[];
    expect(behaviors.map((b) => b['PathPattern'])).toEqual(['/attractions/*', '/_edgepass/*', '/api/*']);
    expect(behaviors.every((b) => b['TrustedKeyGroups'] === undefined)).toBe(true);
  });

  it('passes cdk-nag with the TLS suppression (default certificate) and without the WAF one', () => {
    const annotations = Annotations.fromStack(s.main);
    expect(annotations.findError('*', Match.stringLikeRegexp('AwsSolutions-'))).toEqual([]);
    expect(annotations.findWarning('*', Match.stringLikeRegexp('AwsSolutions-'))).toEqual([]);
    const distribution = Object.values(main.findResources('AWS::CloudFront::Distribution'))[0]!;
    const ids = (distribution['Metadata']['cdk_nag']['rules_to_suppress'] as { id: string }[]).map((r) => r.id);
    expect(ids.sort()).toEqual(['AwsSolutions-CFR1', 'AwsSolutions-CFR4']);
  });
});

describe('the first deployment (keys only)', () => {
  it('synthesises only the keys stack when there are no bundles yet', () => {
    const f = fixture();
    const built = buildApp({
      config: resolveConfig(f.document, f.dir),
      bundles: undefined,
      appProps: { outdir: `${f.dir}/out` },
    });
    expect(built.main).toBeUndefined();
    const stacks = built.app.node.children.filter((c): c is Stack => c instanceof Stack).map((c) => c.stackName);
    expect(stacks).toEqual(['EdgePassExample-keys']);
    expect(built.app).toBeInstanceOf(App);
  });
});
