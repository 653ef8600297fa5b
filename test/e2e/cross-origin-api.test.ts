// A single-page app on another origin using the origin API and presigned S3 URLs, in real Chromium against the local
// stack: uploads by presigned PUT and POST, read-back, listing, deletion, other users' keys, the payload hash that
// the function URL demands, and an unlisted origin blocked by the API's and the bucket's CORS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failWithoutBrowserInCi, hasBrowser, inPage, passportPhoto, readable, uploadRequest } from './browser-app.ts';
import type { BrowserApp } from './browser-app.ts';
import { startBrowserApp } from './browser-app.ts';
import { devToken } from './stack-fixture.ts';
import { expectUpload, grantFromNode, sendableHeaders, uploadFromNode } from './upload-flow.ts';
import type { FlowTarget } from './upload-flow.ts';

const NOT_FOUND = {
  type: 'about:blank',
  title: 'Not Found',
  status: 404,
  code: 'not_found',
  detail: expect.any(String),
};

failWithoutBrowserInCi();

describe.skipIf(!hasBrowser)('a browser app on another origin: API and uploads (real Chromium)', () => {
  let app: BrowserApp;
  let alice: FlowTarget;
  let bobToken: string;

  beforeAll(async () => {
    app = await startBrowserApp();
    const token = await devToken(app.t.cdn, 'alice', []);
    alice = { cdn: app.t.cdn, s3: app.t.stack.urls.s3, token, apiType: 'cors' };
    bobToken = await devToken(app.t.cdn, 'bob', []);
  });
  afterAll(async () => {
    await app.stop();
  });

  const api = (path: string) => `${app.t.cdn}/api${path}`;
  const auth = () => ({ authorization: `Bearer ${alice.token}` });
  const fileUrl = (key: string) => api(`/files/${encodeURIComponent(key)}`);

  it('uploads a passport by presigned PUT and reads it back through the JSON variant of GET /api/files/{key}', async () => {
    await expectUpload(await app.pageAt(app.appOrigin), alice, passportPhoto(1), 'PUT');
  });

  it('uploads a passport by presigned POST (a form) and reads it back', async () => {
    await expectUpload(await app.pageAt(app.appOrigin), alice, passportPhoto(2), 'POST');
  });

  it('lists its files, deletes one after a preflight, then gets 404 for it', async () => {
    const page = await app.pageAt(app.appOrigin);
    const file = passportPhoto(3);
    const key = await expectUpload(page, alice, file, 'PUT');
    const listed = readable(await inPage(page, { url: api('/files'), headers: auth(), read: 'json' }));
    expect(listed).toMatchObject({ status: 200, type: 'cors', redirected: false, headers: {} });
    const files = (listed.body as { files: { key: string }[] }).files;
    expect(files).toContainEqual({ key, size: file.data.length, lastModified: expect.any(String) });
    expect(Object.keys(listed.body as object)).toEqual(['files']);

    const deleted = await inPage(page, { url: fileUrl(key), method: 'DELETE', headers: auth(), read: 'none' });
    expect(deleted).toEqual({ status: 204, type: 'cors', redirected: false, headers: {}, body: null });
    const gone = await inPage(page, {
      url: fileUrl(key),
      headers: { ...auth(), accept: 'application/json' },
      read: 'json',
    });
    expect(gone).toEqual({ status: 404, type: 'cors', redirected: false, headers: {}, body: NOT_FOUND });
    const after = readable(await inPage(page, { url: api('/files'), headers: auth(), read: 'json' }));
    expect((after.body as { files: { key: string }[] }).files.map((f) => f.key)).not.toContain(key);
    expect(app.t.logs.some((line) => line.includes('"method":"OPTIONS","route":"file","status":204'))).toBe(true);
  });

  it("gets 404 for another user's file", async () => {
    const bobs = await uploadFromNode(app.t.cdn, bobToken, passportPhoto(4));
    const page = await app.pageAt(app.appOrigin);
    const asJson = await inPage(page, {
      url: fileUrl(bobs),
      headers: { ...auth(), accept: 'application/json' },
      read: 'json',
    });
    expect(asJson).toEqual({ status: 404, type: 'cors', redirected: false, headers: {}, body: NOT_FOUND });
    const deleted = await inPage(page, { url: fileUrl(bobs), method: 'DELETE', headers: auth(), read: 'json' });
    expect(deleted).toEqual({ status: 404, type: 'cors', redirected: false, headers: {}, body: NOT_FOUND });
    // Still there for bob.
    const his = await fetch(fileUrl(bobs), {
      headers: { authorization: `Bearer ${bobToken}`, accept: 'application/json' },
    });
    expect(his.status).toBe(200);
  });

  it('gets the function URL\'s 403 {"Message":"Forbidden"} for an upload request without the payload hash', async () => {
    const page = await app.pageAt(app.appOrigin);
    const refused = await inPage(page, {
      url: api('/uploads'),
      method: 'POST',
      headers: auth(),
      body: { kind: 'json', text: uploadRequest(passportPhoto(5)), hash: false },
      read: 'json',
    });
    expect(refused).toEqual({
      status: 403,
      type: 'cors',
      redirected: false,
      headers: {},
      body: { Message: 'Forbidden' },
    });
    expect(app.t.logs).toContainEqual(expect.stringMatching(/^function URL POST \/api\/uploads -> 403 /));
  });

  it('is blocked by the browser from an unlisted origin: the API, and presigned PUT, POST and GET on S3', async () => {
    const page = await app.pageAt(app.unlistedOrigin);
    const before = app.t.logs.length;
    const file = passportPhoto(6);
    const stored = await uploadFromNode(app.t.cdn, alice.token, file);
    const calls = [
      { url: api('/uploads'), method: 'POST', body: { kind: 'json', text: uploadRequest(file), hash: true } as const },
      { url: api('/files') },
      { url: fileUrl(stored) },
      { url: fileUrl(stored), method: 'DELETE' },
    ];
    for (const call of calls) {
      expect(await inPage(page, { ...call, headers: auth(), read: 'none' }), call.url).toBe('blocked');
    }
    const put = await grantFromNode(app.t.cdn, alice.token, file, 'PUT');
    const putBody = { kind: 'bytes', data: file.data } as const;
    const headers = sendableHeaders(put.headers);
    expect(await inPage(page, { url: put.url, method: 'PUT', headers, body: putBody, read: 'none' })).toBe('blocked');
    const post = await grantFromNode(app.t.cdn, alice.token, file, 'POST');
    const form = { kind: 'form', fields: post.fields, file } as const;
    expect(await inPage(page, { url: post.url, method: 'POST', body: form, read: 'none' })).toBe('blocked');
    const download = await fetch(fileUrl(stored), { headers: { ...auth(), accept: 'application/json' } });
    const { url } = (await download.json()) as { url: string };
    expect(await inPage(page, { url, read: 'none' })).toBe('blocked');

    const status = async (key: string) => (await fetch(fileUrl(key), { headers: auth(), redirect: 'manual' })).status;
    // The PUT never left the browser (its preflight was refused). The form POST is a simple request: CORS only hides
    // S3's answer from the page, so the upload its signed policy allows is stored, as in S3.
    expect({ put: await status(put.key), post: await status(post.key), stored: await status(stored) }).toEqual({
      ...{ put: 404, post: 302, stored: 302 },
    });
    const logs = app.t.logs.slice(before);
    // The API refuses the four preflights and says so; the gate refuses the PUT's preflight.
    const refusals = logs.filter((l) => /"method":"OPTIONS".*"status":403,"code":"cors_origin_not_allowed"/.test(l));
    expect(refusals).toHaveLength(4);
    expect(logs).toContainEqual(expect.stringMatching(/^S3 s3-gate \S+ OPTIONS \S+ object .*cors-preflight 403/));
  });
});
