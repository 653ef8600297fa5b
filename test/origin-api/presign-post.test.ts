// Presigned POST: no local server enforces POST policies, so the policy document is decoded and its conditions
// asserted, and the signature is recomputed with SigV4's key derivation to show it signs exactly that policy.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3 } from '../helpers/s3.ts';
import type { LocalS3 } from '../helpers/s3.ts';
import { MAX_PASSPORT_BYTES, apiRequest, appFor, bearer, parseBody, passportUpload, signToken } from './fixtures.ts';

let s3: LocalS3;
const nowMs = Date.UTC(2026, 10, 29, 1, 2, 3);

interface PostGrant {
  method: string;
  url: string;
  fields: Record<string, string>;
  key: string;
  expiresAt: string;
}

async function postGrant(over: Record<string, unknown> = {}): Promise<PostGrant> {
  const app = appFor({ s3, nowMs });
  const json = passportUpload({ method: 'POST', ...over });
  const response = await app.handle(
    apiRequest({ method: 'POST', path: '/api/uploads', headers: bearer(await signToken({ nowMs })), json }),
  );
  expect(response.status).toBe(201);
  return parseBody(response.body) as unknown as PostGrant;
}

const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();

beforeAll(async () => {
  s3 = await startS3({ buckets: ['media'] });
});
afterAll(async () => {
  await s3.stop();
});

describe('presigned POST', () => {
  it('returns a form whose policy pins the key, the type and a content-length-range', async () => {
    const grant = await postGrant();
    expect(grant.method).toBe('POST');
    expect(grant.url).toBe(`${s3.endpoint}/media`);
    expect(grant.fields.key).toBe(grant.key);
    expect(grant.fields['Content-Type']).toBe('image/jpeg');
    const policy = JSON.parse(Buffer.from(grant.fields.Policy!, 'base64').toString('utf8')) as {
      expiration: string;
      conditions: unknown[];
    };
    expect(policy.expiration).toBe('2026-11-29T01:03:03Z');
    expect(grant.expiresAt).toBe('2026-11-29T01:03:03.000Z');
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        ['content-length-range', 1, MAX_PASSPORT_BYTES],
        ['eq', '$Content-Type', 'image/jpeg'],
        { key: grant.key },
        { bucket: 'media' },
        { 'X-Amz-Algorithm': 'AWS4-HMAC-SHA256' },
        { 'X-Amz-Date': '20261129T010203Z' },
        { 'X-Amz-Credential': 'S3RVER/20261129/us-east-1/s3/aws4_request' },
      ]),
    );
    // Nothing else: no starts-with on the key, no open-ended condition a browser could satisfy differently.
    expect(policy.conditions).toHaveLength(8);
  });

  it('signs the policy with the SigV4 key for its date, region and service', async () => {
    const { fields } = await postGrant();
    const key = ['20261129', 'us-east-1', 's3', 'aws4_request'].reduce<Buffer | string>(
      (k, part) => hmac(k, part),
      `AWS4${s3.credentials.secretAccessKey}`,
    );
    expect(fields['X-Amz-Signature']).toBe(hmac(key, fields.Policy!).toString('hex'));
  });

  it('takes the range from the purpose, not from the declared length, and needs no length', async () => {
    const grant = await postGrant({ contentLength: undefined, purpose: 'avatar', contentType: 'image/webp' });
    const policy = JSON.parse(Buffer.from(grant.fields.Policy!, 'base64').toString('utf8')) as {
      conditions: unknown[];
    };
    expect(policy.conditions).toContainEqual(['content-length-range', 1, 100_000]);
    expect(policy.conditions).toContainEqual(['eq', '$Content-Type', 'image/webp']);
  });

  it('still refuses a declared length over the purpose limit', async () => {
    const app = appFor({ s3, nowMs });
    const json = passportUpload({ method: 'POST', contentLength: MAX_PASSPORT_BYTES + 1 });
    const response = await app.handle(
      apiRequest({ method: 'POST', path: '/api/uploads', headers: bearer(await signToken({ nowMs })), json }),
    );
    expect(response.status).toBe(413);
    expect(parseBody(response.body).code).toBe('upload_too_large');
  });
});
