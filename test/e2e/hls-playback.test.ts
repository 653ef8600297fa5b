// Streaming that plays, in real Chromium against the local stack: hls.js plays an attraction's HLS stream (H.264 +
// AAC in fMP4) through signed cookies from the CDN's own page (signed in at the dev identity provider) and from an
// app on another origin (grant, then credentialed requests), and the other attraction's stream is refused.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CAUSEWAY,
  failWithoutBrowserInCi,
  hasBrowser,
  inPage,
  signInAtProvider,
  startBrowserApp,
} from './browser-app.ts';
import type { BrowserApp } from './browser-app.ts';
import { HLS_SCRIPT, networkLog, play } from './hls-player.ts';
import { devToken } from './stack-fixture.ts';

const VIDEO = `${CAUSEWAY}video/`;
const STREAM = `${VIDEO}master.m3u8`;
const OTHER_STREAM = '/attractions/titanic-belfast/video/master.m3u8';
const PLAYLISTS = ['master.m3u8', 'stream.m3u8'];
const MEDIA = ['init.mp4', 'segment-0.m4s', 'segment-1.m4s', 'segment-2.m4s'];
const STREAM_FILES = [...PLAYLISTS, ...MEDIA];

type Exchange = { readonly path: string; readonly status: number };
const served = (file: string): Exchange => ({ path: `${VIDEO}${file}`, status: 200 });
const byPath = (a: Exchange, b: Exchange) => a.path.localeCompare(b.path);

/**
 * Every file of the stream served once with 200: the playlists in order (each names the next), the media as a set,
 * since hls.js may ask for the init segment and the first media segment at the same time.
 */
function expectStreamServed(exchanges: readonly Exchange[]): void {
  expect(exchanges.slice(0, PLAYLISTS.length)).toEqual(PLAYLISTS.map(served));
  expect([...exchanges.slice(PLAYLISTS.length)].sort(byPath)).toEqual(MEDIA.map(served).sort(byPath));
}
const PLAYING = { outcome: 'playing', currentTime: expect.any(Number), firstFrameMs: expect.any(Number), error: null };

failWithoutBrowserInCi();

describe.skipIf(!hasBrowser)('HLS playback through signed cookies (real Chromium, hls.js)', () => {
  let app: BrowserApp;
  let token: string;

  beforeAll(async () => {
    app = await startBrowserApp();
    token = await devToken(app.t.cdn, 'alice', ['giants-causeway']);
  });
  afterAll(async () => {
    await app.stop();
  });

  /** The edge's decisions for requests under `prefix` logged since `from`. */
  const reasons = (from: number, prefix: string) =>
    app.t.logs
      .slice(from)
      .filter((line) => line.includes(`"path":"${prefix}`))
      .map((line) => /"reason":"(\w+)"/.exec(line)?.[1]);

  /** The demo page at the CDN, signed in as alice with a Giant's Causeway ticket through its dev IdP form. */
  async function signedInCdnPage(): Promise<Page> {
    const page = await app.pageAt(app.t.cdn);
    // The demo signs in at the edge, through the local OpenID Provider's form (alice holds giants-causeway).
    await page.click('#sign-in');
    await signInAtProvider(page, 'alice', `${app.t.cdn}/`);
    await page.waitForSelector('#who[data-state=signed-in]');
    await page.waitForFunction(() => 'Hls' in window);
    // The page's own session check earned the first attraction's cookies: drop them, so that playback starts from
    // the session alone, as for a visitor who lands on the stream first.
    await page.context().clearCookies({ name: /^CloudFront-/ });
    return page;
  }

  /** A page on the listed app origin with hls.js loaded and the attraction's cookies granted with credentials. */
  async function grantedAppPage(): Promise<Page> {
    const page = await app.pageAt(app.appOrigin);
    await page.addScriptTag({ path: HLS_SCRIPT });
    const grant = await inPage(page, {
      url: `${app.t.cdn}/_edgepass/grant?attraction=giants-causeway`,
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      credentials: 'include',
      read: 'none',
    });
    expect(grant).toMatchObject({ status: 200, type: 'cors' });
    return page;
  }

  it("plays from the CDN's own page: the session becomes cookies once, then every file is served 200", async () => {
    const page = await signedInCdnPage();
    const net = networkLog(page, VIDEO);
    const from = app.t.logs.length;
    const playback = await play(page, { src: STREAM, withCredentials: false });
    expect(playback).toMatchObject(PLAYING);
    expect(playback.currentTime).toBeGreaterThanOrEqual(1.5);
    // The first playlist request carries only the session: the edge answers 302 with the attraction's cookies.
    expect(net.exchanges[0]).toEqual({ path: STREAM, status: 302 });
    expectStreamServed(net.exchanges.slice(1));
    expect(net.failed).toEqual([]);
    expect(reasons(from, VIDEO)).toEqual(['cookies_minted', ...STREAM_FILES.map(() => 'signed_cookies_valid')]);
    const cookies = await page.context().cookies(`${app.t.cdn}${STREAM}`);
    expect(cookies.filter((c) => c.name.startsWith('CloudFront-')).map((c) => c.path)).toEqual([
      CAUSEWAY,
      CAUSEWAY,
      CAUSEWAY,
    ]);
  });

  it('plays from an app on another origin with credentials, every request authorised by the granted cookies', async () => {
    const page = await grantedAppPage();
    const net = networkLog(page, VIDEO);
    const from = app.t.logs.length;
    const playback = await play(page, { src: `${app.t.cdn}${STREAM}`, withCredentials: true });
    expect(playback).toMatchObject(PLAYING);
    expect(playback.currentTime).toBeGreaterThanOrEqual(1.5);
    expectStreamServed(net.exchanges);
    expect(net.failed).toEqual([]);
    expect(reasons(from, VIDEO)).toEqual(STREAM_FILES.map(() => 'signed_cookies_valid'));
  });

  it('fails from the app origin without credentials: the cookies stay home and the playlist answers 401', async () => {
    const page = await grantedAppPage();
    const playback = await play(page, { src: `${app.t.cdn}${STREAM}`, withCredentials: false });
    expect(playback).toMatchObject({
      ...{ outcome: 'fatal', fragmentsLoaded: 0 },
      error: { type: 'networkError', details: 'manifestLoadError', status: 401 },
    });
  });

  it.each([
    ['the CDN page, signed in', 403, 'no_ticket'],
    ['the app origin, granted', 401, 'token_missing'],
  ] as const)(
    'refuses the other attraction from %s: %i on the playlist, a fatal error',
    async (where, status, reason) => {
      const page = where === 'the app origin, granted' ? await grantedAppPage() : await signedInCdnPage();
      const src = where === 'the app origin, granted' ? `${app.t.cdn}${OTHER_STREAM}` : OTHER_STREAM;
      const net = networkLog(page, '/attractions/');
      const from = app.t.logs.length;
      const playback = await play(page, { src, withCredentials: true });
      expect(playback).toMatchObject({
        ...{ outcome: 'fatal', currentTime: 0, firstFrameMs: null, fragmentsLoaded: 0 },
        error: { type: 'networkError', details: 'manifestLoadError', status },
      });
      expect(net.exchanges).toEqual([{ path: OTHER_STREAM, status }]);
      expect(reasons(from, '/attractions/')).toEqual([reason]);
    },
  );
});
