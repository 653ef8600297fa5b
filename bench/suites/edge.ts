// In-process benchmarks of the built bundle's `handler` with viewer-request events: pass-through (signed cookies,
// signed URL), browser mint, app mint and denial, each with its cache-hit and cache-miss variants where one exists.
import type { CloudFrontRequestEvent } from 'aws-lambda';
import type { BenchCase } from '../measure.ts';
import { SESSION_COOKIE } from '../fixtures/config.ts';
import { headerValues, statusOf, viewerRequest } from '../fixtures/events.ts';
import type { Inputs } from '../fixtures/inputs.ts';
import { ATTRACTIONS, OBJECTS } from '../fixtures/inputs.ts';
import { objectUri } from '../fixtures/signed.ts';
import { attraction, ticketsOf } from '../fixtures/tokens.ts';

export type Handler = (event: CloudFrontRequestEvent) => Promise<unknown>;

/** Names of the never-seen token pools the cache-miss cases draw from (one per case). */
export const FRESH_TOKEN_POOLS = ['browserTokenMiss', 'browserMiss', 'appTokenMiss', 'appMiss'] as const;

const HTML = 'text/html,application/xhtml+xml';

const passed = (r: unknown): string | undefined =>
  statusOf(r) === undefined ? undefined : `status ${String(statusOf(r))} instead of pass-through`;

function minted(kind: 'cookies' | 'url') {
  return (r: unknown): string | undefined => {
    if (statusOf(r) !== 302) return `status ${String(statusOf(r))} instead of 302`;
    const ok =
      kind === 'cookies'
        ? headerValues(r, 'set-cookie').some((c) => c.startsWith('CloudFront-Signature='))
        : headerValues(r, 'location').some((l) => l.includes('Signature='));
    return ok ? undefined : `302 without signed ${kind}`;
  };
}

const denied = (r: unknown): string | undefined => (statusOf(r) === 401 ? undefined : `status ${String(statusOf(r))}`);

/** Builds all events up front so that the timed section is the handler call alone. */
function cycle(events: CloudFrontRequestEvent[]): (i: number) => CloudFrontRequestEvent {
  return (i) => events[i % events.length]!;
}

function browser(token: string, uri: string, requestId: string): CloudFrontRequestEvent {
  return viewerRequest({ uri, cookies: { [SESSION_COOKIE]: token }, accept: HTML, requestId });
}

function app(token: string, uri: string, requestId: string): CloudFrontRequestEvent {
  return viewerRequest({ uri, authorization: `Bearer ${token}`, requestId });
}

function passCases(inputs: Inputs, run: Handler): BenchCase[] {
  const cookie = (r: Inputs['cookieRequests'][number], i: number) =>
    viewerRequest({ uri: r.uri, cookies: r.cookies, accept: HTML, requestId: `pc${i}` });
  const url = (r: Inputs['urlRequests'][number], i: number) =>
    viewerRequest({ uri: r.uri, querystring: r.querystring, requestId: `pu${i}` });
  const hitCookies = cycle(inputs.cookieRequests.map(cookie));
  const missCookies = inputs.freshCookieRequests.map(cookie);
  const hitUrls = cycle(inputs.urlRequests.map(url));
  const missUrls = inputs.freshUrlRequests.map(url);
  return [
    {
      id: 'edge.pass.cookies.hit',
      label: 'pass: signed cookies, verified-signature cache hit',
      inputs: Infinity,
      op: (i) => run(hitCookies(i)),
      check: passed,
    },
    {
      id: 'edge.pass.cookies.miss',
      label: 'pass: signed cookies, cache miss (new signature)',
      inputs: missCookies.length,
      op: (i) => run(missCookies[i]!),
      check: passed,
    },
    {
      id: 'edge.pass.url.hit',
      label: 'pass: signed URL, verified-signature cache hit',
      inputs: Infinity,
      op: (i) => run(hitUrls(i)),
      check: passed,
    },
    {
      id: 'edge.pass.url.miss',
      label: 'pass: signed URL, cache miss (new signature)',
      inputs: missUrls.length,
      op: (i) => run(missUrls[i]!),
      check: passed,
    },
  ];
}

/** Warm users hit both caches; token-miss users are new but enter popular attractions; miss users need both. */
function mintCases(inputs: Inputs, run: Handler): BenchCase[] {
  const warm = inputs.tokens.map((t, u) => ({ t, a: ticketsOf(u, ATTRACTIONS)[0]!, o: u % OBJECTS }));
  const hitBrowser = cycle(warm.map((w, u) => browser(w.t, objectUri(w.a, (u * 7) % OBJECTS), `mb${u}`)));
  const hitApp = cycle(warm.map((w, u) => app(w.t, objectUri(w.a, w.o), `ma${u}`)));
  const fresh = (pool: string, make: typeof browser, unique: boolean) =>
    inputs.freshTokens(pool).map((f, i) => make(f.token, objectUri(unique ? f.own : f.popular, 0), `${pool}${i}`));
  const browserTokenMiss = fresh('browserTokenMiss', browser, false);
  const browserMiss = fresh('browserMiss', browser, true);
  const appTokenMiss = fresh('appTokenMiss', app, false);
  const appMiss = fresh('appMiss', app, true);
  const cookies = minted('cookies');
  const url = minted('url');
  return [
    {
      id: 'edge.mint.browser.hit',
      label: 'browser mint: token cache hit, signature reused',
      inputs: Infinity,
      op: (i) => run(hitBrowser(i)),
      check: cookies,
    },
    {
      id: 'edge.mint.browser.tokenMiss',
      label: 'browser mint: new token, signature reused',
      inputs: browserTokenMiss.length,
      op: (i) => run(browserTokenMiss[i]!),
      check: cookies,
    },
    {
      id: 'edge.mint.browser.miss',
      label: 'browser mint: new token, new signature',
      inputs: browserMiss.length,
      op: (i) => run(browserMiss[i]!),
      check: cookies,
    },
    {
      id: 'edge.mint.app.hit',
      label: 'app mint: token cache hit, signed URL reused',
      inputs: Infinity,
      op: (i) => run(hitApp(i)),
      check: url,
    },
    {
      id: 'edge.mint.app.tokenMiss',
      label: 'app mint: new token, signed URL reused',
      inputs: appTokenMiss.length,
      op: (i) => run(appTokenMiss[i]!),
      check: url,
    },
    {
      id: 'edge.mint.app.miss',
      label: 'app mint: new token, new signature',
      inputs: appMiss.length,
      op: (i) => run(appMiss[i]!),
      check: url,
    },
  ];
}

function denyCases(inputs: Inputs, run: Handler): BenchCase[] {
  const forged = cycle(inputs.forgedTokens.map((t, i) => app(t, objectUri(attraction(0), i % OBJECTS), `df${i}`)));
  const malformed = cycle(
    Array.from({ length: 16 }, (_, i) => app(`not-a-jwt-${i}`, objectUri(attraction(0), i), `dm${i}`)),
  );
  return [
    {
      id: 'edge.deny.badSignature',
      label: 'deny: bearer token with a bad signature',
      inputs: Infinity,
      op: (i) => run(forged(i)),
      check: denied,
    },
    {
      id: 'edge.deny.malformed',
      label: 'deny: malformed bearer token',
      inputs: Infinity,
      op: (i) => run(malformed(i)),
      check: denied,
    },
  ];
}

export function edgeCases(inputs: Inputs, run: Handler): BenchCase[] {
  return [...passCases(inputs, run), ...mintCases(inputs, run), ...denyCases(inputs, run)];
}
