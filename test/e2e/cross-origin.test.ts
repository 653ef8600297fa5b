// A single-page app on another origin, in real Chromium against the local stack: the edge's answers (401, grant,
// signed-URL redirect) and the protected media behind them, read by the page's own fetch() under Chromium's CORS
// checks; an unlisted origin is blocked. The API and uploads are in cross-origin-api.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CAUSEWAY,
  causewayGrant,
  failWithoutBrowserInCi,
  hasBrowser,
  inPage,
  seeded,
  startBrowserApp,
} from './browser-app.ts';
import type { BrowserApp } from './browser-app.ts';
import { devToken } from './stack-fixture.ts';

const BASALT = seeded(`${CAUSEWAY.slice(1)}basalt.jpg`);
const WAVES = seeded(`${CAUSEWAY.slice(1)}waves.m4a`);
const MEDIA_HEADERS = ['content-type', 'content-length', 'content-range', 'accept-ranges'];
const anyString = expect.any(String) as unknown;

failWithoutBrowserInCi();

describe.skipIf(!hasBrowser)('a browser app on another origin: edge and media (real Chromium)', () => {
  let app: BrowserApp;
  let token: string;

  beforeAll(async () => {
    app = await startBrowserApp();
    token = await devToken(app.t.cdn, 'alice', ['giants-causeway']);
  });
  afterAll(async () => {
    await app.stop();
  });

  const reasonsFor = (file: string) =>
    app.t.logs.filter((line) => line.includes(file)).map((line) => /"reason":"(\w+)"/.exec(line)?.[1]);

  it('reads the 401 reason and challenge of a protected object without a session', async () => {
    const page = await app.pageAt(app.appOrigin);
    const answer = await inPage(page, {
      url: `${app.t.cdn}${CAUSEWAY}waves.m4a`,
      credentials: 'include',
      read: 'json',
      expose: ['www-authenticate'],
    });
    expect(answer).toEqual({
      ...{ status: 401, type: 'cors', redirected: false },
      headers: { 'www-authenticate': 'Bearer realm="edgepass"' },
      body: { reason: 'token_missing', requestId: anyString },
    });
  });

  it('gets a grant after a preflight, then reads the image and a byte range with its cookies', async () => {
    const page = await app.pageAt(app.appOrigin);
    const grant = await inPage(page, {
      url: `${app.t.cdn}/_edgepass/grant?attraction=giants-causeway`,
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      credentials: 'include',
      read: 'json',
    });
    expect(grant).toEqual({
      ...{ status: 200, type: 'cors', redirected: false, headers: {} },
      body: causewayGrant(app.t.cdn),
    });
    const names = (await page.context().cookies(`${app.t.cdn}${CAUSEWAY}waves.m4a`)).map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['CloudFront-Policy', 'CloudFront-Signature']));

    const image = await inPage(page, {
      url: `${app.t.cdn}${CAUSEWAY}basalt.jpg`,
      credentials: 'include',
      read: 'bytes',
      expose: MEDIA_HEADERS,
    });
    const length = String(BASALT.length);
    expect(image).toEqual({
      ...{ status: 200, type: 'cors', redirected: false, body: BASALT },
      headers: {
        'content-type': 'image/jpeg',
        'content-length': length,
        'content-range': null,
        'accept-ranges': 'bytes',
      },
    });
    const range = await inPage(page, {
      url: `${app.t.cdn}${CAUSEWAY}waves.m4a`,
      headers: { range: 'bytes=0-99' },
      credentials: 'include',
      read: 'bytes',
      expose: MEDIA_HEADERS,
    });
    const contentRange = `bytes 0-99/${String(WAVES.length)}`;
    expect(range).toEqual({
      ...{ status: 206, type: 'cors', redirected: false, body: WAVES.slice(0, 100) },
      headers: {
        'content-type': 'audio/mp4',
        'content-length': '100',
        'content-range': contentRange,
        'accept-ranges': 'bytes',
      },
    });
    expect(reasonsFor('waves.m4a')).toContain('signed_cookies_valid');
  });

  it('follows a bearer redirect to the signed URL, preflighted again, and reads the bytes', async () => {
    const page = await app.pageAt(app.appOrigin);
    const image = await inPage(page, {
      url: `${app.t.cdn}${CAUSEWAY}basalt.jpg`,
      headers: { authorization: `Bearer ${token}` },
      read: 'bytes',
      expose: ['content-type'],
    });
    expect(image).toEqual({
      ...{ status: 200, type: 'cors', redirected: true },
      ...{ headers: { 'content-type': 'image/jpeg' }, body: BASALT },
    });
    expect(reasonsFor('basalt.jpg')).toEqual(
      expect.arrayContaining(['cors_preflight_allowed', 'signed_url_minted', 'signed_url_valid']),
    );
  });

  it('is blocked by the browser from an unlisted origin: grant, media, bearer redirect, range, a valid signed URL', async () => {
    const page = await app.pageAt(app.unlistedOrigin);
    const before = app.t.logs.length;
    const calls = [
      { url: `/_edgepass/grant?attraction=giants-causeway`, method: 'POST', auth: true },
      { url: `${CAUSEWAY}basalt.jpg`, auth: false },
      { url: `${CAUSEWAY}basalt.jpg`, auth: true },
      { url: `${CAUSEWAY}waves.m4a`, auth: true, range: true },
    ];
    for (const call of calls) {
      const outcome = await inPage(page, {
        url: `${app.t.cdn}${call.url}`,
        method: call.method ?? 'GET',
        headers: {
          ...(call.auth ? { authorization: `Bearer ${token}` } : {}),
          ...(call.range ? { range: 'bytes=0-99' } : {}),
        },
        credentials: 'include',
        read: 'none',
      });
      expect(outcome, call.url).toBe('blocked');
    }
    // A valid signed URL passes the edge and S3 answers 200, but the distribution adds no CORS for this origin.
    const minted = await fetch(`${app.t.cdn}${CAUSEWAY}basalt.jpg`, {
      headers: { authorization: `Bearer ${token}` },
      redirect: 'manual',
    });
    const signedUrl = new URL(minted.headers.get('location') ?? '', app.t.cdn).href;
    expect(await inPage(page, { url: signedUrl, read: 'none' })).toBe('blocked');
    // Preflights are refused by the edge, which says why; the simple GETs get no CORS header (401, then 200).
    const reasons = app.t.logs.slice(before).map((line) => /"reason":"(\w+)"/.exec(line)?.[1]);
    expect(reasons.filter((r) => r === 'cors_origin_not_allowed')).toHaveLength(3);
    expect(reasons).toEqual(expect.arrayContaining(['token_missing', 'signed_url_minted', 'signed_url_valid']));
    expect(reasons).not.toContain('cookies_granted');
    expect(app.t.logs.slice(before)).toContainEqual(
      expect.stringMatching(/^GET \/attractions\/giants-causeway\/basalt\.jpg -> 200 /),
    );
  });
});
