// Fixture for the browser-app suites: a page server on its own port (the app origin), the stack listing it as an
// app origin, one Chromium, and fetch() run inside a page so that Chromium's own CORS checks decide what the script
// may read. A fetch the browser refuses comes back as 'blocked'.
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { demoObjects } from '../../local/demo-content.ts';
import { png } from '../../local/media.ts';
import { startTestStack } from './stack-fixture.ts';
import type { TestStack } from './stack-fixture.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const hasBrowser = existsSync(CHROMIUM);
// Launch flags from /work/shared/reference/cloudfront.md ("Local stand-ins that verify for real"), and no QUIC.
const ARGS = [
  ...['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run'],
  ...['--disable-background-networking', '--disable-component-update', '--disable-sync'],
];
export const CAUSEWAY = '/attractions/giants-causeway/';

/** Outside CI a missing browser skips the suite; in CI (CI=true) it fails, as in browser.test.ts. */
export function failWithoutBrowserInCi(): void {
  it.runIf(process.env['CI'] === 'true' && !hasBrowser)(`needs ${CHROMIUM} in CI (apt-get install -y chromium)`, () => {
    expect.fail(`${CHROMIUM} is missing: the browser tests cannot run`);
  });
}

/** One headless Chromium with the suites' flags. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

export interface BrowserApp {
  readonly t: TestStack;
  /** `http://localhost:<page port>`: listed in the stack's app origins (same site as the CDN, another origin). */
  readonly appOrigin: string;
  /** `http://127.0.0.1:<page port>`: the same pages, from an origin nobody listed. */
  readonly unlistedOrigin: string;
  /** A fresh browser context (no cookies) on a blank page at `origin`. */
  pageAt(origin: string): Promise<Page>;
  stop(): Promise<void>;
}

export async function startBrowserApp(): Promise<BrowserApp> {
  const pages = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>app</title>');
  });
  await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
  const { port } = pages.address() as AddressInfo;
  const appOrigin = `http://localhost:${String(port)}`;
  const t = await startTestStack({ appOrigins: [appOrigin] });
  const browser = await launchChromium();
  return {
    t,
    appOrigin,
    unlistedOrigin: `http://127.0.0.1:${String(port)}`,
    async pageAt(origin) {
      const page = await (await browser.newContext()).newPage();
      await page.goto(`${origin}/`);
      return page;
    },
    async stop() {
      await browser.close();
      await t.stop();
      await new Promise((resolve) => pages.close(resolve));
    },
  };
}

export type CallBody =
  /** JSON with `content-type: application/json`; `hash`: the page adds `x-amz-content-sha256` (crypto.subtle). */
  | { readonly kind: 'json'; readonly text: string; readonly hash: boolean }
  | { readonly kind: 'bytes'; readonly data: readonly number[] }
  /** multipart/form-data: every field, then `file` last (a browser POST upload). */
  | { readonly kind: 'form'; readonly fields: Readonly<Record<string, string>>; readonly file: PageFile };

export interface PageFile {
  readonly data: readonly number[];
  readonly type: string;
  readonly name: string;
}

export interface Call {
  readonly url: string;
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly credentials?: 'include' | 'same-origin' | 'omit';
  readonly body?: CallBody;
  /** How the script reads the body; reading it at all is what CORS decides. */
  readonly read: 'json' | 'bytes' | 'none';
  /** Response headers the script reads (null when the browser hides them). */
  readonly expose?: readonly string[];
}

export interface Outcome {
  readonly status: number;
  /** `cors` for a cross-origin answer the script may read, `basic` for a same-origin one. */
  readonly type: string;
  readonly redirected: boolean;
  readonly headers: Readonly<Record<string, string | null>>;
  readonly body: unknown;
}

/** fetch() from the page; a CORS refusal rejects, and comes back as 'blocked'. */
export function inPage(page: Page, call: Call): Promise<Outcome | 'blocked'> {
  return page.evaluate(async (c) => {
    const headers = new Headers(c.headers ?? {});
    let body: string | Uint8Array<ArrayBuffer> | FormData | undefined;
    if (c.body?.kind === 'json') {
      body = c.body.text;
      headers.set('content-type', 'application/json');
      if (c.body.hash) {
        const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(c.body.text));
        const hex = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
        headers.set('x-amz-content-sha256', hex);
      }
    } else if (c.body?.kind === 'bytes') {
      body = new Uint8Array(c.body.data);
    } else if (c.body?.kind === 'form') {
      body = new FormData();
      for (const [name, value] of Object.entries(c.body.fields)) body.append(name, value);
      const { data, type, name } = c.body.file;
      body.append('file', new File([new Uint8Array(data)], name, { type }));
    }
    let res: Response;
    try {
      const init = { method: c.method ?? 'GET', headers, credentials: c.credentials ?? 'same-origin' };
      res = await fetch(c.url, body === undefined ? init : { ...init, body });
    } catch {
      return 'blocked' as const;
    }
    const exposed = Object.fromEntries((c.expose ?? []).map((name) => [name, res.headers.get(name)]));
    let read: unknown = null;
    if (c.read === 'json') read = await res.json();
    if (c.read === 'bytes') read = Array.from(new Uint8Array(await res.arrayBuffer()));
    return { status: res.status, type: res.type, redirected: res.redirected, headers: exposed, body: read };
  }, call);
}

/**
 * Signs in at the local OpenID Provider's form (where the edge's sign-in has sent `page`) as `login`, any password,
 * and waits until the edge has brought the browser back to `backTo`.
 */
export async function signInAtProvider(page: Page, login: string, backTo: string | RegExp): Promise<void> {
  await page.waitForURL('**/_dev/oidc/interaction/**');
  await page.fill('input[name=login]', login);
  await page.fill('input[name=password]', 'any');
  await Promise.all([page.waitForURL(backTo), page.click('button[type=submit]')]);
}

/** The JSON of a grant for Giant's Causeway: the cookies cover the attraction's folder on the CDN. */
export function causewayGrant(cdn: string): Record<string, unknown> {
  return {
    ...{ reason: 'cookies_granted', requestId: expect.any(String), attraction: 'giants-causeway', path: CAUSEWAY },
    ...{ resource: `${cdn}${CAUSEWAY}*`, expiresEpochSeconds: expect.any(Number), cookies: expect.any(Object) },
  };
}

/** The bytes of a seeded demo object, as the page reads them. */
export function seeded(key: string): number[] {
  const object = demoObjects().find((o) => o.key === key);
  if (object === undefined) throw new Error(`no demo object ${key}`);
  return [...Buffer.from(object.body)];
}

/** A small real PNG, different for each seed so that one upload is never mistaken for another. */
export function passportPhoto(seed: number): PageFile {
  const data = png(24, 16, (x, y) => [(x * 10 + seed) % 256, (y * 15) % 256, seed % 256]);
  return { data: [...data], type: 'image/png', name: `passport-${String(seed)}.png` };
}

/** The `POST /api/uploads` body for a passport photo. */
export function uploadRequest(file: PageFile, method?: 'PUT' | 'POST'): string {
  const { type: contentType, name: filename } = file;
  return JSON.stringify({ purpose: 'passport', contentType, contentLength: file.data.length, filename, method });
}

/** Narrows an outcome the test expects the browser to have let through (the assertions say what it was). */
export function readable(outcome: Outcome | 'blocked'): Outcome {
  if (outcome === 'blocked') throw new Error('the browser blocked a response the page should read');
  return outcome;
}
