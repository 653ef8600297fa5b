// The demo page explains itself (issue #13 item 3), in real Chromium against the local stack: each state a new user
// meets, in order, with the words, reason codes and colours it shows, and the edge's own pages. With
// EDGEPASS_SCREENSHOTS=1 each state is also saved as docs/images/<name>.png (900×600) for docs/local-stack.md.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failWithoutBrowserInCi, hasBrowser, signInAtProvider, startBrowserApp } from './browser-app.ts';
import type { BrowserApp } from './browser-app.ts';

const IMAGES = fileURLToPath(new URL('../../docs/images/', import.meta.url));
const SCREENSHOTS = process.env['EDGEPASS_SCREENSHOTS'] === '1';
const TITANIC_PAGE = '/attractions/titanic-belfast/index.html';

failWithoutBrowserInCi();

/** A status line as a person reads it, and the state that picks its colour. */
async function status(page: Page, id: string): Promise<{ state: string | undefined; text: string }> {
  const el = page.locator(`#${id}`);
  return { state: (await el.getAttribute('data-state')) ?? undefined, text: (await el.textContent()) ?? '' };
}

/** The status line once it has settled (left the neutral `idle` state, which also covers "Asking the edge…"). */
async function settled(page: Page, id: string): ReturnType<typeof status> {
  await page.waitForSelector(`#${id}:not([data-state=idle])`);
  return status(page, id);
}

/** The status line's colour: a state's colour must differ from the neutral one, or the state is words only. */
const background = (page: Page, id: string) =>
  page.locator(`#${id}`).evaluate((el) => getComputedStyle(el).backgroundColor);

async function snap(page: Page, name: string, scrollTo?: string): Promise<void> {
  if (!SCREENSHOTS) return;
  if (scrollTo !== undefined) await page.locator(scrollTo).scrollIntoViewIfNeeded();
  mkdirSync(IMAGES, { recursive: true });
  await page.screenshot({ path: `${IMAGES}${name}.png` });
}

describe.skipIf(!hasBrowser)('the demo page explains itself (real Chromium)', () => {
  let app: BrowserApp;
  let page: Page;
  let neutral: string;
  let amber: string;

  beforeAll(async () => {
    app = await startBrowserApp();
    page = await app.pageAt(app.t.cdn);
    await page.setViewportSize({ width: 900, height: 600 });
  });
  afterAll(async () => {
    await app.stop();
  });

  it('says "not signed in" before sign-in, having asked the edge', async () => {
    expect(await settled(page, 'who')).toEqual({
      state: 'signed-out',
      text: 'Not signed in. Sign in at the local provider as alice, bob or carol.',
    });
    neutral = await background(page, 'who');
    await snap(page, 'demo-signed-out');
  });

  it('tells "sign in needed" (401, amber, with the reason code) apart from a refusal, and shows no media', async () => {
    await page.click('[data-show=giants-causeway]');
    const { state, text } = await settled(page, 'status-giants-causeway');
    expect(state).toBe('sign-in');
    expect(text).toContain('Sign in needed. The edge answered HTTP 401: you are not signed in.');
    expect(text).toMatch(/token_missing$/);
    amber = await background(page, 'status-giants-causeway');
    expect(amber).not.toBe(neutral);
    expect(await page.locator('#media-giants-causeway > *').count()).toBe(0);
    await snap(page, 'demo-sign-in-needed');
  });

  it("sends a page visit without a session through the edge's sign-in to the provider's form, and back", async () => {
    const other = await app.pageAt(app.t.cdn);
    await other.setViewportSize({ width: 900, height: 600 });
    const back = `${app.t.cdn}/attractions/giants-causeway/index.html`;
    await other.goto(back);
    expect(new URL(other.url()).pathname).toMatch(/^\/_dev\/oidc\/interaction\/[\w-]+$/);
    expect(await other.textContent('h1')).toBe('Dev sign-in');
    await snap(other, 'sign-in-page');
    await signInAtProvider(other, 'carol', `${back}*`);
    expect(await other.textContent('h1')).toBe("Giant's Causeway");
    await other.close();
  });

  it('signs in through the provider from the Sign in button, and names the user and tickets', async () => {
    await page.click('#sign-in');
    await page.waitForURL('**/_dev/oidc/interaction/**');
    await page.fill('input[name=password]', 'any');
    await Promise.all([page.waitForURL(`${app.t.cdn}/`), page.click('button[type=submit]')]);
    await page.waitForSelector('#who:not([data-state=idle])');
    expect(await status(page, 'who')).toMatchObject({ state: 'signed-in' });
    expect((await status(page, 'who')).text).toMatch(/^Signed in as alice, tickets: giants-causeway, until /);
    expect(await page.isVisible('#login')).toBe(false);
  });

  it('signed in: one attraction plays (green), the other is refused with its reason (red), no broken media', async () => {
    await page.waitForFunction(() => 'Hls' in window);
    await page.click('[data-show=giants-causeway]');
    await page.click('[data-show=titanic-belfast]');
    expect(await settled(page, 'status-giants-causeway')).toEqual({
      state: 'allowed',
      text: "Allowed. Photo, audio and video stream loaded with this attraction's signed cookies.",
    });
    expect(await settled(page, 'status-titanic-belfast')).toEqual({
      state: 'refused',
      text:
        'Refused. The edge answered HTTP 403: your tickets do not include this attraction, or the ticket has ' +
        'ended. no_ticket',
    });
    const colours = [
      await background(page, 'status-giants-causeway'),
      await background(page, 'status-titanic-belfast'),
    ];
    expect(new Set([neutral, amber, ...colours]).size).toBe(4);
    const shown = await page.evaluate(() => ({
      photo: document.querySelector<HTMLImageElement>('#media-giants-causeway img')?.naturalWidth ?? 0,
      video: document.querySelector<HTMLVideoElement>('#media-giants-causeway video')?.readyState ?? 0,
    }));
    expect(shown.photo).toBeGreaterThan(0);
    expect(shown.video).toBeGreaterThanOrEqual(2);
    expect(await page.locator('#media-titanic-belfast > *').count()).toBe(0);
    await snap(page, 'demo-signed-in');
  });

  it("shows the edge's own page for a refused page visit: no_ticket, with what to do next", async () => {
    const other = await page.context().newPage();
    await other.setViewportSize({ width: 900, height: 600 });
    const res = await other.goto(`${app.t.cdn}${TITANIC_PAGE}`);
    expect(res?.status()).toBe(403);
    expect(await other.textContent('h1')).toBe('Your ticket does not include this attraction, or it has ended.');
    expect(await other.textContent('small')).toMatch(/^Code: no_ticket · Request: /);
    await snap(other, 'edge-no-ticket');
    await other.close();
  });

  it("shows the styled 404 page for a missing file, not S3's XML (the authorizer's origin-response trigger)", async () => {
    const other = await page.context().newPage();
    await other.setViewportSize({ width: 900, height: 600 });
    const res = await other.goto(`${app.t.cdn}/no-such-guide.html`);
    expect(res?.status()).toBe(404);
    expect(await other.textContent('h1')).toBe('There is nothing at this address.');
    expect(await other.getAttribute('a.next', 'href')).toBe('/');
    expect(await other.textContent('small')).toMatch(/^Code: not_found · Request: /);
    await snap(other, 'edge-not-found');
    await other.close();
  });

  it('keeps the signed-in state across a reload (the edge confirms the HttpOnly session)', async () => {
    await page.reload();
    expect(await settled(page, 'who')).toEqual({
      state: 'signed-in',
      text: expect.stringMatching(/^Signed in as alice, tickets: giants-causeway, until /),
    });
    // Nothing is kept in storage: the profile comes from /_dev/session, the token stays in the HttpOnly cookie.
    expect(await page.evaluate(() => [sessionStorage.length, localStorage.length])).toEqual([0, 0]);
  });

  it("shows the origin API's code and detail when it refuses an upload", async () => {
    await page.setInputFiles('#file', { name: 'passport.gif', mimeType: 'image/gif', buffer: Buffer.from('GIF89a') });
    await page.click('#upload');
    expect(await settled(page, 'upload-status')).toEqual({
      state: 'error',
      text:
        'Refused. The origin API answered HTTP 415: This content type is not accepted for "passport". ' +
        'content_type_not_allowed',
    });
    await snap(page, 'demo-api-error', '#upload-panel');
  });

  it("after sign-out (through the provider's end_session and back): says so, with every card and the media clear", async () => {
    await Promise.all([
      page.waitForRequest((r) => r.isNavigationRequest() && new URL(r.url()).pathname === '/_dev/oidc/session/end'),
      page.click('#sign-out'),
    ]);
    await page.waitForURL(`${app.t.cdn}/`);
    await page.waitForSelector('#who[data-state=signed-out]');
    expect(await status(page, 'who')).toEqual({
      state: 'signed-out',
      text: "Signed out: the session, every attraction cookie and the provider's session are gone.",
    });
    expect(await page.locator('.card .media > *').count()).toBe(0);
    expect(await page.locator('.card .status[data-state=idle]').count()).toBe(2);
    expect(await page.inputValue('#file')).toBe('');
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    await page.evaluate(() => {
      window.scrollTo(0, 0);
    });
    await snap(page, 'demo-signed-out-after');
  });

  it("asks before signing out when another site links to the edge's sign-out, then signs out", async () => {
    const other = await app.pageAt(app.appOrigin);
    await other.setViewportSize({ width: 900, height: 600 });
    await other.evaluate((href) => {
      const a = document.createElement('a');
      a.href = href;
      a.textContent = 'sign out';
      document.body.append(a);
    }, `${app.t.cdn}/_edgepass/sign-out`);
    await Promise.all([other.waitForURL(`${app.t.cdn}/_edgepass/sign-out`), other.click('a')]);
    expect(await other.textContent('h1')).toBe('Another site asked to sign you out. To sign out, use this button.');
    expect(await other.textContent('small')).toMatch(/^Code: sign_out_unconfirmed/);
    await snap(other, 'edge-sign-out-confirm');
    // Confirmed: the edge clears its cookies and sends the person through the provider's end_session to the demo.
    await Promise.all([
      other.waitForRequest((r) => r.isNavigationRequest() && new URL(r.url()).pathname === '/_dev/oidc/session/end'),
      other.click('button'),
    ]);
    await other.waitForURL(`${app.t.cdn}/`);
    expect(await settled(other, 'who')).toEqual({
      state: 'signed-out',
      text: 'Not signed in. Sign in at the local provider as alice, bob or carol.',
    });
    await other.close();
  });
});
