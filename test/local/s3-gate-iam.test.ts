// The S3 gate enforces IAM as AWS would: the origin API role's identity policy, the bucket policy (TLS-only deny,
// CloudFront OAC grant scoped by aws:SourceArn), and 403-for-missing-keys without s3:ListBucket.
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUCKET, expectS3Error, fixedRolePolicy, startGateFixture, todaysRolePolicy } from './s3-gate-fixture.ts';
import type { GateFixture } from './s3-gate-fixture.ts';

describe("the S3 gate with today's origin API role", () => {
  let gate: GateFixture;
  beforeAll(async () => {
    gate = await startGateFixture({ rolePolicy: todaysRolePolicy() });
    await gate.seed('uploads/existing.txt', 'hello');
  });
  afterAll(() => gate.stop());

  it('refuses ListObjectsV2 (no s3:ListBucket on the bucket ARN)', async () => {
    const call = gate.client(gate.role).send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'uploads/' }));
    await expectS3Error(call, 403, 'AccessDenied');
  });

  it('refuses DeleteObject (no s3:DeleteObject)', async () => {
    const call = gate.client(gate.role).send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'uploads/existing.txt' }));
    await expectS3Error(call, 403, 'AccessDenied');
  });

  it('answers a HeadObject of a missing own key with 403, not 404', async () => {
    const call = gate.client(gate.role).send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'uploads/missing.txt' }));
    // A HEAD answer has no body, so there is no S3 error code: the SDK reports 'Unknown' (as it does with AWS).
    await expectS3Error(call, 403, 'Unknown');
  });

  it('answers a GetObject of a missing own key with 403 AccessDenied', async () => {
    const call = gate.client(gate.role).send(new GetObjectCommand({ Bucket: BUCKET, Key: 'uploads/missing.txt' }));
    await expectS3Error(call, 403, 'AccessDenied');
  });

  it('allows PutObject and GetObject under uploads/', async () => {
    const client = gate.client(gate.role);
    const put = await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'uploads/new.txt', Body: 'fresh' }));
    const got = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'uploads/new.txt' }));
    expect([put.$metadata.httpStatusCode, got.$metadata.httpStatusCode]).toEqual([200, 200]);
    expect(await got.Body?.transformToString()).toBe('fresh');
  });

  it('refuses PutObject outside uploads/', async () => {
    const call = gate.client(gate.role).send(new PutObjectCommand({ Bucket: BUCKET, Key: 'public/x.txt', Body: 'x' }));
    await expectS3Error(call, 403, 'AccessDenied');
  });

  it('refuses an unsigned GetObject (anonymous: the bucket policy allows no one)', async () => {
    const response = await fetch(`${gate.endpoint}/${BUCKET}/uploads/existing.txt`);
    expect(response.status).toBe(403);
    expect(await response.text()).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?><Error><Code>AccessDenied<\/Code>/);
  });

  it('refuses a request it cannot map and logs its shape without query values', async () => {
    const response = await fetch(`${gate.endpoint}/${BUCKET}/uploads/existing.txt?acl=secret-value`);
    expect(response.status).toBe(403);
    expect(gate.logs.at(-1)).toMatch(/ GET edgepass-media - - - deny 403 unmapped: GET object \?acl$/);
    expect(gate.logs.join('\n')).not.toContain('secret-value');
  });

  it('refuses a key containing * (the evaluator would read it as a pattern) and says so in the log', async () => {
    const call = gate
      .client(gate.role)
      .send(new PutObjectCommand({ Bucket: BUCKET, Key: 'uploads/a*b.txt', Body: 'x' }));
    await expectS3Error(call, 403, 'AccessDenied');
    expect(gate.logs.at(-1)).toMatch(/ deny 403 wildcard character in the resource$/);
  });

  it('logs method, bucket, kind, action, principal and decision', async () => {
    await gate.client(gate.role).send(new GetObjectCommand({ Bucket: BUCKET, Key: 'uploads/existing.txt' }));
    expect(gate.logs.at(-1)).toMatch(
      /^s3-gate [0-9A-F]{16} GET edgepass-media object s3:GetObject OriginApiRole allow 200$/,
    );
  });
});

describe('the S3 gate with a fixed origin API role (ListBucket on uploads/*, DeleteObject)', () => {
  let gate: GateFixture;
  beforeAll(async () => {
    gate = await startGateFixture({ rolePolicy: fixedRolePolicy() });
    await gate.seed('uploads/x/a.txt', 'a');
  });
  afterAll(() => gate.stop());

  it.each([
    ['ListObjects', (prefix: string) => new ListObjectsCommand({ Bucket: BUCKET, Prefix: prefix })],
    ['ListObjectsV2', (prefix: string) => new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix })],
  ])('allows %s with the prefix uploads/x/', async (_name, command) => {
    const out = await gate.client(gate.role).send(command('uploads/x/'));
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(out.Contents?.map((c) => c.Key)).toEqual(['uploads/x/a.txt']);
  });

  it('refuses ListObjectsV2 with the prefix public/', async () => {
    const call = gate.client(gate.role).send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'public/' }));
    await expectS3Error(call, 403, 'AccessDenied');
  });

  it('allows DeleteObject under uploads/ (204)', async () => {
    await gate.seed('uploads/doomed.txt', 'bye');
    const out = await gate
      .client(gate.role)
      .send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'uploads/doomed.txt' }));
    expect(out.$metadata.httpStatusCode).toBe(204);
  });

  it('answers a HeadObject of a missing key with 404', async () => {
    const call = gate.client(gate.role).send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'uploads/missing.txt' }));
    await expectS3Error(call, 404, 'NotFound');
  });
});

describe("the S3 gate and CloudFront's origin access control", () => {
  let gate: GateFixture;
  beforeAll(async () => {
    gate = await startGateFixture({ rolePolicy: todaysRolePolicy() });
    await gate.seed('attractions/clip.txt', 'frames');
    await gate.seed('uploads/passport.png', 'private');
  });
  afterAll(() => gate.stop());

  it('allows GetObject with this distribution as aws:SourceArn', async () => {
    const out = await gate
      .client(gate.cloudfront)
      .send(new GetObjectCommand({ Bucket: BUCKET, Key: 'attractions/clip.txt' }));
    expect(await out.Body?.transformToString()).toBe('frames');
    expect(gate.logs.at(-1)).toMatch(/ s3:GetObject cloudfront\.amazonaws\.com allow 200$/);
  });

  it("refuses GetObject with another distribution's ARN", async () => {
    const call = gate
      .client(gate.otherCloudfront)
      .send(new GetObjectCommand({ Bucket: BUCKET, Key: 'attractions/clip.txt' }));
    await expectS3Error(call, 403, 'AccessDenied');
  });

  it('refuses GetObject of an existing object outside the granted prefixes (an upload)', async () => {
    const call = gate
      .client(gate.cloudfront)
      .send(new GetObjectCommand({ Bucket: BUCKET, Key: 'uploads/passport.png' }));
    await expectS3Error(call, 403, 'AccessDenied');
    expect(gate.logs.at(-1)).toMatch(/ s3:GetObject cloudfront\.amazonaws\.com deny 403 implicit-deny$/);
  });

  it('refuses PutObject by CloudFront', async () => {
    const call = gate
      .client(gate.cloudfront)
      .send(new PutObjectCommand({ Bucket: BUCKET, Key: 'attractions/x.txt', Body: 'x' }));
    await expectS3Error(call, 403, 'AccessDenied');
  });
});

describe('the S3 gate without the aws:SecureTransport override', () => {
  let gate: GateFixture;
  beforeAll(async () => {
    gate = await startGateFixture({ rolePolicy: fixedRolePolicy(), context: {} });
    await gate.seed('uploads/existing.txt', 'hello');
  });
  afterAll(() => gate.stop());

  it.each([
    [
      'the role',
      'GetObject',
      (g: GateFixture) => g.client(g.role).send(new GetObjectCommand({ Bucket: BUCKET, Key: 'uploads/existing.txt' })),
    ],
    [
      'the role',
      'ListObjectsV2',
      (g: GateFixture) => g.client(g.role).send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'uploads/' })),
    ],
    [
      'CloudFront',
      'GetObject',
      (g: GateFixture) =>
        g.client(g.cloudfront).send(new GetObjectCommand({ Bucket: BUCKET, Key: 'uploads/existing.txt' })),
    ],
  ])('refuses %s %s over http with the explicit deny', async (_who, _what, call) => {
    await expectS3Error(call(gate), 403, 'AccessDenied');
    expect(gate.logs.at(-1)).toMatch(/ deny 403 explicit-deny$/);
  });
});
