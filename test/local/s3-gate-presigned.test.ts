// Presigned PUT and browser POST uploads through the S3 gate: authorised as the role that signed them, and still
// authenticated (s3rver verifies presigned URLs; the gate verifies POST policy signatures, which s3rver does not).
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUCKET, errorCode, startGateFixture, todaysRolePolicy } from './s3-gate-fixture.ts';
import type { GateFixture } from './s3-gate-fixture.ts';

const HOUR_MS = 3_600_000;

/** Changes the last hex digit of a signature: same length, different value. */
const tamper = (signature: string) => signature.slice(0, -1) + (signature.endsWith('0') ? '1' : '0');

async function presignedPut(gate: GateFixture, key: string): Promise<string> {
  return getSignedUrl(gate.client(gate.role), new PutObjectCommand({ Bucket: BUCKET, Key: key }), { expiresIn: 300 });
}

async function postForm(
  gate: GateFixture,
  key: string,
  edit: (fields: Record<string, string>) => void = () => undefined,
) {
  const post = await createPresignedPost(gate.client(gate.role), { Bucket: BUCKET, Key: key, Expires: 300 });
  edit(post.fields);
  const form = new FormData();
  for (const [name, value] of Object.entries(post.fields)) form.append(name, value);
  form.append('file', new Blob(['posted bytes'], { type: 'text/plain' }), 'clip.txt');
  return fetch(post.url, { method: 'POST', body: form });
}

describe('presigned requests through the S3 gate', () => {
  let gate: GateFixture;
  beforeAll(async () => {
    gate = await startGateFixture({ rolePolicy: todaysRolePolicy() });
  });
  afterAll(() => gate.stop());

  it('allows a presigned PUT by the role under uploads/', async () => {
    const response = await fetch(await presignedPut(gate, 'uploads/put.txt'), { method: 'PUT', body: 'put bytes' });
    expect(response.status).toBe(200);
  });

  it('refuses a presigned PUT by the role outside uploads/', async () => {
    const response = await fetch(await presignedPut(gate, 'public/put.txt'), { method: 'PUT', body: 'x' });
    expect([response.status, errorCode(await response.text())]).toEqual([403, 'AccessDenied']);
  });

  it('leaves authentication to s3rver: a tampered presigned PUT signature is refused', async () => {
    const url = new URL(await presignedPut(gate, 'uploads/tampered.txt'));
    url.searchParams.set('X-Amz-Signature', tamper(url.searchParams.get('X-Amz-Signature') ?? ''));
    const response = await fetch(url, { method: 'PUT', body: 'x' });
    expect([response.status, errorCode(await response.text())]).toEqual([403, 'SignatureDoesNotMatch']);
  });

  it('allows a presigned POST upload by the role under uploads/ and stores the posted bytes', async () => {
    const response = await postForm(gate, 'uploads/posted.txt');
    expect(response.status).toBe(204);
    const got = await gate.client(gate.role).send(new GetObjectCommand({ Bucket: BUCKET, Key: 'uploads/posted.txt' }));
    expect(await got.Body?.transformToString()).toBe('posted bytes');
    expect(gate.logs.at(-2)).toMatch(/ POST edgepass-media form s3:PutObject OriginApiRole allow 204$/);
  });

  it('refuses a presigned POST upload by the role outside uploads/', async () => {
    const response = await postForm(gate, 'public/posted.txt');
    expect([response.status, errorCode(await response.text())]).toEqual([403, 'AccessDenied']);
  });

  it('refuses a POST upload whose policy signature was tampered with', async () => {
    const response = await postForm(gate, 'uploads/forged.txt', (fields) => {
      fields['X-Amz-Signature'] = tamper(fields['X-Amz-Signature'] ?? '');
    });
    expect([response.status, errorCode(await response.text())]).toEqual([403, 'SignatureDoesNotMatch']);
  });

  it('refuses a POST upload that claims an access key id nobody has', async () => {
    const response = await postForm(gate, 'uploads/forged.txt', (fields) => {
      fields['X-Amz-Credential'] = (fields['X-Amz-Credential'] ?? '').replace(/^[^/]+/, 'AKIANOBODY');
    });
    expect([response.status, errorCode(await response.text())]).toEqual([403, 'InvalidAccessKeyId']);
  });

  it('never logs a signature or credential', () => {
    const logs = gate.logs.join('\n');
    expect(logs).not.toMatch(/X-Amz-|Signature=|AKIA/);
  });
});

describe('browser POST uploads beyond the gate', () => {
  it('refuses a form body over maxFormBytes with EntityTooLarge', async () => {
    const gate = await startGateFixture({ rolePolicy: todaysRolePolicy(), maxFormBytes: 4096 });
    try {
      const post = await createPresignedPost(gate.client(gate.role), { Bucket: BUCKET, Key: 'uploads/big.bin' });
      const form = new FormData();
      for (const [name, value] of Object.entries(post.fields)) form.append(name, value);
      form.append('file', new Blob([new Uint8Array(8192)]), 'big.bin');
      const response = await fetch(post.url, { method: 'POST', body: form });
      expect([response.status, errorCode(await response.text())]).toEqual([400, 'EntityTooLarge']);
    } finally {
      await gate.stop();
    }
  });

  it('refuses a POST upload whose policy has expired', async () => {
    const gate = await startGateFixture({ rolePolicy: todaysRolePolicy(), nowMs: () => Date.now() + 2 * HOUR_MS });
    try {
      const response = await postForm(gate, 'uploads/late.txt'); // its policy expires after 300 s
      const body = await response.text();
      expect([response.status, errorCode(body)]).toEqual([403, 'AccessDenied']);
      expect(body).toContain('<Message>Invalid according to Policy: Policy expired.</Message>');
    } finally {
      await gate.stop();
    }
  });
});
