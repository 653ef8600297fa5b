// Sign-in at the edge (issue #14 item 6) in real Chromium against the local stack and its real OpenID Provider, with
// no app involved: a protected page → the provider's form → back on the page with its media; a second attraction
// without a second form; no ticket → the 403 page; keys rotated mid-session; the token endpoint hanging → a clear page
// in bounded time; a forged state and a replayed code refused. No token in any URL the browser visited or any log.
import { createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_HEADER, ROTATE_PATH } from '../../local/oidc/admin.ts';
import { CAUSEWAY, failWithoutBrowserInCi, hasBrowser, launchChromium, signInAtProvider } from './browser-app.ts';
import { startTestStack } from './stack-fixture.ts';
import type { TestStack } from './stack-fixture.ts';

const TITANIC = '/attractions/titanic-belfast/';
const JWT = /eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/;

failWithoutBrowserInCi();

/** Every URL the browser asked for, and the values of the cookies it was given: no token may be in the former. */
interface Visits {
  readonly urls: string[];
  readonly secrets: Set<string>;
}

async function freshPage(browser: Browser, cdn: string, visits: Visits): Promise<Page> {
  const context = await browser.newContext({ baseURL: cdn });
  context.on('request', (r) => visits.urls.push(r.url()));
  return context.newPage();
}

/** The cookie values a sign-in left (session, refresh token): none may be in a URL or a log line. */
async function keepSecrets(context: BrowserContext, visits: Visits): Promise<void> {
  for (const c of await context.cookies())
    if (c.name === 'session' || c.name === 'edgepass-refresh') visits.secrets.add(c.value);
}

/** The provider pages the browser went through (its form, authorize, end_session) since `from`. */
const providerVisits = (visits: Visits, from: number) =>
  visits.urls.slice(from).filter((url) => new URL(url).pathname.startsWith('/_dev/oidc/'));

/** The attraction page's images decoded and its audio ready: loaded from CDN paths with the minted cookies. */
async function mediaLoaded(page: Page): Promise<{ images: number[]; audio: boolean }> {
  await page.waitForFunction(() => (document.getElementById('audio') as HTMLAudioElement | null)?.readyState === 4);
  return page.evaluate(() => ({
    images: Array.from(document.images, (img) => img.naturalWidth),
    audio: (document.getElementById('audio') as HTMLAudioElement).readyState === 4,
  }));
}

/** Starts a sign-in without going to the provider; its state (in the authorize URL the browser was sent to). */
async function startedSignIn(page: Page): Promise<string> {
  await page.route('**/_dev/oidc/auth?*', (route) => route.abort());
  const [request] = await Promise.all([
    page.waitForRequest((r) => new URL(r.url()).pathname === '/_dev/oidc/auth'),
    page.goto('/_edgepass/sign-in?return=%2F').catch(() => undefined),
  ]);
  return new URL(request.url()).searchParams.get('state') ?? '';
}

describe.skipIf(!hasBrowser)('sign-in at the edge through the local OpenID Provider (real Chromium)', () => {
  let t: TestStack;
  let browser: Browser;
  const visits: Visits = { urls: [], secrets: new Set() };
  let carol: Page;
  /** The callback URL of carol's sign-in: its code has been used. */
  let usedCallback: URL | undefined;

  beforeAll(async () => {
    t = await startTestStack();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser.close();
    await t.stop();
  });

  it('opens a protected page in a fresh browser, signs in at the provider, and ends on it with its media', async () => {
    carol = await freshPage(browser, t.cdn, visits);
    carol.on('request', (r) => {
      if (new URL(r.url()).pathname === '/_edgepass/callback') usedCallback = new URL(r.url());
    });
    const started = performance.now();
    await carol.goto(`${CAUSEWAY}index.html`);
    await signInAtProvider(carol, 'carol', `**${CAUSEWAY}index.html*`);
    expect(await carol.textContent('h1')).toBe("Giant's Causeway");
    expect(await mediaLoaded(carol)).toEqual({ images: [320, 240], audio: true });
    console.info(`sign-in round trip, page to media: ${String(Math.round(performance.now() - started))} ms`);
    expect(t.logs.join('\n')).toMatch(/"reason":"oidc_signed_in"/);
  });

  it('opens a second attraction carol holds without showing the provider again', async () => {
    const from = visits.urls.length;
    const res = await carol.goto(`${TITANIC}index.html`);
    expect(res?.status()).toBe(200);
    expect(await carol.textContent('h1')).toBe('Titanic Belfast');
    expect(providerVisits(visits, from)).toEqual([]);
  });

  it("shows the 403 page to a user without the ticket (bob, Giant's Causeway), then signs in another account", async () => {
    const bob = await freshPage(browser, t.cdn, visits);
    await bob.goto(`${CAUSEWAY}index.html`);
    const [response] = await Promise.all([
      bob.waitForResponse((r) => r.request().isNavigationRequest() && r.url().includes(CAUSEWAY) && r.status() === 403),
      signInAtProvider(bob, 'bob', `**${CAUSEWAY}index.html*`),
    ]);
    expect(response.status()).toBe(403);
    expect(await bob.textContent('h1')).toBe('Your ticket does not include this attraction, or it has ended.');
    expect(await bob.locator('img').count()).toBe(0);
    // "Sign in with another account": the provider asks again although bob's session there is alive, and alice
    // (who holds the ticket) ends on the page with its media.
    await bob.click('text=Sign in with another account');
    await signInAtProvider(bob, 'alice', `**${CAUSEWAY}index.html*`);
    expect(await bob.textContent('h1')).toBe("Giant's Causeway");
    await keepSecrets(bob.context(), visits);
    await bob.context().close();
  });

  it('keeps working after the provider rotates its keys: a new sign-in, and a refreshed session, no rebuild', async () => {
    const rotated = await fetch(`${t.cdn}${ROTATE_PATH}`, { method: 'POST', headers: { [ADMIN_HEADER]: '1' } });
    expect(rotated.status).toBe(200);
    const { currentKid } = (await rotated.json()) as { currentKid: string };
    // A new sign-in: the ID token names the new kid, which the edge fetches from the provider's JWKS.
    const alice = await freshPage(browser, t.cdn, visits);
    await alice.goto(`${CAUSEWAY}index.html`);
    await signInAtProvider(alice, 'alice', `**${CAUSEWAY}index.html*`);
    expect(await alice.textContent('h1')).toBe("Giant's Causeway");
    const session = (await alice.context().cookies()).find((c) => c.name === 'session')?.value ?? '';
    expect(JSON.parse(Buffer.from(session.split('.')[0] ?? '', 'base64url').toString())).toMatchObject({
      kid: currentKid,
    });
    await keepSecrets(alice.context(), visits);
    await alice.context().close();
    // carol's session ends (the cookie is gone); her refresh token brings a new one, signed with the new key.
    await keepSecrets(carol.context(), visits);
    await carol.context().clearCookies({ name: /^(session|CloudFront-.*)$/ });
    const from = visits.urls.length;
    await carol.goto(`${CAUSEWAY}index.html`);
    expect(await carol.textContent('h1')).toBe("Giant's Causeway");
    expect(providerVisits(visits, from)).toEqual([]);
    expect(t.logs.join('\n')).toMatch(/"reason":"oidc_refreshed"/);
    await keepSecrets(carol.context(), visits);
  });

  it('refuses a callback with a forged state, and one without a sign-in under way, each with a clear page', async () => {
    const page = await freshPage(browser, t.cdn, visits);
    const unsolicited = await page.goto('/_edgepass/callback?code=abc&state=forged');
    expect(unsolicited?.status()).toBe(400);
    expect(await page.textContent('small')).toMatch(/^Code: oidc_state_missing/);
    await startedSignIn(page);
    const forged = await page.goto('/_edgepass/callback?code=abc&state=forged');
    expect(forged?.status()).toBe(400);
    expect(await page.textContent('small')).toMatch(/^Code: oidc_state_mismatch/);
    expect(await page.locator('a', { hasText: 'Try again' }).count()).toBe(1);
    await page.context().close();
  });

  it('refuses a replayed code, even with a state the edge issued', async () => {
    expect(usedCallback).toBeDefined();
    const code = usedCallback?.searchParams.get('code') ?? '';
    const page = await freshPage(browser, t.cdn, visits);
    const state = await startedSignIn(page);
    const replay = await page.goto(`/_edgepass/callback?code=${encodeURIComponent(code)}&state=${state}`);
    expect(replay?.status()).toBe(502);
    expect(await page.textContent('small')).toMatch(/^Code: oidc_token_error/);
    expect((await page.context().cookies()).map((c) => c.name)).not.toContain('session');
    await page.context().close();
  });

  it('put no token in any URL the browser visited, nor any session or refresh token in the logs', () => {
    expect(visits.secrets.size).toBeGreaterThanOrEqual(4);
    const urls = visits.urls.join('\n');
    const logs = t.logs.join('\n');
    expect(urls).not.toMatch(JWT);
    expect(logs).not.toMatch(JWT);
    for (const secret of visits.secrets) {
      expect(urls).not.toContain(secret);
      expect(logs).not.toContain(secret);
    }
  });
});

describe.skipIf(!hasBrowser)('sign-in at the edge with the token endpoint not answering (real Chromium)', () => {
  let t: TestStack;
  let browser: Browser;
  const held: Socket[] = [];
  const silent = createServer((socket) => held.push(socket));

  beforeAll(async () => {
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    t = await startTestStack({
      adjustConfig: (raw) => ({
        ...raw,
        oidc: { ...(raw['oidc'] as object), tokenEndpoint: `http://127.0.0.1:${String(port)}/token` },
      }),
    });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser.close();
    await t.stop();
    held.forEach((socket) => socket.destroy());
    await new Promise((resolve) => silent.close(resolve));
  });

  it('shows a clear page within the token timeout, and does not loop', async () => {
    const visits: Visits = { urls: [], secrets: new Set() };
    const page = await freshPage(browser, t.cdn, visits);
    await page.goto(`${CAUSEWAY}index.html`);
    await page.waitForURL('**/_dev/oidc/interaction/**');
    await page.fill('input[name=login]', 'alice');
    const started = performance.now();
    const [response] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === '/_edgepass/callback'),
      page.click('button[type=submit]'),
    ]);
    const elapsedMs = performance.now() - started;
    expect(response.status()).toBe(502);
    expect(await page.textContent('small')).toMatch(/^Code: oidc_timeout/);
    expect(await page.locator('a', { hasText: 'Try again' }).count()).toBe(1);
    // tokenTimeoutMs is 2000 by default: the page comes after it, and well within the 5 s a viewer request has.
    expect(elapsedMs).toBeGreaterThan(1900);
    expect(elapsedMs).toBeLessThan(5000);
    console.info(`token endpoint silent: callback page after ${String(Math.round(elapsedMs))} ms`);
    // No loop: one sign-in, one callback, and the browser stays on the page.
    await page.waitForTimeout(500);
    const paths = visits.urls.map((url) => new URL(url).pathname);
    expect(paths.filter((p) => p === '/_edgepass/sign-in')).toHaveLength(1);
    expect(paths.filter((p) => p === '/_edgepass/callback')).toHaveLength(1);
    expect(new URL(page.url()).pathname).toBe('/_edgepass/callback');
    expect(visits.urls.join('\n')).not.toMatch(JWT);
    expect(t.logs.join('\n')).toMatch(/"reason":"oidc_timeout"/);
  });
});
