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

type Check = (result: unknown) => string | undefined;
/** `warm`: the events are cycled (a working set caches may keep); `once`: each is used once (never seen before). */
type Reuse = 'warm' | 'once';

/**
 * All events are built up front as JSON text; each operation gets a fresh object parsed from it outside the timed
 * section, as the Lambda runtime deserialises every invocation's event (no string or object is reused across calls,
 * so no hash or inline cache of a previous event helps). The timed section is the handler call alone.
 */
function caseOver(
  run: Handler,
  id: string,
  label: string,
  events: CloudFrontRequestEvent[],
  check: Check,
  reuse: Reuse,
): BenchCase {
  const texts = events.map((event) => JSON.stringify(event));
  return {
    id,
    label,
    inputs: reuse === 'warm' ? Infinity : texts.length,
    prepare: (i) => JSON.parse(texts[i % texts.length]!) as unknown,
    op: (_i, event) => run(event as CloudFrontRequestEvent),
    check,
  };
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
  return [
    caseOver(
      run,
      'edge.pass.cookies.hit',
      'pass: signed cookies, verified-signature cache hit',
      inputs.cookieRequests.map(cookie),
      passed,
      'warm',
    ),
    caseOver(
      run,
      'edge.pass.cookies.miss',
      'pass: signed cookies, cache miss (new signature)',
      inputs.freshCookieRequests.map(cookie),
      passed,
      'once',
    ),
    caseOver(
      run,
      'edge.pass.url.hit',
      'pass: signed URL, verified-signature cache hit',
      inputs.urlRequests.map(url),
      passed,
      'warm',
    ),
    caseOver(
      run,
      'edge.pass.url.miss',
      'pass: signed URL, cache miss (new signature)',
      inputs.freshUrlRequests.map(url),
      passed,
      'once',
    ),
  ];
}

/**
 * One mint flow (browser: session cookie → signed cookies; app: bearer → signed URL). Warm users hit both caches;
 * token-miss users are new but enter popular attractions (signature reused); miss users need both verification and
 * a new signature (an attraction nobody entered yet).
 */
function mintCases(inputs: Inputs, run: Handler, flow: 'browser' | 'app'): BenchCase[] {
  const make = flow === 'browser' ? browser : app;
  const check = minted(flow === 'browser' ? 'cookies' : 'url');
  const reused = flow === 'browser' ? 'signature reused' : 'signed URL reused';
  const object = (u: number) => (flow === 'browser' ? (u * 7) % OBJECTS : u % OBJECTS);
  const warm = inputs.tokens.map((t, u) =>
    make(t, objectUri(ticketsOf(u, ATTRACTIONS)[0]!, object(u)), `m${flow}${u}`),
  );
  const fresh = (pool: string, unique: boolean) =>
    inputs.freshTokens(pool).map((f, i) => make(f.token, objectUri(unique ? f.own : f.popular, 0), `${pool}${i}`));
  const id = `edge.mint.${flow}`;
  return [
    caseOver(run, `${id}.hit`, `${flow} mint: token cache hit, ${reused}`, warm, check, 'warm'),
    caseOver(
      run,
      `${id}.tokenMiss`,
      `${flow} mint: new token, ${reused}`,
      fresh(`${flow}TokenMiss`, false),
      check,
      'once',
    ),
    caseOver(run, `${id}.miss`, `${flow} mint: new token, new signature`, fresh(`${flow}Miss`, true), check, 'once'),
  ];
}

function denyCases(inputs: Inputs, run: Handler): BenchCase[] {
  const forged = inputs.forgedTokens.map((t, i) => app(t, objectUri(attraction(0), i % OBJECTS), `df${i}`));
  const malformed = Array.from({ length: 16 }, (_, i) => app(`not-a-jwt-${i}`, objectUri(attraction(0), i), `dm${i}`));
  return [
    caseOver(run, 'edge.deny.badSignature', 'deny: bearer token with a bad signature', forged, denied, 'warm'),
    caseOver(run, 'edge.deny.malformed', 'deny: malformed bearer token', malformed, denied, 'warm'),
  ];
}

export function edgeCases(inputs: Inputs, run: Handler): BenchCase[] {
  return [
    ...passCases(inputs, run),
    ...mintCases(inputs, run, 'browser'),
    ...mintCases(inputs, run, 'app'),
    ...denyCases(inputs, run),
  ];
}
