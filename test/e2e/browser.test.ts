// The local stack in real Chromium (Debian /usr/bin/chromium via playwright-core): signed cookies scoped to one
// attraction, media loading from CDN paths, refusals, and the demo page end to end. Skips plainly without the
// browser, except in CI (CI=true), where a missing browser fails.
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAtProvider } from './browser-app.ts';
import { startTestStack } from './stack-fixture.ts';
import type { TestStack } from './stack-fixture.ts';

const CHROMIUM = '/usr/bin/chromium';
const hasBrowser = existsSync(CHROMIUM);
const inCi = process.env['CI'] === 'true';
// Launch flags from /work/shared/reference/cloudfront.md ("Local stand-ins that verify for real").
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const CAUSEWAY = '/attractions/giants-causeway/';
const TITANIC = '/attractions/titanic-belfast/';

it.runIf(inCi && !hasBrowser)(`needs ${CHROMIUM} in CI (apt-get install -y chromium)`, () => {
  expect.fail(`${CHROMIUM} is missing: the browser tests cannot run`);
});

describe.skipIf(!hasBrowser)(
  `in real Chromium (skipped when ${CHROMIUM} is missing: apt-get install -y chromium)`,
  () => {
    let t: TestStack;
    let browser: Browser;
    beforeAll(async () => {
      t = await startTestStack();
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    });
    afterAll(async () => {
      await browser.close();
      await t.stop();
    });

    async function signedIn(tickets: string): Promise<{ context: BrowserContext; page: Page }> {
      const context = await browser.newContext({ baseURL: t.cdn });
      const page = await context.newPage();
      await page.goto(`/_dev/login?return_to=${encodeURIComponent(`${CAUSEWAY}index.html`)}`);
      await page.fill('input[name=user]', 'alice');
      await page.fill('input[name=tickets]', tickets);
      await Promise.all([page.waitForURL(`**${CAUSEWAY}index.html*`), page.click('button[type=submit]')]);
      return { context, page };
    }

    /** Whether every image decoded, the audio can play and the stream shows its first frame, all from CDN paths. */
    async function mediaLoaded(page: Page): Promise<{ images: number[]; audio: boolean; video: boolean }> {
      await page.waitForFunction(() => (document.getElementById('audio') as HTMLAudioElement | null)?.readyState === 4);
      await page.waitForFunction(
        () => ((document.getElementById('video') as HTMLVideoElement | null)?.readyState ?? 0) >= 2,
      );
      return page.evaluate(() => ({
        images: Array.from(document.images, (img) => img.naturalWidth),
        audio: (document.getElementById('audio') as HTMLAudioElement).readyState >= 2,
        video: (document.getElementById('video') as HTMLVideoElement).videoWidth === 320,
      }));
    }

    it('loads a signed-in attraction page with its images and audio, cookies scoped to that attraction', async () => {
      const { context, page } = await signedIn('giants-causeway');
      expect(await page.textContent('h1')).toBe("Giant's Causeway");
      expect(await mediaLoaded(page)).toEqual({ images: [320, 240], audio: true, video: true });
      const cloudFront = (await context.cookies()).filter((c) => c.name.startsWith('CloudFront-'));
      expect(cloudFront.map((c) => c.name).sort()).toEqual([
        'CloudFront-Key-Pair-Id',
        'CloudFront-Policy',
        'CloudFront-Signature',
      ]);
      for (const cookie of cloudFront) {
        expect(cookie.path).toBe(CAUSEWAY);
        expect(cookie.httpOnly).toBe(true);
      }
      await context.close();
    });

    it('refuses the attraction the user holds no ticket for', async () => {
      const { context, page } = await signedIn('giants-causeway');
      const response = await page.goto(`${TITANIC}index.html`);
      expect(response?.status()).toBe(403);
      expect(await page.locator('img').count()).toBe(0);
      await context.close();
    });

    it("sends a browser without a session to sign in at the edge, then to the provider's form", async () => {
      const context = await browser.newContext({ baseURL: t.cdn });
      const page = await context.newPage();
      const statuses: number[] = [];
      const navigations: URL[] = [];
      page.on('response', (r) => {
        if (new URL(r.url()).pathname.startsWith(CAUSEWAY)) statuses.push(r.status());
      });
      page.on('request', (r) => {
        if (r.isNavigationRequest()) navigations.push(new URL(r.url()));
      });
      await page.goto(`${CAUSEWAY}index.html`);
      expect(navigations.map((url) => url.pathname.replace(/[^/]+$/, '…'))).toEqual([
        `${CAUSEWAY}…`,
        '/_edgepass/…',
        '/_dev/oidc/…',
        '/_dev/oidc/interaction/…',
      ]);
      expect(navigations[1]?.searchParams.get('return')).toBe(`${CAUSEWAY}index.html`);
      expect(await page.textContent('h1')).toBe('Dev sign-in');
      expect(statuses).toEqual([302]);
      await context.close();
    });

    it('refuses a tampered signature cookie', async () => {
      const { context } = await signedIn('giants-causeway');
      const cookies = await context.cookies();
      const signature = cookies.find((c) => c.name === 'CloudFront-Signature')!;
      const flipped = `${signature.value.slice(0, 8)}${signature.value[8] === 'A' ? 'B' : 'A'}${signature.value.slice(9)}`;
      // Without the session cookie, so that the edge cannot simply mint fresh cookies from it.
      await context.clearCookies();
      await context.addCookies(
        cookies
          .filter((c) => c.name.startsWith('CloudFront-'))
          .map((c) => (c === signature ? { ...c, value: flipped } : c)),
      );
      // Loaded as a page would be: a navigation without a valid grant or session goes to sign in.
      const navigation = { 'sec-fetch-mode': 'navigate', accept: 'text/html' };
      const tampered = await context.request.get(`${CAUSEWAY}basalt.jpg`, { maxRedirects: 0, headers: navigation });
      expect(tampered.status()).toBe(302);
      expect(tampered.headers()['location']).toContain('/_edgepass/sign-in?return=');
      await context.addCookies([{ ...signature, value: signature.value }]);
      const intact = await context.request.get(`${CAUSEWAY}basalt.jpg`, { maxRedirects: 0 });
      expect(intact.status()).toBe(200);
      await context.close();
    });

    it('runs the demo page: one attraction loads, the other is refused, a passport goes up and comes back', async () => {
      const context = await browser.newContext({ baseURL: t.cdn });
      const page = await context.newPage();
      await page.goto('/');
      await page.click('#sign-in');
      await signInAtProvider(page, 'alice', `${t.cdn}/`);
      await page.waitForSelector('#who[data-state=signed-in]');
      await page.click('[data-show=giants-causeway]');
      await page.click('[data-show=titanic-belfast]');
      await page.waitForSelector('#status-giants-causeway[data-state=allowed]');
      await page.waitForSelector('#status-titanic-belfast[data-state=refused]');
      await page.click('#upload');
      await page.waitForSelector('#upload-status[data-state=uploaded]');
      expect(await page.evaluate(() => document.querySelector<HTMLImageElement>('#passport img')?.naturalWidth)).toBe(
        200,
      );
      await context.close();
    });
  },
);
