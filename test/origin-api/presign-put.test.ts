// Presigned PUTs through the real app against s3rver (which verifies SigV4): S3 itself accepts only the declared
// size and type, an untampered signature, and a URL used before its expiry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3 } from '../helpers/s3.ts';
import type { LocalS3 } from '../helpers/s3.ts';
import { apiRequest, appFor, bearer, parseBody, passportUpload, signToken } from './fixtures.ts';

let s3: LocalS3;
beforeAll(async () => {
  s3 = await startS3({ buckets: ['media'] });
});
afterAll(async () => {
  await s3.stop();
});

interface PutGrant {
  url: string;
  headers: Record<string, string>;
  key: string;
  expiresAt: string;
}

async function grant(nowMs: number, size: number): Promise<PutGrant> {
  const app = appFor({ s3, nowMs });
  const token = await signToken({ nowMs });
  const upload = passportUpload({ contentLength: size });
  const response = await app.handle(
    apiRequest({ method: 'POST', path: '/api/uploads', headers: bearer(token), json: upload }),
  );
  expect(response.status).toBe(201);
  return parseBody(response.body) as unknown as PutGrant;
}

const put = (url: string, body: Uint8Array<ArrayBuffer>, contentType: string) =>
  fetch(url, { method: 'PUT', body, headers: { 'content-type': contentType } });

describe('presigned PUT', () => {
  it('is accepted by S3 with the declared size and type, and stores exactly those bytes', async () => {
    const bytes = new Uint8Array(1234).fill(7);
    const g = await grant(Date.now(), bytes.length);
    expect(g.headers).toEqual({ 'content-type': 'image/jpeg', 'content-length': '1234' });
    expect(new URL(g.url).searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;content-type;host');
    expect(new URL(g.url).searchParams.get('X-Amz-Expires')).toBe('60');
    expect((await put(g.url, bytes, 'image/jpeg')).status).toBe(200);
    const nowMs = Date.now();
    const read = await appFor({ s3, nowMs }).handle(
      apiRequest({ path: `/api/files/${g.key}`, headers: bearer(await signToken({ nowMs })) }),
    );
    expect(read.status).toBe(302);
    const stored = await fetch(read.headers.location!);
    expect(stored.status).toBe(200);
    expect(stored.headers.get('content-type')).toBe('image/jpeg');
    expect(new Uint8Array(await stored.arrayBuffer())).toEqual(bytes);
  });

  it('gives the presigned GET in a JSON body to a caller that asks for JSON (browser apps cannot follow the 302)', async () => {
    const bytes = new Uint8Array(1234).fill(9);
    const g = await grant(Date.now(), bytes.length);
    expect((await put(g.url, bytes, 'image/jpeg')).status).toBe(200);
    const nowMs = Date.now();
    const headers = { ...bearer(await signToken({ nowMs })), accept: 'application/json' };
    const read = await appFor({ s3, nowMs }).handle(apiRequest({ path: `/api/files/${g.key}`, headers }));
    expect(read.status).toBe(200);
    expect(read.headers['cache-control']).toBe('no-store');
    const body = JSON.parse(read.body) as { key: string; url: string; expiresAt: string };
    expect(body.key).toBe(g.key);
    expect(Date.parse(body.expiresAt)).toBeGreaterThan(nowMs);
    expect(new Uint8Array(await (await fetch(body.url)).arrayBuffer())).toEqual(bytes);
  });

  it.each([
    ['a smaller body', new Uint8Array(1233), 'image/jpeg'],
    ['a larger body', new Uint8Array(1235), 'image/jpeg'],
    ['another content type', new Uint8Array(1234), 'image/png'],
  ])('is refused by S3 with %s', async (_name, body, type) => {
    const g = await grant(Date.now(), 1234);
    const response = await put(g.url, body, type);
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('SignatureDoesNotMatch');
  });

  it('is refused by S3 when any character of the signature is changed', async () => {
    const g = await grant(Date.now(), 1234);
    const url = new URL(g.url);
    const signature = url.searchParams.get('X-Amz-Signature')!;
    const flipped = (signature[0] === 'a' ? 'b' : 'a') + signature.slice(1);
    url.searchParams.set('X-Amz-Signature', flipped);
    const response = await put(url.toString(), new Uint8Array(1234), 'image/jpeg');
    expect(response.status).toBe(403);
  });

  it('is refused by S3 when the key is changed to another user folder', async () => {
    const g = await grant(Date.now(), 1234);
    const url = new URL(g.url);
    url.pathname = url.pathname.replace('/users/', '/users/Ym9i');
    expect((await put(url.toString(), new Uint8Array(1234), 'image/jpeg')).status).toBe(403);
  });

  it('is refused by S3 after its expiry (signed ten minutes ago with a 60 s lifetime)', async () => {
    const g = await grant(Date.now() - 600_000, 1234);
    expect(Date.parse(g.expiresAt)).toBeLessThan(Date.now());
    const response = await put(g.url, new Uint8Array(1234), 'image/jpeg');
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('Request has expired');
  });

  it('honours a configured upload lifetime', async () => {
    const nowMs = Date.now();
    const app = appFor({ s3, nowMs, originApi: { uploadTtlSeconds: 300 } });
    const token = await signToken({ nowMs });
    const response = await app.handle(
      apiRequest({ method: 'POST', path: '/api/uploads', headers: bearer(token), json: passportUpload() }),
    );
    const body = parseBody(response.body) as unknown as PutGrant;
    expect(new URL(body.url).searchParams.get('X-Amz-Expires')).toBe('300');
    expect(body.expiresAt).toBe(new Date(nowMs + 300_000).toISOString());
  });
});
