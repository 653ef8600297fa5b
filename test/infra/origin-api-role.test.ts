// The origin API role as AWS would evaluate it: its synthesised S3 statements run through an IAM policy simulator
// (@cloud-copilot/iam-simulate; s3rver checks signatures, never IAM). What the API does works, nothing else does.
import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { edgePassTemplate, removeFixtures } from './helpers.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- CloudFormation templates are untyped JSON. */
type Json = Record<string, any>;

const ACCOUNT = '111122223333';
const BUCKET = 'arn:aws:s3:::edgepass-media';
const OWN = `${BUCKET}/uploads/b3duZXI/avatar.png`;

let policy: Json;

/** Replaces the bucket's `Fn::GetAtt … Arn` with BUCKET and joins `Fn::Join`: the policy as IAM sees it. */
function resolve(value: unknown, bucketId: string): unknown {
  if (Array.isArray(value)) return value.map((v) => resolve(v, bucketId));
  if (typeof value !== 'object' || value === null) return value;
  const json = value as Json;
  const getAtt = json['Fn::GetAtt'] as unknown[] | undefined;
  if (getAtt?.[0] === bucketId && getAtt[1] === 'Arn') return BUCKET;
  const join = json['Fn::Join'] as [string, unknown[]] | undefined;
  if (join !== undefined) return join[1].map((v) => resolve(v, bucketId)).join(join[0]);
  return Object.fromEntries(Object.entries(json).map(([k, v]) => [k, resolve(v, bucketId)]));
}

function rolePolicy(template: Template): Json {
  const resources = template.toJSON()['Resources'] as Json;
  const [bucketId] = Object.entries(resources).find(
    ([, r]) => r['Type'] === 'AWS::S3::Bucket' && r['Properties']['LoggingConfiguration'] !== undefined,
  )!;
  const [roleId] = Object.entries(resources).find(
    ([, r]) => r['Type'] === 'AWS::IAM::Role' && String(r['Properties']['Description']).includes('origin API'),
  )!;
  const statements = Object.values(resources)
    .filter((r) => r['Type'] === 'AWS::IAM::Policy' && r['Properties']['Roles'][0]['Ref'] === roleId)
    .flatMap((r) => r['Properties']['PolicyDocument']['Statement'] as Json[])
    // The S3 statements (and any that could grant S3); the log group statement names no S3 resource.
    .filter((st) => [st['Action']].flat().some((a: string) => a === '*' || a.startsWith('s3:')));
  return { Version: '2012-10-17', Statement: resolve(statements, bucketId) };
}

async function decide(action: string, resource: string, context: Record<string, string> = {}): Promise<string> {
  const result = await runSimulation(
    {
      identityPolicies: [{ name: 'origin-api', policy }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      request: {
        action,
        principal: `arn:aws:iam::${ACCOUNT}:role/origin-api`,
        resource: { accountId: ACCOUNT, resource },
        contextVariables: context,
      },
    },
    {},
  );
  if (result.resultType === 'error') return `error: ${JSON.stringify(result.errors)}`;
  if (result.resultType !== 'single') return result.resultType;
  // A context key the simulator drops (not valid for the action) would make a condition test meaningless.
  expect(result.result.ignoredContextKeys).toEqual([]);
  return result.overallResult;
}

beforeAll(() => {
  policy = rolePolicy(edgePassTemplate({}));
});
afterAll(removeFixtures);

describe('origin API role, simulated', () => {
  it.each([
    ['ListObjects of the caller folder', 's3:ListBucket', BUCKET, { 's3:prefix': 'uploads/b3duZXI/' }],
    ['GetObject (and HeadObject) of an own file', 's3:GetObject', OWN, {}],
    ['PutObject of an upload', 's3:PutObject', OWN, {}],
    ['DeleteObject of an own file', 's3:DeleteObject', OWN, {}],
  ])('allows %s', async (_what, action, resource, context) => {
    expect(await decide(action, resource, context)).toBe('Allowed');
  });

  it.each([
    ['listing the whole bucket', 's3:ListBucket', BUCKET, {}],
    ['listing protected media', 's3:ListBucket', BUCKET, { 's3:prefix': 'attractions/' }],
    ['listing a look-alike prefix', 's3:ListBucket', BUCKET, { 's3:prefix': 'uploads-old/' }],
    ['reading protected media', 's3:GetObject', `${BUCKET}/attractions/42/intro.mp4`, {}],
    ['overwriting public content', 's3:PutObject', `${BUCKET}/public/index.html`, {}],
    ['deleting public content', 's3:DeleteObject', `${BUCKET}/public/index.html`, {}],
    ['deleting an old version (versioning keeps deletions recoverable)', 's3:DeleteObjectVersion', OWN, {}],
    ['changing the bucket CORS', 's3:PutBucketCORS', BUCKET, {}],
    ['writing to another bucket', 's3:PutObject', 'arn:aws:s3:::other-bucket/uploads/x', {}],
  ])('denies %s', async (_what, action, resource, context) => {
    expect(await decide(action, resource, context)).toBe('ImplicitlyDenied');
  });
});
