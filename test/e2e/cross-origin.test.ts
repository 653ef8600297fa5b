// A single-page app on another origin, in real Chromium against the local stack: Chromium's own CORS checks accept
// the edge's preflights and credentialed answers for a listed origin, and block an unlisted one. Skips plainly
// without the browser (browser.test.ts fails CI when it is missing).
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devToken, startTestStack } from './stack-fixture.ts';
import type { TestStack } from './stack-fixture.ts';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'];
const CAUSEWAY = '/attractions/giants-causeway/';

interface Answer {
  readonly status: number;
  readonly body: unknown;
  readonly challenge: string | null;
}

describe.skipIf(!existsSync(CHROMIUM))('a browser app on another origin (real Chromium)', () => {
  let spa: Server;
  let appOrigin: string;
  let unlistedOrigin: string;
  let t: TestStack;
  let browser: Browser;
  let token: string;

  beforeAll(async () => {
    spa = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>app</title>');
    });
    await new Promise<void>((resolve) => spa.listen(0, '127.0.0.1', resolve));
    const { port } = spa.address() as AddressInfo;
    // Same site as the CDN (http://localhost:<port>), as an app on a sibling subdomain would be; 127.0.0.1 is not.
    appOrigin = `http://localhost:${port}`;
    unlistedOrigin = `http://127.0.0.1:${port}`;
    t = await startTestStack({ adjustConfig: (raw) => ({ ...raw, appOrigins: [appOrigin] }) });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    token = await devToken(t.cdn, 'alice', ['giants-causeway']);
  });
  afterAll(async () => {
    await browser.close();
    await t.stop();
    await new Promise((resolve) => spa.close(resolve));
  });

  async function pageAt(origin: string): Promise<Page> {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${origin}/`);
    return page;
  }

  /** fetch() from the page; a CORS refusal rejects, and comes back as 'blocked'. */
  function fetchFrom(page: Page, url: string, init: RequestInit): Promise<Answer | 'blocked'> {
    return page.evaluate(
      async ({ url, init }) => {
        try {
          const res = await fetch(url, init);
          const body: unknown = res.status === 204 ? null : await res.json();
          return { status: res.status, body, challenge: res.headers.get('www-authenticate') };
        } catch {
          return 'blocked' as const;
        }
      },
      { url, init },
    );
  }

  it('reads the 401 reason and challenge of a protected object without a session', async () => {
    const page = await pageAt(appOrigin);
    const answer = await fetchFrom(page, `${t.cdn}${CAUSEWAY}waves.wav`, { credentials: 'include' });
    expect(answer).toEqual({
      status: 401,
      body: { reason: 'token_missing', requestId: expect.any(String) as unknown },
      challenge: 'Bearer realm="edgepass"',
    });
  });

  it('gets a grant after a preflight, and its cookies then open the attraction', async () => {
    const page = await pageAt(appOrigin);
    const grant = await fetchFrom(page, `${t.cdn}/_edgepass/grant?attraction=giants-causeway`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      credentials: 'include',
    });
    expect(grant).toMatchObject({ status: 200, body: { reason: 'cookies_granted', path: CAUSEWAY } });
    const names = (await page.context().cookies(`${t.cdn}${CAUSEWAY}waves.wav`)).map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['CloudFront-Policy', 'CloudFront-Signature']));
    // The bytes themselves need CORS from the distribution (a response headers policy): the edge's part is to pass.
    await fetchFrom(page, `${t.cdn}${CAUSEWAY}waves.wav`, { credentials: 'include' });
    expect(t.logs.some((line) => line.includes('"reason":"signed_cookies_valid"'))).toBe(true);
  });

  it('follows a bearer redirect to the signed URL, preflighted again, and the edge lets it through', async () => {
    const page = await pageAt(appOrigin);
    await fetchFrom(page, `${t.cdn}${CAUSEWAY}basalt.png`, { headers: { authorization: `Bearer ${token}` } });
    const reasons = t.logs
      .filter((line) => line.includes('basalt.png'))
      .map((line) => /"reason":"(\w+)"/.exec(line)?.[1]);
    expect(reasons).toEqual(
      expect.arrayContaining(['cors_preflight_allowed', 'signed_url_minted', 'signed_url_valid']),
    );
  });

  it('is blocked by the browser from an unlisted origin', async () => {
    const page = await pageAt(unlistedOrigin);
    expect(await fetchFrom(page, `${t.cdn}${CAUSEWAY}waves.wav`, { credentials: 'include' })).toBe('blocked');
    const grant = await fetchFrom(page, `${t.cdn}/_edgepass/grant?attraction=giants-causeway`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(grant).toBe('blocked');
    expect(t.logs.some((line) => line.includes('"reason":"cors_origin_not_allowed"'))).toBe(true);
  });
});
