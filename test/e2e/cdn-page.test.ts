// The same flows from the CDN's own page (`${cdn}/`, the demo page), in real Chromium: the edge and the API are
// same-origin there (no CORS), while presigned S3 URLs are another origin, allowed by the bucket's CORS rules for the
// CDN's origin (the template's `http://localhost`, given the CDN's port locally).
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAUSEWAY, causewayGrant, failWithoutBrowserInCi, hasBrowser, inPage } from './browser-app.ts';
import { passportPhoto, readable, seeded, startBrowserApp } from './browser-app.ts';
import type { BrowserApp } from './browser-app.ts';
import { devToken } from './stack-fixture.ts';
import { expectUpload } from './upload-flow.ts';
import type { FlowTarget } from './upload-flow.ts';

const anyString = expect.any(String) as unknown;

failWithoutBrowserInCi();

describe.skipIf(!hasBrowser)("the CDN's own page (real Chromium)", () => {
  let app: BrowserApp;
  let alice: FlowTarget;
  let page: Page;

  beforeAll(async () => {
    app = await startBrowserApp();
    alice = { cdn: app.t.cdn, s3: app.t.stack.urls.s3, apiType: 'basic', token: '' };
    alice = { ...alice, token: await devToken(app.t.cdn, 'alice', ['giants-causeway']) };
    page = await app.pageAt(app.t.cdn);
  });
  afterAll(async () => {
    await app.stop();
  });

  const auth = () => ({ authorization: `Bearer ${alice.token}` });

  it('is the demo page', async () => {
    expect(await page.title()).toBe('edgepass local demo');
  });

  it('gets a grant, then reads the image and a byte range with its cookies', async () => {
    const grant = await inPage(page, {
      url: `${app.t.cdn}/_edgepass/grant?attraction=giants-causeway`,
      method: 'POST',
      headers: auth(),
      read: 'json',
    });
    expect(grant).toEqual({
      ...{ status: 200, type: 'basic', redirected: false, headers: {} },
      body: causewayGrant(app.t.cdn),
    });
    const basalt = seeded(`${CAUSEWAY.slice(1)}basalt.jpg`);
    const image = await inPage(page, { url: `${CAUSEWAY}basalt.jpg`, read: 'bytes', expose: ['content-type'] });
    expect(image).toEqual({
      ...{ status: 200, type: 'basic', redirected: false },
      ...{ headers: { 'content-type': 'image/jpeg' }, body: basalt },
    });
    const waves = seeded(`${CAUSEWAY.slice(1)}waves.m4a`);
    const range = await inPage(page, {
      url: `${CAUSEWAY}waves.m4a`,
      headers: { range: 'bytes=0-99' },
      read: 'bytes',
      expose: ['content-range'],
    });
    expect(range).toEqual({
      ...{ status: 206, type: 'basic', redirected: false, body: waves.slice(0, 100) },
      headers: { 'content-range': `bytes 0-99/${String(waves.length)}` },
    });
  });

  it('uploads a passport by presigned PUT and by presigned POST, and reads each back', async () => {
    await expectUpload(page, alice, passportPhoto(11), 'PUT');
    await expectUpload(page, alice, passportPhoto(12), 'POST');
  });

  it('lists its files, deletes one, then gets 404 for it', async () => {
    const file = passportPhoto(13);
    const key = await expectUpload(page, alice, file, 'PUT');
    const listed = readable(await inPage(page, { url: '/api/files', headers: auth(), read: 'json' }));
    expect(listed).toMatchObject({ status: 200, type: 'basic' });
    expect((listed.body as { files: unknown[] }).files).toContainEqual({
      ...{ key, size: file.data.length },
      lastModified: anyString,
    });
    const url = `/api/files/${encodeURIComponent(key)}`;
    const deleted = await inPage(page, { url, method: 'DELETE', headers: auth(), read: 'none' });
    expect(deleted).toEqual({ status: 204, type: 'basic', redirected: false, headers: {}, body: null });
    const gone = await inPage(page, { url, headers: { ...auth(), accept: 'application/json' }, read: 'json' });
    expect(gone).toEqual({
      ...{ status: 404, type: 'basic', redirected: false, headers: {} },
      body: { type: 'about:blank', title: 'Not Found', status: 404, code: 'not_found', detail: anyString },
    });
  });
});
