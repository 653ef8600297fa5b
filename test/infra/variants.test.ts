// A minimal deployment in us-east-1 (no custom domain, no app origins, a web ACL, edge enforcement only), plus the
// keys-only first deployment: the optional settings really change the template, and nag stays clean.
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app.ts';
import { resolveConfig } from '../../infra/config/load.ts';
import { bucketCorsRules, fixture, makeMinimal, nagFindings, removeFixtures, synthesise, WEB_ACL } from './helpers.ts';
import type { Synthesised } from './helpers.ts';

type Json = Record<string, unknown>;

let s: Synthesised;
let main: Template;
let dist: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

beforeAll(async () => {
  const f = fixture();
  makeMinimal(f);
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

  it("allows only the CDN's own origin in the media bucket's CORS without app origins", () => {
    const media = Object.values(main.findResources('AWS::S3::Bucket')).find(
      (b) => b['Properties']['LoggingConfiguration'] !== undefined,
    );
    expect(media?.['Properties']['CorsConfiguration']).toEqual({
      CorsRules: bucketCorsRules(['https://cdn.example.test']),
    });
  });

  it('adds CORS to no response headers policy without app origins', () => {
    const policies = Object.values(main.findResources('AWS::CloudFront::ResponseHeadersPolicy'));
    expect(policies.length).toBeGreaterThan(0);
    expect(policies.filter((p) => p['Properties']['ResponseHeadersPolicyConfig']['CorsConfig'] !== undefined)).toEqual(
      [],
    );
  });

  it('gives the protected path its own policy without app origins: no CORS, the configured Cache-Control', () => {
    const behaviors = dist['CacheBehaviors'] as Json[];
    const ids = ['/attractions/*', '/_edgepass/*'].map(
      (pattern) => behaviors.find((b) => b['PathPattern'] === pattern)?.['ResponseHeadersPolicyId'],
    );
    // Without app origins the endpoints need nothing beyond the hardening headers of public content.
    expect(ids).toEqual([
      { Ref: expect.stringMatching(/^EdgePassProtectedHeadersPolicy/) },
      dist['DefaultCacheBehavior']['ResponseHeadersPolicyId'],
    ]);
    const config = main.toJSON()['Resources'][(ids[0] as { Ref: string }).Ref]['Properties'][
      'ResponseHeadersPolicyConfig'
    ] as Json;
    expect(config['CustomHeadersConfig']).toEqual({
      Items: [{ Header: 'Cache-Control', Value: 'private, max-age=300', Override: true }],
    });
  });

  it('has no key-group-restricted behaviour when every path is edge-enforced', () => {
    const behaviors = dist['CacheBehaviors'] as Json[];
    expect(behaviors.map((b) => b['PathPattern'])).toEqual(['/attractions/*', '/_edgepass/*', '/api/*']);
    expect(behaviors.every((b) => b['TrustedKeyGroups'] === undefined)).toBe(true);
  });

  it('passes cdk-nag with the TLS suppression (default certificate) and without the WAF one', () => {
    expect(nagFindings(s.built.app, 'error')).toEqual([]);
    expect(nagFindings(s.built.app, 'warning')).toEqual([]);
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
