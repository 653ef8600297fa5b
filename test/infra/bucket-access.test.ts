// What CloudFront can read from the media bucket, worked out from the synthesized template alone: the bucket
// policy's grants to CloudFront, and for every behaviour on an S3 origin the keys it can reach (origin path + path
// pattern). Served behaviours stay inside the grants; `/_edgepass/*` and the uploads prefix stay outside them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EdgePassProps } from '../../infra/edge-pass.ts';
import { edgePassTemplate, removeFixtures } from './helpers.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- CloudFormation templates are untyped JSON. */
type Json = Record<string, any>;

afterAll(removeFixtures);

/** Fn::Join / Fn::GetAtt / Ref rendered to text, a resource named as `<LogicalId>`. */
function render(value: unknown): string {
  if (typeof value === 'string') return value;
  const o = value as Json;
  if (o['Fn::Join'] !== undefined) {
    const [separator, parts] = o['Fn::Join'] as [string, unknown[]];
    return parts.map(render).join(separator);
  }
  if (o['Fn::GetAtt'] !== undefined) return `<${(o['Fn::GetAtt'] as string[])[0]}>`;
  if (o['Ref'] !== undefined) return `<${o['Ref'] as string}>`;
  throw new Error(`cannot render ${JSON.stringify(value)}`);
}

const list = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
const overlap = (a: string, b: string): boolean => a.startsWith(b) || b.startsWith(a);

interface Access {
  /** Key prefixes CloudFront may read (`''` is the whole bucket). */
  readonly granted: string[];
  /** Every behaviour on a media bucket origin, with the key prefix its requests map to. */
  readonly reachable: { readonly pattern: string; readonly keyPrefix: string }[];
}

function cloudFrontAccess(template: Json): Access {
  const resources = Object.entries(template['Resources'] as Record<string, Json>);
  const [bucketId] = resources.find(
    ([, r]) => r['Type'] === 'AWS::S3::Bucket' && r['Properties']?.['LoggingConfiguration'],
  )!;
  const policy = resources.find(
    ([, r]) => r['Type'] === 'AWS::S3::BucketPolicy' && r['Properties']['Bucket']['Ref'] === bucketId,
  )![1];
  const granted: string[] = [];
  for (const statement of policy['Properties']['PolicyDocument']['Statement'] as Json[]) {
    if (statement['Effect'] !== 'Allow' || statement['Principal']?.['Service'] !== 'cloudfront.amazonaws.com') continue;
    expect(list(statement['Action'])).toEqual(['s3:GetObject']);
    for (const resource of list(statement['Resource']).map(render)) {
      const match = new RegExp(`^<${bucketId}>/([^*]*)\\*$`).exec(resource);
      if (match === null) throw new Error(`CloudFront may read ${resource}, not a key prefix of the media bucket`);
      granted.push(match[1]!);
    }
  }
  const dist = resources.find(([, r]) => r['Type'] === 'AWS::CloudFront::Distribution')![1]['Properties'];
  const config = dist['DistributionConfig'] as Json;
  const origins = new Map((config['Origins'] as Json[]).map((o) => [o['Id'] as string, o]));
  const behaviours = [{ ...config['DefaultCacheBehavior'], PathPattern: '*' }, ...(config['CacheBehaviors'] as Json[])];
  const reachable = [];
  for (const b of behaviours) {
    const origin = origins.get(b['TargetOriginId'] as string)!;
    if (origin['DomainName']?.['Fn::GetAtt']?.[0] !== bucketId) continue;
    const pattern = b['PathPattern'] as string;
    // Only `*` or `/prefix/*`: a wildcard elsewhere would need more than a prefix to describe what it reaches.
    expect(pattern).toMatch(/^(?:\*|\/(?:[^*?]+\/)\*)$/);
    const path = `${(origin['OriginPath'] as string | undefined) ?? ''}/${pattern === '*' ? '' : pattern.slice(1, -1)}`;
    reachable.push({ pattern, keyPrefix: path.slice(1) });
  }
  return { granted, reachable };
}

const variants: [string, Partial<EdgePassProps>, string][] = [
  ['the defaults', {}, 'uploads/'],
  [
    'a custom public folder, two protected paths (one native) and a nested uploads prefix',
    {
      publicOriginPath: '/site/www',
      protectedPaths: [
        { prefix: '/attractions/', enforcement: 'edge' },
        { prefix: '/media/replays/', enforcement: 'native' },
      ],
      originApiPrefix: 'inbox/files/',
    },
    'inbox/files/',
  ],
];

describe.each(variants)('what CloudFront may read from the media bucket, with %s', (_name, props, uploads) => {
  let access: Access;
  let served: Access['reachable'];
  beforeAll(() => {
    access = cloudFrontAccess(edgePassTemplate({ ...props, originApiPrefix: uploads }).toJSON());
    served = access.reachable.filter((r) => r.pattern !== '/_edgepass/*');
  });

  it('grants object prefixes only, never the whole bucket', () => {
    expect(access.granted.length).toBeGreaterThan(0);
    expect(access.granted).not.toContain('');
    for (const prefix of access.granted) expect(prefix).toMatch(/^[^/].*\/$/);
  });

  it('never grants the origin API uploads prefix, nor anything inside or around it', () => {
    expect(access.granted.filter((prefix) => overlap(prefix, uploads))).toEqual([]);
  });

  it('keeps every key a served behaviour can reach inside a granted prefix', () => {
    expect(served.map((r) => r.pattern)).toEqual(
      expect.arrayContaining([
        '*',
        ...(props.protectedPaths ?? [{ prefix: '/attractions/' }]).map((p) => `${p.prefix}*`),
      ]),
    );
    for (const { pattern, keyPrefix } of served) {
      expect(
        access.granted.some((prefix) => keyPrefix.startsWith(prefix)),
        `${pattern} → ${keyPrefix}`,
      ).toBe(true);
    }
  });

  it('sends /_edgepass/* to keys no grant covers, so S3 refuses whatever the authorizer lets through', () => {
    const gate = access.reachable.find((r) => r.pattern === '/_edgepass/*');
    expect(gate).toBeDefined();
    expect(access.granted.filter((prefix) => overlap(prefix, gate!.keyPrefix))).toEqual([]);
  });
});
