// Bucket CORS through the S3 gate, as S3 evaluates it: the first rule matching origin, method and every requested
// header; preflights answered by the gate itself; CORS headers on actual responses only for a matching origin.
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CorsRule } from '../../local/s3-gate/index.ts';
import { BUCKET, errorCode, startGateFixture, todaysRolePolicy } from './s3-gate-fixture.ts';
import type { GateFixture } from './s3-gate-fixture.ts';

const APP = 'https://app.example.test';
const CDN = 'https://cdn.example.test';
/** An s3rver CORS configuration that answers every origin (the gate must strip what s3rver adds). */
const S3RVER_CORS_ANY_ORIGIN =
  '<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod>' +
  '<AllowedMethod>HEAD</AllowedMethod><AllowedMethod>PUT</AllowedMethod><AllowedHeader>*</AllowedHeader>' +
  '<ExposeHeader>ETag</ExposeHeader></CORSRule></CORSConfiguration>';
const VARY = 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method';
const NOT_ALLOWED =
  "<Code>AccessForbidden</Code><Message>CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.</Message>";

/** The upload rule as infra/storage.ts synthesizes it (CloudFormation shape). */
const uploadRule: CorsRule = {
  AllowedOrigins: [APP],
  AllowedMethods: ['PUT', 'POST'],
  AllowedHeaders: ['content-type', 'x-amz-*'],
  ExposedHeaders: ['ETag'],
  MaxAge: 600,
};
const readRule: CorsRule = {
  AllowedOrigins: ['https://*.example.test'],
  AllowedMethods: ['GET', 'HEAD'],
  ExposedHeaders: ['ETag'],
};

function preflight(gate: GateFixture, path: string, headers: Record<string, string>) {
  return fetch(`${gate.endpoint}${path}`, { method: 'OPTIONS', headers });
}

/** The CORS headers of a response, by lower-case name. */
function corsHeadersOf(response: Response): Record<string, string> {
  const out: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (name.startsWith('access-control-') || name === 'vary') out[name] = value;
  });
  return out;
}

describe('bucket CORS through the S3 gate', () => {
  let gate: GateFixture;
  beforeAll(async () => {
    gate = await startGateFixture({
      rolePolicy: todaysRolePolicy(),
      corsRules: [uploadRule, readRule],
      extraBuckets: [
        { name: 'edgepass-public', corsRules: [{ AllowedOrigins: ['*'], AllowedMethods: ['GET'] }] },
        { name: 'edgepass-nocors', corsRules: [] },
      ],
      // s3rver itself would answer every origin: the gate must strip what s3rver adds.
      s3rverCorsXml: S3RVER_CORS_ANY_ORIGIN,
    });
    await gate.seed('uploads/clip.txt', 'frames');
  });
  afterAll(() => gate.stop());

  it('answers an allowed preflight itself with exactly the rule’s headers', async () => {
    const response = await preflight(gate, `/${BUCKET}/uploads/new.txt`, {
      Origin: APP,
      'Access-Control-Request-Method': 'PUT',
      'Access-Control-Request-Headers': 'Content-Type, x-amz-meta-title',
    });
    expect(response.status).toBe(200);
    expect(corsHeadersOf(response)).toEqual({
      'access-control-allow-origin': APP,
      'access-control-allow-methods': 'PUT, POST',
      'access-control-allow-headers': 'content-type, x-amz-meta-title',
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': 'ETag',
      'access-control-max-age': '600',
      vary: VARY,
    });
    expect(gate.logs.at(-1)).toMatch(/ OPTIONS edgepass-media object - - cors-preflight 200$/);
  });

  it.each([
    ['an unlisted origin', { Origin: 'https://evil.test', 'Access-Control-Request-Method': 'PUT' }],
    ['a method not in the rule', { Origin: APP, 'Access-Control-Request-Method': 'DELETE' }],
    [
      'a header the rule does not cover',
      {
        Origin: APP,
        'Access-Control-Request-Method': 'PUT',
        'Access-Control-Request-Headers': 'content-type, x-custom',
      },
    ],
  ])('refuses a preflight with %s', async (_case, headers) => {
    const response = await preflight(gate, `/${BUCKET}/uploads/new.txt`, headers);
    const body = await response.text();
    expect([response.status, errorCode(body)]).toEqual([403, 'AccessForbidden']);
    expect(body).toContain(NOT_ALLOWED);
    expect(corsHeadersOf(response)).toEqual({});
  });

  it('matches x-amz-* headers case-insensitively against the x-amz-* wildcard rule', async () => {
    const response = await preflight(gate, `/${BUCKET}/uploads/new.txt`, {
      Origin: APP,
      'Access-Control-Request-Method': 'PUT',
      'Access-Control-Request-Headers': 'X-Amz-Date,x-amz-content-sha256,X-AMZ-CHECKSUM-CRC32',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-headers')).toBe(
      'x-amz-date, x-amz-content-sha256, x-amz-checksum-crc32',
    );
  });

  it('echoes an origin matched by a one-* origin pattern', async () => {
    const response = await preflight(gate, `/${BUCKET}/uploads/clip.txt`, {
      Origin: CDN,
      'Access-Control-Request-Method': 'GET',
    });
    expect(corsHeadersOf(response)).toEqual({
      'access-control-allow-origin': CDN,
      'access-control-allow-methods': 'GET, HEAD',
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': 'ETag',
      vary: VARY,
    });
  });

  it('answers * without credentials when the matching rule’s origin is exactly *', async () => {
    const response = await preflight(gate, '/edgepass-public/a.txt', {
      Origin: APP,
      'Access-Control-Request-Method': 'GET',
    });
    expect(corsHeadersOf(response)).toEqual({
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'GET',
      vary: VARY,
    });
  });

  it('refuses a preflight on a bucket without CORS rules: CORS is not enabled', async () => {
    const response = await preflight(gate, '/edgepass-nocors/a.txt', {
      Origin: APP,
      'Access-Control-Request-Method': 'GET',
    });
    const body = await response.text();
    expect([response.status, errorCode(body)]).toEqual([403, 'AccessForbidden']);
    expect(body).toContain('<Message>CORSResponse: CORS is not enabled for this bucket.</Message>');
  });

  it('adds CORS headers to an actual GET from a matching origin', async () => {
    const command = new GetObjectCommand({ Bucket: BUCKET, Key: 'uploads/clip.txt' });
    const url = await getSignedUrl(gate.client(gate.role), command, { expiresIn: 300 });
    const response = await fetch(url, { headers: { Origin: CDN } });
    expect([response.status, await response.text()]).toEqual([200, 'frames']);
    expect(corsHeadersOf(response)).toEqual({
      'access-control-allow-origin': CDN,
      'access-control-allow-methods': 'GET, HEAD',
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': 'ETag',
      vary: VARY,
    });
  });

  it('adds no CORS headers to an actual GET from another origin (and strips those s3rver adds)', async () => {
    const command = new GetObjectCommand({ Bucket: BUCKET, Key: 'uploads/clip.txt' });
    const url = await getSignedUrl(gate.client(gate.role), command, { expiresIn: 300 });
    const response = await fetch(url, { headers: { Origin: 'https://evil.test' } });
    expect([response.status, await response.text()]).toEqual([200, 'frames']);
    expect(corsHeadersOf(response)).toEqual({});
  });

  it('adds CORS headers to an actual presigned PUT from the app origin', async () => {
    const command = new PutObjectCommand({ Bucket: BUCKET, Key: 'uploads/put.txt' });
    const url = await getSignedUrl(gate.client(gate.role), command, { expiresIn: 300 });
    const response = await fetch(url, { method: 'PUT', body: 'x', headers: { Origin: APP } });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(APP);
    expect(response.headers.get('access-control-expose-headers')).toBe('ETag');
  });

  it('adds no CORS headers for an origin that merely starts like a listed one', async () => {
    const command = new GetObjectCommand({ Bucket: BUCKET, Key: 'uploads/clip.txt' });
    const url = await getSignedUrl(gate.client(gate.role), command, { expiresIn: 300 });
    const response = await fetch(url, { headers: { Origin: 'https://app.example.test.evil' } });
    expect(response.status).toBe(200);
    expect(corsHeadersOf(response)).toEqual({});
  });
});
