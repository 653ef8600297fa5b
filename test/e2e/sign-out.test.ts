// Sign-out ends access (issue #13 item 2), in real Chromium against the local stack: protected media are revalidated
// with the CDN before each reuse (Cache-Control: private, no-cache), and after the demo's Sign out button (which also
// ends the provider's session), or the dev IdP's logout, a reloaded image and a replayed stream are refused, the
// session and every CloudFront cookie gone.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAUSEWAY, failWithoutBrowserInCi, hasBrowser, inPage, signInAtProvider } from './browser-app.ts';
import { startBrowserApp } from './browser-app.ts';
import type { BrowserApp } from './browser-app.ts';
import { networkLog, play } from './hls-player.ts';

const IMAGE = `${CAUSEWAY}basalt.jpg`;
const STREAM = `${CAUSEWAY}video/master.m3u8`;

failWithoutBrowserInCi();

describe.skipIf(!hasBrowser)('sign-out ends access (real Chromium)', () => {
  let app: BrowserApp;

  beforeAll(async () => {
    app = await startBrowserApp();
  });
  afterAll(async () => {
    await app.stop();
  });

  /** The edge's decisions for `path` logged since `from`. */
  const decisions = (from: number, path: string) =>
    app.t.logs
      .slice(from)
      .filter((line) => line.includes(`"path":"${path}"`))
      .map((line) => /"reason":"(\w+)"/.exec(line)?.[1]);

  /** The demo page signed in as alice (Giant's Causeway), with the attraction's media loaded through the edge. */
  async function signedInWithMedia(): Promise<Page> {
    const page = await app.pageAt(app.t.cdn);
    await page.click('#sign-in');
    await signInAtProvider(page, 'alice', `${app.t.cdn}/`);
    await page.waitForSelector('#who[data-state=signed-in]');
    await page.waitForFunction(() => 'Hls' in window);
    await page.click('[data-show=giants-causeway]');
    await page.waitForSelector('#status-giants-causeway[data-state=allowed]');
    expect(await play(page, { src: STREAM, withCredentials: false })).toMatchObject({ outcome: 'playing' });
    return page;
  }

  const ourCookies = async (page: Page) =>
    (await page.context().cookies([app.t.cdn, `${app.t.cdn}${CAUSEWAY}`, `${app.t.cdn}/_edgepass/`]))
      .map((cookie) => cookie.name)
      .filter((name) => name === 'session' || name.startsWith('CloudFront-') || name.startsWith('edgepass-grant-'))
      .sort();

  /** After sign-out: the image, loaded again as the page would, and the stream, replayed, are both refused. */
  async function expectRefused(page: Page): Promise<void> {
    const from = app.t.logs.length;
    const image = await inPage(page, { url: IMAGE, read: 'none' });
    expect(image).toMatchObject({ status: 401 });
    const reload = await page.evaluate(async (src) => {
      const img = new Image();
      const done = new Promise<string>((resolve) => {
        img.onload = () => {
          resolve('loaded');
        };
        img.onerror = () => {
          resolve('refused');
        };
      });
      img.src = src;
      return done;
    }, IMAGE);
    expect(reload).toBe('refused');
    const net = networkLog(page, `${CAUSEWAY}video/`);
    const replay = await play(page, { src: STREAM, withCredentials: false, timeoutMs: 8000 });
    expect(replay).toMatchObject({ outcome: 'fatal', error: { status: 401 } });
    expect(net.exchanges.filter((exchange) => exchange.status === 200)).toEqual([]);
    expect(decisions(from, IMAGE)).toEqual(['token_missing', 'token_missing']);
  }

  it('revalidates protected media with the CDN before each reuse, so the edge decides every time', async () => {
    const page = await signedInWithMedia();
    const from = app.t.logs.length;
    for (let i = 0; i < 2; i += 1)
      expect(await inPage(page, { url: IMAGE, read: 'none' })).toMatchObject({ status: 200 });
    // Both reached the edge (no reuse from the browser cache without asking): private, no-cache.
    expect(decisions(from, IMAGE)).toEqual(['signed_cookies_valid', 'signed_cookies_valid']);
    await page.close();
  });

  it("the demo's Sign out button clears the session and every cookie the edge minted; media are refused", async () => {
    const page = await signedInWithMedia();
    expect(await ourCookies(page)).toEqual([
      'CloudFront-Key-Pair-Id',
      'CloudFront-Policy',
      'CloudFront-Signature',
      `edgepass-grant-${Buffer.from(CAUSEWAY).toString('base64url')}`,
      'session',
    ]);
    // Through the provider's end_session and back to the demo, which says so.
    await Promise.all([
      page.waitForRequest((r) => r.isNavigationRequest() && new URL(r.url()).pathname === '/_dev/oidc/session/end'),
      page.click('#sign-out'),
    ]);
    await page.waitForURL(`${app.t.cdn}/`);
    await page.waitForSelector('#who[data-state=signed-out]');
    expect(await page.textContent('#who')).toBe(
      "Signed out: the session, every attraction cookie and the provider's session are gone.",
    );
    expect(await ourCookies(page)).toEqual([]);
    await expectRefused(page);
    // The provider's session ended too: signing in again shows its form.
    await page.click('#sign-in');
    await page.waitForURL('**/_dev/oidc/interaction/**');
    await page.close();
  });

  it("the dev identity provider's logout does the same (it hands over to the edge's sign-out)", async () => {
    const page = await signedInWithMedia();
    const logout = await inPage(page, { url: '/_dev/logout', method: 'POST', read: 'none' });
    expect(logout).toMatchObject({ status: 200, redirected: true });
    expect(await ourCookies(page)).toEqual([]);
    await expectRefused(page);
    await page.close();
  });
});
