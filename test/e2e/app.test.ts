// The local stack as an app sees it (Node fetch, following redirects): bearer token → signed URL → bytes, refusals
// of tampered, expired and unticketed requests, and the upload flow through presigned S3 URLs.
import { createHash, createPrivateKey } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedUrl } from '../../common/cloudfront/sign.ts';
import { demoObjects } from '../../local/demo-content.ts';
import { devToken, startTestStack } from './stack-fixture.ts';
import type { TestStack } from './stack-fixture.ts';

let t: TestStack;
let token: string;
beforeAll(async () => {
  t = await startTestStack();
  token = await devToken(t.cdn, 'alice', ['giants-causeway']);
});
afterAll(() => t.stop());

const AUDIO = '/attractions/giants-causeway/waves.m4a';
const IMAGE = '/attractions/giants-causeway/basalt.jpg';
const seeded = (path: string) => Buffer.from(demoObjects().find((o) => `/${o.key}` === path)!.body);
const bearer = (value: string) => ({ authorization: `Bearer ${value}` });

async function signedUrlFor(path: string): Promise<string> {
  const res = await fetch(`${t.cdn}${path}`, { headers: bearer(token), redirect: 'manual' });
  expect(res.status).toBe(302);
  return res.headers.get('location')!;
}

/** A URL signed with the stack's own CloudFront key, as CloudFront would accept until `expires`. */
function selfSigned(path: string, expiresEpochSeconds: number): string {
  const signer = {
    keyPairId: t.state.cloudfront.keyPairId,
    privateKey: createPrivateKey(t.state.cloudfront.privateKeyPem),
    hashAlgorithm: 'SHA1' as const,
  };
  return signedUrl(signer, `${t.cdn}${path}`, { expiresEpochSeconds });
}

describe('the local stack for apps', () => {
  it('turns a bearer token into a signed URL that serves the bytes', async () => {
    const location = await signedUrlFor(AUDIO);
    expect(location).toMatch(/[?&]Signature=/);
    expect(location).toMatch(/[?&]Key-Pair-Id=/);
    const res = await fetch(`${t.cdn}${AUDIO}`, { headers: bearer(token) });
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(seeded(AUDIO))).toBe(true);
  });

  it('serves the signed URL alone, without the token', async () => {
    const res = await fetch(new URL(await signedUrlFor(AUDIO), t.cdn));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('audio/mp4');
  });

  it("marks a protected image Cache-Control: private (the template's response headers policy), public content not", async () => {
    const res = await fetch(new URL(await signedUrlFor(IMAGE), t.cdn));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(res.headers.get('cache-control')).toBe('private, no-cache');
    const open = await fetch(`${t.cdn}/welcome.txt`);
    expect(open.status).toBe(200);
    expect(open.headers.get('cache-control') ?? '').not.toContain('private');
  });

  it('refuses a signed URL with one changed signature character', async () => {
    const url = new URL(await signedUrlFor(AUDIO), t.cdn);
    const signature = url.searchParams.get('Signature')!;
    const flipped = `${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`;
    const tampered = url.href.replace(signature, flipped);
    expect((await fetch(tampered)).status).toBe(403);
  });

  it('refuses a signed URL for another path', async () => {
    const url = new URL(await signedUrlFor(AUDIO), t.cdn);
    url.pathname = '/attractions/giants-causeway/basalt.jpg';
    expect((await fetch(url)).status).toBe(403);
  });

  it('accepts a URL signed with the stack key but refuses it once expired', async () => {
    const nowS = Math.floor(Date.now() / 1000);
    expect((await fetch(selfSigned(AUDIO, nowS + 60))).status).toBe(200);
    const expired = await fetch(selfSigned(AUDIO, nowS - 5));
    expect(expired.status).toBe(403);
    expect(JSON.stringify(await expired.json())).toContain('cf_expired');
  });

  it('answers a tampered token with 401 and a bearer challenge', async () => {
    const res = await fetch(`${t.cdn}${AUDIO}`, { headers: bearer(`${token.slice(0, -2)}xx`), redirect: 'manual' });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('invalid_token');
  });

  it('answers a fetch without any credential with a 401 it can read, never the sign-in page or the bytes', async () => {
    // Node's fetch says Sec-Fetch-Mode: cors, as a browser's fetch() does; navigations are in browser.test.ts.
    const res = await fetch(`${t.cdn}${AUDIO}`, { redirect: 'manual' });
    expect(res.status).toBe(401);
    expect(res.headers.get('location')).toBeNull();
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="edgepass"');
    expect(await res.json()).toMatchObject({ reason: 'token_missing' });
  });

  it('refuses an attraction the token holds no ticket for', async () => {
    const res = await fetch(`${t.cdn}/attractions/titanic-belfast/horn.m4a`, { headers: bearer(token) });
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toContain('insufficient_scope');
  });

  it('serves public content without any sign-in', async () => {
    const res = await fetch(`${t.cdn}/welcome.txt`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Public content');
  });

  // A missing key is S3's 403 AccessDenied, not 404: the bucket policy lets CloudFront's origin access control
  // s3:GetObject only, and without s3:ListBucket S3 hides whether a key exists (S3 API Reference, GetObject). The
  // authorizer's origin-response trigger turns that miss into the styled 404 page.
  it('cannot reach a protected object through the public behaviour by another spelling', async () => {
    for (const spelling of ['/%61ttractions/giants-causeway/waves.m4a', '/Attractions/giants-causeway/waves.m4a']) {
      const res = await fetch(`${t.cdn}${spelling}`, { redirect: 'manual' });
      expect(res.status).toBe(404);
      expect(await res.text()).toContain('There is nothing at this address.');
    }
    expect((await fetch(`${t.cdn}/public/welcome.txt`)).status).toBe(404);
  });

  it('answers a missing public file or a public folder with the styled 404 page, never S3 XML', async () => {
    for (const path of ['/no-such-file.txt', '/attraction-guides/', '/images/missing.png']) {
      const res = await fetch(`${t.cdn}${path}`);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('cache-control')).toBe('no-store');
      const body = await res.text();
      expect(body).toContain('There is nothing at this address.');
      expect(body).toContain('href="/"');
      expect(body).not.toContain('<Error>');
    }
  });

  it('answers a missing protected file, once access is granted, with the same page', async () => {
    const signed = await fetch(await signedUrlFor('/attractions/giants-causeway/missing.m4a'));
    expect(signed.status).toBe(404);
    expect(await signed.text()).toContain('There is nothing at this address.');
  });

  it('leaves the API its own JSON errors', async () => {
    const res = await fetch(`${t.cdn}/api/files/nope.png`, { headers: bearer(token) });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('json');
    expect(await res.text()).not.toContain('nothing at this address');
  });

  /** POST /api/uploads as an app must send it: with the hex SHA-256 of the body (CloudFront OAC to a function URL). */
  function createUpload(user: string, bytes: Buffer, withHash = true) {
    const body = JSON.stringify({
      purpose: 'passport',
      contentType: 'image/png',
      contentLength: bytes.length,
      filename: 'p.png',
    });
    const hash = createHash('sha256').update(body).digest('hex');
    return fetch(`${t.cdn}/api/uploads`, {
      method: 'POST',
      headers: {
        ...bearer(user),
        'content-type': 'application/json',
        ...(withHash ? { 'x-amz-content-sha256': hash } : {}),
      },
      body,
    });
  }

  it('uploads through a presigned PUT and reads the bytes back through the origin API', async () => {
    const bytes = Buffer.from('\x89PNG fake passport bytes for the test');
    const created = await createUpload(token, bytes);
    expect(created.status).toBe(201);
    const upload = (await created.json()) as { url: string; key: string; headers: Record<string, string> };
    const put = await fetch(upload.url, { method: 'PUT', headers: { 'content-type': 'image/png' }, body: bytes });
    expect(put.status).toBe(200);
    const got = await fetch(`${t.cdn}/api/files/${encodeURIComponent(upload.key)}`, { headers: bearer(token) });
    expect(got.status).toBe(200);
    expect(Buffer.from(await got.arrayBuffer()).equals(bytes)).toBe(true);
    const stranger = await devToken(t.cdn, 'mallory', []);
    const other = await fetch(`${t.cdn}/api/files/${encodeURIComponent(upload.key)}`, { headers: bearer(stranger) });
    expect(other.status).toBe(404);
  });

  it('refuses an upload request without the body hash, as the function URL behind OAC does', async () => {
    const res = await createUpload(token, Buffer.from('x'), false);
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ Message: 'Forbidden' });
  });

  it("lists, reads and deletes the caller's own files, and a missing own file is a 404 (IAM as deployed)", async () => {
    const user = await devToken(t.cdn, 'lister', []);
    const bytes = Buffer.from('\x89PNG listed');
    const upload = (await (await createUpload(user, bytes)).json()) as { url: string; key: string };
    await fetch(upload.url, { method: 'PUT', headers: { 'content-type': 'image/png' }, body: bytes });
    const listed = await fetch(`${t.cdn}/api/files`, { headers: bearer(user) });
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as { files: { key: string }[] }).files.map((f) => f.key)).toEqual([upload.key]);
    const file = `${t.cdn}/api/files/${encodeURIComponent(upload.key)}`;
    expect((await fetch(file, { method: 'DELETE', headers: bearer(user) })).status).toBe(204);
    expect((await fetch(file, { headers: bearer(user), redirect: 'manual' })).status).toBe(404);
    expect((await fetch(file, { method: 'DELETE', headers: bearer(user) })).status).toBe(404);
  });

  it('never writes a token or signature into its logs', async () => {
    const location = new URL(await signedUrlFor(AUDIO), t.cdn);
    const signature = location.searchParams.get('Signature')!;
    expect(t.logs.length).toBeGreaterThan(5);
    for (const line of t.logs) {
      expect(line).not.toContain(token);
      expect(line).not.toContain(signature);
      expect(line).not.toContain('X-Amz-Signature');
    }
  });
});
