// The passport flow a browser app runs, step by step from a page, each answer asserted exactly: POST /api/uploads
// (x-amz-content-sha256 computed in the page), the presigned PUT or POST straight to S3, then GET /api/files/{key}
// as JSON and the presigned GET. Shared by the app-origin and the CDN-page suites; only the API's answer type differs.
import { createHash } from 'node:crypto';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { inPage, readable, uploadRequest } from './browser-app.ts';
import type { PageFile } from './browser-app.ts';

export interface FlowTarget {
  readonly cdn: string;
  /** The S3 endpoint presigned URLs point at (the gate). */
  readonly s3: string;
  readonly token: string;
  /** `cors` from an app origin, `basic` from the CDN's own page. */
  readonly apiType: 'cors' | 'basic';
}

export interface PutGrant {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly key: string;
}
export interface PostGrant {
  readonly url: string;
  readonly fields: Record<string, string>;
  readonly key: string;
}

const anyString = expect.any(String) as unknown;
const keyFor = (user: string, file: PageFile) =>
  new RegExp(
    // <keyPrefix><base64url(iss)>.<base64url(sub)>/ (docs/origin-api.md, "Where files live")
    `^uploads/[A-Za-z0-9_-]+\\.${Buffer.from(user).toString('base64url')}/passport/[0-9a-f-]{36}-${file.name.replace('.', '\\.')}$`,
  );

/** Browsers set Content-Length themselves (a forbidden request header): the page sends the other signed headers. */
export const sendableHeaders = (signed: Readonly<Record<string, string>>): Record<string, string> =>
  Object.fromEntries(Object.entries(signed).filter(([name]) => name !== 'content-length'));

/** Uploads `file` as alice with a presigned PUT or POST, reads it back, and returns its key. */
export async function expectUpload(page: Page, to: FlowTarget, file: PageFile, method: 'PUT' | 'POST') {
  const created = readable(
    await inPage(page, {
      url: `${to.cdn}/api/uploads`,
      method: 'POST',
      headers: { authorization: `Bearer ${to.token}` },
      body: { kind: 'json', text: uploadRequest(file, method === 'PUT' ? undefined : 'POST'), hash: true },
      read: 'json',
    }),
  );
  const key = expect.stringMatching(keyFor('alice', file)) as unknown;
  const url = expect.stringMatching(new RegExp(`^${to.s3}/`)) as unknown;
  const etag = `"${createHash('md5').update(Buffer.from(file.data)).digest('hex')}"`;
  if (method === 'PUT') {
    const headers = { 'content-type': file.type, 'content-length': String(file.data.length) };
    expect(created).toEqual({
      ...{ status: 201, type: to.apiType, redirected: false, headers: {} },
      body: { method: 'PUT', url, headers, key, expiresAt: anyString },
    });
    const grant = created.body as PutGrant;
    const put = await inPage(page, {
      url: grant.url,
      method: 'PUT',
      headers: sendableHeaders(grant.headers),
      body: { kind: 'bytes', data: file.data },
      read: 'none',
      expose: ['etag'],
    });
    expect(put).toEqual({ status: 200, type: 'cors', redirected: false, headers: { etag }, body: null });
    return expectReadBack(page, to, grant.key, file);
  }
  const fields = expect.objectContaining({ key, 'Content-Type': file.type, Policy: anyString }) as unknown;
  expect(created).toEqual({
    ...{ status: 201, type: to.apiType, redirected: false, headers: {} },
    body: { method: 'POST', url, fields, key, expiresAt: anyString },
  });
  const grant = created.body as PostGrant;
  const posted = await inPage(page, {
    url: grant.url,
    method: 'POST',
    body: { kind: 'form', fields: grant.fields, file },
    read: 'none',
    expose: ['etag'],
  });
  // S3's default success_action_status is 204.
  expect(posted).toEqual({ status: 204, type: 'cors', redirected: false, headers: { etag }, body: null });
  return expectReadBack(page, to, grant.key, file);
}

/** GET /api/files/{key} with Accept: application/json → { url } → the same bytes from S3. */
async function expectReadBack(page: Page, to: FlowTarget, key: string, file: PageFile): Promise<string> {
  const found = readable(
    await inPage(page, {
      url: `${to.cdn}/api/files/${encodeURIComponent(key)}`,
      headers: { authorization: `Bearer ${to.token}`, accept: 'application/json' },
      read: 'json',
    }),
  );
  expect(found).toEqual({
    ...{ status: 200, type: to.apiType, redirected: false, headers: {} },
    body: { key, url: expect.stringMatching(new RegExp(`^${to.s3}/`)) as unknown, expiresAt: anyString },
  });
  const download = await inPage(page, { url: (found.body as { url: string }).url, read: 'bytes' });
  expect(download).toEqual({ status: 200, type: 'cors', redirected: false, headers: {}, body: file.data });
  return key;
}

/** The same request from Node (another user's upload, or a URL to try from an unlisted page): the grant. */
export async function grantFromNode(cdn: string, token: string, file: PageFile, method: 'PUT'): Promise<PutGrant>;
export async function grantFromNode(cdn: string, token: string, file: PageFile, method: 'POST'): Promise<PostGrant>;
export async function grantFromNode(cdn: string, token: string, file: PageFile, method: 'PUT' | 'POST') {
  const text = uploadRequest(file, method === 'PUT' ? undefined : 'POST');
  const res = await fetch(`${cdn}/api/uploads`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      'x-amz-content-sha256': createHash('sha256').update(text).digest('hex'),
    },
    body: text,
  });
  if (res.status !== 201) throw new Error(`POST /api/uploads: HTTP ${String(res.status)}`);
  return (await res.json()) as PutGrant | PostGrant;
}

/** Uploads `file` from Node with a presigned PUT and returns its key. */
export async function uploadFromNode(cdn: string, token: string, file: PageFile): Promise<string> {
  const grant = await grantFromNode(cdn, token, file, 'PUT');
  const put = await fetch(grant.url, { method: 'PUT', headers: grant.headers, body: Buffer.from(file.data) });
  if (put.status !== 200) throw new Error(`presigned PUT: HTTP ${String(put.status)}`);
  return grant.key;
}
