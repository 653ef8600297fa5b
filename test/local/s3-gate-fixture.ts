// Test fixture: a real, SigV4-checking s3rver behind the S3 gate, both on free loopback ports, with policies shaped
// exactly like the synthesized template's (resolved to literals) and freshly generated key pairs per start.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { expect } from 'vitest';
import { listenOn } from '../../local/listen.ts';
import { localS3Client, startLocalS3 } from '../../local/s3.ts';
import { stripBucketSlash } from '../../origin-api/s3rver-compat.ts';
import { createS3Gate } from '../../local/s3-gate/index.ts';
import type { CorsRule, GateBucket, PolicyDocument } from '../../local/s3-gate/index.ts';

export const ACCOUNT = '000000000000';
export const BUCKET = 'edgepass-media';
export const BUCKET_ARN = `arn:aws:s3:::${BUCKET}`;
export const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/OriginApiRole`;
export const DISTRIBUTION_ARN = `arn:aws:cloudfront::${ACCOUNT}:distribution/ELOCAL`;
export const OTHER_DISTRIBUTION_ARN = `arn:aws:cloudfront::${ACCOUNT}:distribution/EOTHER`;
export const SECURE_TRANSPORT = { 'aws:SecureTransport': 'true' } as const;

/**
 * CDK's `enforceSSL` statement plus the OAC read grant of the served prefixes (the public folder and the protected
 * path), as the template's AWS::S3::BucketPolicy has them; test/local/template.test.ts runs the template's own.
 */
export function bucketPolicy(bucketArn = BUCKET_ARN): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 's3:*',
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
      {
        Effect: 'Allow',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Action: 's3:GetObject',
        Resource: [`${bucketArn}/public/*`, `${bucketArn}/attractions/*`],
        Condition: { StringEquals: { 'AWS:SourceArn': DISTRIBUTION_ARN } },
      },
    ],
  };
}

/** The origin API role's policy in today's template. */
export function todaysRolePolicy(): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: ['s3:PutObject', 's3:GetObject'], Resource: `${BUCKET_ARN}/uploads/*` }],
  };
}

/** What the role needs for listing and deleting its own prefix. */
export function fixedRolePolicy(): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject'],
        Resource: `${BUCKET_ARN}/uploads/*`,
      },
      {
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: BUCKET_ARN,
        Condition: { StringLike: { 's3:prefix': 'uploads/*' } },
      },
    ],
  };
}

export interface KeyPair {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export function keyPair(): KeyPair {
  return {
    accessKeyId: `AKIA${randomBytes(8).toString('hex').toUpperCase()}`,
    secretAccessKey: randomBytes(30).toString('base64'),
  };
}

export interface GateFixture {
  readonly endpoint: string;
  readonly role: KeyPair;
  /** CloudFront OAC of this stack's distribution, and of another distribution. */
  readonly cloudfront: KeyPair;
  readonly otherCloudfront: KeyPair;
  readonly logs: string[];
  /** A path-style client through the gate, with the origin API's s3rver bucket-slash fix (s3rver-compat.ts). */
  client(keys: KeyPair): S3Client;
  /** Writes straight to s3rver (test setup, not through the gate). */
  seed(key: string, body: string, bucket?: string): Promise<void>;
  stop(): Promise<void>;
}

export interface GateFixtureOptions {
  readonly rolePolicy: PolicyDocument;
  /** The media bucket's name and policy (default: BUCKET with `bucketPolicy()`), e.g. as a template has them. */
  readonly media?: { readonly name: string; readonly policy: PolicyDocument | undefined };
  /** The aws:SourceArn of `cloudfront` (default DISTRIBUTION_ARN). */
  readonly distributionArn?: string;
  /** Context overrides; the default is the documented loopback override of aws:SecureTransport. */
  readonly context?: Record<string, string>;
  /** Extra buckets beside BUCKET (which gets `corsRules`). */
  readonly corsRules?: readonly CorsRule[];
  readonly extraBuckets?: readonly { name: string; corsRules: readonly CorsRule[] }[];
  /** CORS configs given to s3rver itself, to prove the gate strips what s3rver adds. */
  readonly s3rverCorsXml?: string;
  readonly maxFormBytes?: number;
  readonly nowMs?: () => number;
}

export async function startGateFixture(options: GateFixtureOptions): Promise<GateFixture> {
  const directory = await mkdtemp(join(tmpdir(), 'edgepass-s3-gate-'));
  const extra = options.extraBuckets ?? [];
  const media = options.media?.name ?? BUCKET;
  const configs = options.s3rverCorsXml === undefined ? [] : [options.s3rverCorsXml];
  const s3 = await startLocalS3({
    directory,
    port: 0,
    buckets: [media, ...extra.map((b) => b.name)].map((name) => ({ name, configs })),
  });
  const [role, cloudfront, otherCloudfront] = [keyPair(), keyPair(), keyPair()];
  const bucket = (name: string, corsRules: readonly CorsRule[]): GateBucket => {
    const arn = `arn:aws:s3:::${name}`;
    const policy = name === media && options.media !== undefined ? options.media.policy : bucketPolicy(arn);
    return { name, arn, policy, corsRules };
  };
  const logs: string[] = [];
  const gate = await createS3Gate({
    upstream: { host: '127.0.0.1', port: s3.port },
    accountId: ACCOUNT,
    buckets: [bucket(media, options.corsRules ?? []), ...extra.map((b) => bucket(b.name, b.corsRules))],
    principals: [
      {
        kind: 'role',
        arn: ROLE_ARN,
        ...role,
        identityPolicies: [{ name: 'OriginApiPolicy', policy: options.rolePolicy }],
      },
      {
        kind: 'service',
        service: 'cloudfront.amazonaws.com',
        ...cloudfront,
        sourceArn: options.distributionArn ?? DISTRIBUTION_ARN,
      },
      { kind: 'service', service: 'cloudfront.amazonaws.com', ...otherCloudfront, sourceArn: OTHER_DISTRIBUTION_ARN },
    ],
    context: options.context ?? SECURE_TRANSPORT,
    ...(options.maxFormBytes === undefined ? {} : { maxFormBytes: options.maxFormBytes }),
    ...(options.nowMs === undefined ? {} : { nowMs: options.nowMs }),
    log: (line) => logs.push(line),
  });
  const port = await listenOn(gate.server, 0, '127.0.0.1', 'S3_GATE_PORT');
  const endpoint = `http://127.0.0.1:${port}`;
  const clients: S3Client[] = [];
  return {
    endpoint,
    role,
    cloudfront,
    otherCloudfront,
    logs,
    client(keys) {
      const client = localS3Client(endpoint, keys);
      client.middlewareStack.add(stripBucketSlash(media), stripBucketSlash.step);
      clients.push(client);
      return client;
    },
    async seed(key, body, bucketName = media) {
      const direct = localS3Client(s3.endpoint);
      await direct.send(new PutObjectCommand({ Bucket: bucketName, Key: key, Body: body }));
      direct.destroy();
    },
    async stop() {
      for (const client of clients) client.destroy();
      await gate.close();
      await s3.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/** Awaits an SDK call that must fail, and checks S3's status and error code. */
export async function expectS3Error(call: Promise<unknown>, status: number, code: string): Promise<void> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e as { name?: string; $metadata?: { httpStatusCode?: number } },
  );
  expect(error, 'the call should have failed').toBeDefined();
  expect({ status: error?.$metadata?.httpStatusCode, code: error?.name }).toEqual({ status, code });
}

/** The `<Code>` of an S3 XML error body. */
export function errorCode(xml: string): string | undefined {
  return /<Code>([^<]*)<\/Code>/.exec(xml)?.[1];
}
