// The local node:http server over real HTTP on loopback, with s3rver behind it: the seed use case end to end
// (upload a passport photo, view it, list, delete), a bounded body, and logs that carry no secret.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOriginServer } from '../../origin-api/server.ts';
import { startS3 } from '../helpers/s3.ts';
import type { LocalS3 } from '../helpers/s3.ts';
import { appFor, memoryLogger, passportUpload, signToken } from './fixtures.ts';

let s3: LocalS3;
let server: Server;
let base: string;
let token: string;
const logger = memoryLogger();

beforeAll(async () => {
  s3 = await startS3({ buckets: ['media'] });
  const nowMs = Date.now();
  server = createOriginServer(appFor({ s3, nowMs, logger }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  token = await signToken({ nowMs });
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await s3.stop();
});

const api = (path: string, init: RequestInit = {}) =>
  fetch(`${base}${path}`, {
    redirect: 'manual',
    ...init,
    headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string> | undefined) },
  });

describe('local origin server', () => {
  it('uploads a photo straight to S3, then serves, lists and deletes it', async () => {
    const photo = new Uint8Array(2048).map((_, i) => i % 251);
    const created = await api('/api/uploads', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(passportUpload({ contentLength: photo.length })),
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const grant = (await created.json()) as { url: string; headers: Record<string, string>; key: string };
    expect((await fetch(grant.url, { method: 'PUT', body: photo, headers: grant.headers })).status).toBe(200);

    const read = await api(`/api/files/${grant.key}`);
    expect(read.status).toBe(302);
    expect(read.headers.get('cache-control')).toBe('no-store');
    const object = await fetch(read.headers.get('location')!);
    expect(new Uint8Array(await object.arrayBuffer())).toEqual(photo);

    const list = (await (await api('/api/files')).json()) as { files: { key: string; size: number }[] };
    expect(list.files).toEqual([expect.objectContaining({ key: grant.key, size: 2048 })]);
    expect((await api(`/api/files/${grant.key}`, { method: 'DELETE' })).status).toBe(204);
    expect((await api(`/api/files/${grant.key}`)).status).toBe(404);
  });

  it('stops reading a body over the bound and answers 413 problem+json', async () => {
    const response = await api('/api/uploads', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(passportUpload({ filename: 'x'.repeat(200_000) })),
    });
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(((await response.json()) as { code: string }).code).toBe('request_too_large');
  });

  it('answers 401 over HTTP without a token', async () => {
    const response = await fetch(`${base}/api/files`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="edgepass"');
  });

  it('never wrote a token, a signature or a presigned URL to the log', () => {
    const log = logger.lines.join('\n');
    expect(logger.lines.length).toBeGreaterThanOrEqual(7);
    expect(log).toContain('"event":"origin_api_request"');
    expect(log).not.toContain(token);
    expect(log).not.toContain(token.split('.')[2]);
    expect(log).not.toMatch(/X-Amz-Signature|X-Amz-Credential|http:\/\/127\.0\.0\.1/);
    expect(log).not.toContain('users/');
  });
});
