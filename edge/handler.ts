// The only file that knows the CloudFront viewer-request event shape: translates it to plain values, runs the pure
// core, translates the Decision back. Never throws: a bug answers a fail-closed 503 with the request id.
import type { CloudFrontHeaders, CloudFrontRequest, CloudFrontRequestEvent, CloudFrontRequestResult } from 'aws-lambda';
import type { EdgeConfig } from './config.ts';
import { decide } from './core/decide.ts';
import { respond } from './core/responses.ts';
import { createRuntime } from './core/runtime.ts';
import type { OidcFlow, Runtime } from './core/runtime.ts';
import type { Decision, EdgeRequest, HeaderMap } from './core/types.ts';
import { EdgepassError } from '../common/errors.ts';
import type { KeySource } from './key-source/types.ts';
import { createSampler, metricMembers } from './metrics.ts';

export interface EdgeDeps {
  /** Epoch milliseconds. */
  readonly clock: () => number;
  /** Receives one JSON line per decision; lines never hold a token, cookie value, signature or key. */
  readonly logger: (line: string) => void;
  readonly cacheEntries?: number;
  /** The private-key source the build selected (edgepass:key-source); tests pass edge/key-source/baked.ts. */
  readonly keySource: KeySource;
  /**
   * The network, never used at cold start: an issuer's `jwksUri` when a token names an unknown kid, and the OpenID
   * Provider's token endpoint (sign-in at the edge, `oidc`). Required by either; the bundle passes the global fetch.
   */
  readonly fetch?: typeof fetch;
  /** Share of log lines that carry decision metrics (edge/metrics.ts), in (0, 1]. @default 1 */
  readonly metricsSampleRate?: number;
  /** The sign-in endpoints (edgepass:oidc), required with `oidc`; tests pass edge/core/oidc.ts's oidcFlow. */
  readonly oidcFlow?: OidcFlow | null;
  /** Uniform in [0, 1), for sampling. @default Math.random */
  readonly random?: () => number;
}

export type EdgeHandler = (event: CloudFrontRequestEvent) => Promise<CloudFrontRequestResult>;

// Lambda@Edge rejects a generated response over 40 KB (Developer Guide, "Quotas"): we stay below with a margin.
const MAX_RESPONSE_BYTES = 40_000;
const STATUS_TEXT: Readonly<Record<number, string>> = {
  200: 'OK',
  204: 'No Content',
  302: 'Found',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

// CloudFront wants { key, value } entries: the key in the usual Title-Case spelling (`Cache-Control`, `Set-Cookie`);
// header names are case-insensitive (RFC 9110 §5.1), so `Www-Authenticate` is as good as `WWW-Authenticate`.
// Spelled once per name: the core generates a dozen header names in all, and a replace per header of every answer
// cost a mint about 2 µs (bench, edge.mint.browser.hit).
const headerKeys = new Map<string, string>();
function headerKey(name: string): string {
  let key = headerKeys.get(name);
  if (key === undefined) headerKeys.set(name, (key = name.replace(/(^|-)[a-z]/g, (c) => c.toUpperCase())));
  return key;
}

const valuesOf = (list: CloudFrontHeaders[string] | undefined) => list?.map((h) => h.value);

/**
 * The only request headers the core reads (add a name here when it reads another). CloudFront gives header names
 * in lower case as the event's keys (Developer Guide, "Lambda@Edge event structure", request `headers`), so no
 * other header needs converting on every request.
 */
function coreHeaders(headers: CloudFrontHeaders): HeaderMap {
  return {
    accept: valuesOf(headers['accept']),
    'access-control-request-headers': valuesOf(headers['access-control-request-headers']),
    'access-control-request-method': valuesOf(headers['access-control-request-method']),
    authorization: valuesOf(headers['authorization']),
    cookie: valuesOf(headers['cookie']),
    origin: valuesOf(headers['origin']),
    'sec-fetch-mode': valuesOf(headers['sec-fetch-mode']),
    'sec-fetch-site': valuesOf(headers['sec-fetch-site']),
  };
}

function toResult(request: CloudFrontRequest, decision: Decision): CloudFrontRequestResult {
  switch (decision.kind) {
    case 'pass': {
      if (decision.rewrite === null) return request;
      // One shallow copy: the viewer's event is never changed, and only the Cookie line is replaced. Copied key by
      // key rather than spread-then-delete, which would turn the copy into a slow dictionary-mode object.
      const headers: CloudFrontHeaders = {};
      const viewer = request.headers;
      for (const name in viewer)
        if (name !== 'cookie' && Object.hasOwn(viewer, name)) headers[name] = viewer[name] ?? [];
      const { cookieHeader } = decision.rewrite;
      if (cookieHeader !== null) headers['cookie'] = [{ key: 'Cookie', value: cookieHeader }];
      return { ...request, uri: decision.rewrite.uri, querystring: decision.rewrite.rawQuery, headers };
    }
    case 'respond': {
      const headers: CloudFrontHeaders = {};
      for (const [name, values] of Object.entries(decision.headers)) {
        const key = headerKey(name);
        headers[name] = values.map((value) => ({ key, value }));
      }
      const status = String(decision.status);
      return { status, statusDescription: STATUS_TEXT[decision.status] ?? status, headers, body: decision.body };
    }
    default:
      throw new TypeError(`unknown decision ${JSON.stringify(decision satisfies never)}`);
  }
}

/** Header names and values plus the body: what Lambda@Edge counts against its 40 KB cap, with a margin. */
function responseBytes(decision: Decision): number {
  if (decision.kind === 'pass') return 0;
  let bytes = Buffer.byteLength(decision.body);
  for (const [name, values] of Object.entries(decision.headers)) {
    for (const value of values) bytes += name.length + 4 + Buffer.byteLength(value);
  }
  return bytes;
}

const EMPTY_REQUEST: CloudFrontRequest = { clientIp: '', headers: {}, method: 'GET', querystring: '', uri: '' };

function failClosed(requestId: string): Decision {
  const log = { reason: 'internal_error' };
  return respond({ status: 503, log, audience: 'app', requestId });
}

interface LogFacts {
  readonly uri: string;
  readonly requestId: string;
  readonly elapsedMs: number;
  readonly error: string | undefined;
  /** The decision's EMF members (edge/metrics.ts), or '' when this line carries none. */
  readonly metrics: string;
}

const member = (name: string, value: string | undefined): string =>
  value === undefined ? '' : `,"${name}":${JSON.stringify(value)}`;

/**
 * One JSON object per decision, members in a fixed order and absent when undefined (as JSON.stringify of the whole
 * object would write it, at a fraction of the cost: this runs on every request). Every string goes through
 * JSON.stringify; the names are our own literals.
 */
function logLine(decision: Decision, facts: LogFacts): string {
  const status = decision.kind === 'respond' ? String(decision.status) : '"pass"';
  return (
    `{"reason":${JSON.stringify(decision.reason)},"status":${status}` +
    member('kid', decision.kid) +
    member('iss', decision.iss) +
    member('keyPairId', decision.keyPairId) +
    member('path', facts.uri.slice(0, 512)) +
    member('requestId', facts.requestId) +
    `,"elapsedMs":${Number.isFinite(facts.elapsedMs) ? String(facts.elapsedMs) : 'null'}` +
    member('error', facts.error) +
    facts.metrics +
    '}'
  );
}

/**
 * Only a request that must sign waits for a key that is still loading; pass-through never does. Minting sits deep
 * in the core, so such a request is decided again once the key is there: safe, deciding only fills caches. A key
 * source that failed rejects with an EdgepassError `key_unavailable`, which the caller answers with a fail-closed 503.
 */
async function decideWithKey(runtime: Runtime, req: EdgeRequest): Promise<Decision> {
  try {
    return await decide(runtime, req);
  } catch (caught) {
    if (!(caught instanceof EdgepassError && caught.code === 'key_pending')) throw caught;
  }
  await runtime.keySource.ready(req.nowMs);
  return decide(runtime, req);
}

type CloudFrontRecord = CloudFrontRequestEvent['Records'][number]['cf'];

/**
 * The event's record when it has the documented shape (a request object inside), else undefined: the handler must
 * answer anything it is given, even `null` or `{ Records: null }`, without throwing (fail closed).
 */
function recordOf(event: unknown): CloudFrontRecord | undefined {
  const records = (event as { Records?: unknown } | null | undefined)?.Records;
  const cf = Array.isArray(records) ? (records[0] as { cf?: unknown } | null | undefined)?.cf : undefined;
  const request = (cf as { request?: unknown } | null | undefined)?.request;
  return typeof request === 'object' && request !== null ? (cf as CloudFrontRecord) : undefined;
}

const textOr = (value: unknown, fallback: string): string => (typeof value === 'string' ? value : fallback);

export function createHandler(config: EdgeConfig, deps: EdgeDeps): EdgeHandler {
  const runtime = createRuntime(config, deps);
  const sample = createSampler(deps.metricsSampleRate ?? 1, deps.random ?? Math.random);
  return async (event) => {
    const started = deps.clock();
    const cf = recordOf(event);
    const requestId = textOr((cf?.config as { requestId?: unknown } | undefined)?.requestId, 'unknown').slice(0, 128);
    let decision: Decision;
    let result: CloudFrontRequestResult;
    let error: string | undefined;
    try {
      if (cf === undefined) throw new TypeError('event without a CloudFront record');
      const { request } = cf;
      decision = await decideWithKey(runtime, {
        method: request.method,
        host: request.headers['host']?.[0]?.value ?? '',
        uri: request.uri,
        rawQuery: request.querystring,
        headers: coreHeaders(request.headers),
        clientIp: request.clientIp,
        requestId,
        nowMs: started,
      });
      result = toResult(request, decision);
      if (responseBytes(decision) > MAX_RESPONSE_BYTES) throw new RangeError('generated response over 40 KB');
    } catch (caught) {
      // A bug or a missing signing key: never allow. Log the error's class or code only, as a message could echo
      // viewer input.
      error = caught instanceof EdgepassError ? caught.code : caught instanceof Error ? caught.name : 'unknown';
      decision = failClosed(requestId);
      result = toResult(EMPTY_REQUEST, decision);
    }
    try {
      const elapsedMs = deps.clock() - started;
      const weight = sample();
      const metrics = weight === undefined ? '' : metricMembers(decision, { timestampMs: started, elapsedMs, weight });
      deps.logger(logLine(decision, { uri: textOr(cf?.request.uri, ''), requestId, elapsedMs, error, metrics }));
    } catch {
      // A failing logger must not turn a decision into a thrown error.
    }
    return result;
  };
}
