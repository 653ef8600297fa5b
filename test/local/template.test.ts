// The local stack reads its rules from the real synthesized template of the local configuration: behaviours in
// order, policies, edge code, the bucket's CORS and policy (run by the S3 gate here), the function URL's permissions
// and role. One synthesis.
import { existsSync, lstatSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_AUTH_FUNCTION_CODE } from '../../infra/api-auth-function.ts';
import { ensureDevState } from '../../local/dev-state.ts';
import { stackConfig } from '../../local/stack-config.ts';
import { readDistribution } from '../../local/template/distribution.ts';
import type { DistributionModel } from '../../local/template/distribution.ts';
import { localIds, readBuckets, readFunctionUrls } from '../../local/template/services.ts';
import { assetFolder, synthLocal } from '../../local/template/synth.ts';
import type { Synthesized } from '../../local/template/synth.ts';
import { LOCAL_ACCOUNT_ID } from '../../local/template/intrinsics.ts';
import { expectS3Error, startGateFixture, todaysRolePolicy } from './s3-gate-fixture.ts';
import type { GateFixture } from './s3-gate-fixture.ts';

let dir: string;
let document: Record<string, unknown>;
let synth: Synthesized;
let model: DistributionModel;
const ids = localIds('us-east-1');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'edgepass-template-'));
  document = stackConfig(ensureDevState(dir).config, ['http://localhost:5173']).document;
  synth = await synthLocal(document, dir);
  model = readDistribution(synth.template);
}, 120_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const behaviour = (pattern: string) => model.behaviours.find((b) => b.pathPattern === pattern);

describe('the local synthesis', () => {
  it('makes no regional monitoring stack (monitoring.regions is empty); the main template keeps its alarms', () => {
    const templates = readdirSync(synth.assemblyDir).filter((name) => name.endsWith('.template.json'));
    expect(templates.sort()).toEqual(['EdgePassLocal-keys.template.json', 'EdgePassLocal.template.json']);
    const types = Object.values(synth.template.Resources).map((r) => r.Type);
    expect(types).toEqual(expect.arrayContaining(['AWS::CloudWatch::Alarm', 'AWS::CloudWatch::Dashboard']));
  });
});

describe('the distribution read from the template', () => {
  it('has the deployed behaviours in CloudFront order, the default last', () => {
    expect(model.behaviours.map((b) => b.pathPattern)).toEqual(['/attractions/*', '/_edgepass/*', '/api/*', '*']);
  });

  it('runs the built edge bundle (a Lambda@Edge asset) on protected paths and /_edgepass/*', () => {
    for (const pattern of ['/attractions/*', '/_edgepass/*']) {
      expect(behaviour(pattern)?.viewerRequest).toMatchObject({ kind: 'lambda-edge', handler: 'index.handler' });
    }
  });

  it('runs the CloudFront Function whose code infra wrote on /api/*', () => {
    expect(behaviour('/api/*')?.viewerRequest).toEqual({
      kind: 'cloudfront-function',
      name: expect.any(String) as string,
      code: API_AUTH_FUNCTION_CODE,
      runtime: 'cloudfront-js-2.0',
    });
  });

  it('serves the default behaviour from the bucket under /public, signed by origin access control', () => {
    expect(behaviour('*')).toMatchObject({ origin: { kind: 's3', originPath: '/public' }, originAccessControl: true });
    expect(behaviour('*')?.viewerRequest).toBeUndefined();
  });

  it('forwards only the listed headers, no cookies and every query string to the function URL', () => {
    const api = behaviour('/api/*');
    expect(api?.origin.kind).toBe('lambda-url');
    expect(api?.forward.cookies).toEqual([]);
    expect(api?.forward.queryStrings).toEqual([{ behavior: 'all', names: [] }]);
    expect(api?.forward.headers[0]?.behavior).toBe('whitelist');
    expect(api?.forward.headers[0]?.names).toContain('x-edgepass-authorization');
    expect(api?.forward.headers[0]?.names).not.toContain('authorization');
  });

  it("adds Cache-Control: private, no-cache over the origin's on protected media, not on /_edgepass/* or public content", () => {
    expect(behaviour('/attractions/*')?.responseHeaders?.headers).toContainEqual([
      'Cache-Control',
      'private, no-cache',
      true,
    ]);
    for (const pattern of ['/_edgepass/*', '*']) {
      expect(
        behaviour(pattern)?.responseHeaders?.headers.map(([name]) => name),
        pattern,
      ).not.toContain('Cache-Control');
    }
  });

  it('forwards neither cookies nor query strings to S3 on protected paths', () => {
    const media = behaviour('/attractions/*');
    expect(media?.forward.cookies).toEqual([]);
    expect(media?.forward.queryStrings).toEqual([]);
  });
});

describe('the services read from the template', () => {
  it('finds the media bucket with its policy: TLS only, CloudFront reads through this distribution only', () => {
    const media = readBuckets(synth.template, ids).find((b) => b.logicalId.includes('MediaBucket'));
    const statements = JSON.stringify(media?.policy?.Statement);
    expect(statements).toContain('"aws:SecureTransport":"false"');
    expect(statements).toContain(`"AWS:SourceArn":"arn:aws:cloudfront::000000000000:distribution/${model.id}"`);
  });

  it('finds the origin API behind its function URL, with the template environment and its role', () => {
    const [api] = readFunctionUrls(synth.template, ids);
    expect(api?.authType).toBe('AWS_IAM');
    expect(api?.environment['EDGEPASS_BUCKET']).toMatch(/^edgepassmediabucket/);
    expect(JSON.parse(api?.environment['EDGEPASS_CONFIG_JSON'] ?? '{}')).toHaveProperty(
      'originApi.keyPrefix',
      'uploads/',
    );
    expect(api?.role.policies.length).toBeGreaterThan(0);
    expect(api?.resourcePolicy.Statement.map((s) => s['Action'])).toEqual(
      expect.arrayContaining(['lambda:InvokeFunctionUrl', 'lambda:InvokeFunction']),
    );
  });
});

/** Every path under `root` whose mode lets anyone but the owner in, and every file found (for the assertion). */
function openPaths(root: string): { open: string[]; files: string[] } {
  const open: string[] = [];
  const files: string[] = [];
  const visit = (path: string) => {
    const stat = lstatSync(path);
    if ((stat.mode & 0o077) !== 0) open.push(path.slice(root.length));
    if (stat.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
    else files.push(path.slice(root.length));
  };
  visit(root);
  return { open, files };
}

describe('the synthesis on disk', () => {
  it('keeps the template folder to its owner: bundles, the asset copies of the edge bundle, the whole assembly', () => {
    const { open, files } = openPaths(join(dir, 'template'));
    expect(files).toEqual(
      expect.arrayContaining([
        '/bundles/edge/index.mjs',
        expect.stringMatching(/^\/cdk\.out\/asset\.[0-9a-f]+\/index\.mjs$/),
      ]),
    );
    expect(open).toEqual([]);
  });
});

describe("CloudFront's reads, as the S3 gate enforces the template's bucket policy", () => {
  const READABLE = ['public/welcome.txt', 'attractions/giants-causeway/basalt.png'];
  const UPLOAD = 'uploads/alice/passport.png';
  let gate: GateFixture;
  let bucket: string;
  beforeAll(async () => {
    const media = readBuckets(synth.template, ids).find((b) => b.logicalId.includes('MediaBucket'))!;
    bucket = media.name;
    gate = await startGateFixture({
      rolePolicy: todaysRolePolicy(),
      media: { name: media.name, policy: media.policy },
      // What local-aws.ts gives the emulator's CloudFront principal.
      distributionArn: `arn:aws:cloudfront::${LOCAL_ACCOUNT_ID}:distribution/${model.id}`,
    });
    for (const key of [...READABLE, UPLOAD, '_edgepass/_edgepass/grant']) await gate.seed(key, key);
  });
  afterAll(() => gate.stop());

  const read = (key: string) => gate.client(gate.cloudfront).send(new GetObjectCommand({ Bucket: bucket, Key: key }));

  it.each(READABLE)('lets CloudFront read %s (a served prefix)', async (key) => {
    const out = await read(key);
    expect(await out.Body?.transformToString()).toBe(key);
  });

  it.each([
    ['an uploaded object', UPLOAD],
    ["the closed origin's folder that /_edgepass/* reads", '_edgepass/_edgepass/grant'],
  ])('refuses CloudFront %s, though it exists', async (_what, key) => {
    await expectS3Error(read(key), 403, 'AccessDenied');
    expect(gate.logs.at(-1)).toMatch(/ s3:GetObject cloudfront\.amazonaws\.com deny 403 implicit-deny$/);
  });
});

describe('reusing a synthesis', () => {
  it('reuses the template when neither the config nor the code changed', async () => {
    const again = await synthLocal(document, dir);
    expect(again.reused).toBe(true);
    expect(again.template).toEqual(synth.template);
  });

  it('synthesizes again when the config changes', async () => {
    const changed = stackConfig(ensureDevState(dir).config, ['http://localhost:5174']).document;
    const again = await synthLocal(changed, dir);
    expect(again.reused).toBe(false);
    expect(JSON.stringify(again.template)).toContain('http://localhost:5174');
    // In the same process as the first synthesis (a stack restarted on another port does this): every function's
    // asset folder holds its code, not a stale path from CDK's asset cache of the removed synthesis.
    const functions = Object.values(again.template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function');
    expect(functions.length).toBeGreaterThan(0);
    for (const fn of functions) {
      const props = fn.Properties as { Code: { S3Key?: string }; Handler: string };
      if (props.Code.S3Key === undefined) continue;
      const code = join(assetFolder(again.assemblyDir, props.Code.S3Key), `${props.Handler.split('.')[0] ?? ''}.mjs`);
      expect(existsSync(code), code).toBe(true);
    }
  }, 120_000);
});
