// Decides what the local distribution answers for one viewer request, in CloudFront's order: URL limit, behaviour,
// allowed methods, trusted key groups, viewer-request code, then the origin request as the policies shape it and
// the response headers policy on the origin's answer. Viewer input is untrusted; nothing of it is echoed in notes.
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type { CloudFrontVerifier } from '../../common/cloudfront/verify.ts';
import { selectBehaviour } from './behaviours.ts';
import type { LocalBehaviour } from './behaviours.ts';
import { splitTarget } from './event.ts';
import type { Distribution, ViewerRequest } from './event.ts';
import { forwardCookies, forwardHeaders, forwardQuery } from './forward.ts';
import { checkRestricted } from './native.ts';
import { sendToOrigin } from './origin.ts';
import { runOriginResponse } from './origin-response.ts';
import { applyResponseHeaders } from './response-headers.ts';
import {
  ACCESS_DENIED,
  BAD_ORIGIN,
  LAMBDA_EXECUTION_ERROR,
  LAMBDA_VALIDATION_ERROR,
  METHOD_NOT_ALLOWED,
} from './responses.ts';
import { cloudFrontHtmlError } from './responses.ts';

export interface DistributionOptions {
  readonly behaviours: readonly LocalBehaviour[];
  /** Needed by restricted behaviours; without it they deny every request (fail closed). */
  readonly nativeVerifier: CloudFrontVerifier | undefined;
  readonly distribution: Distribution;
  /** The scheme the edge sees and mints for (the local stack serves http on loopback: a documented override). */
  readonly viewerProtocol: 'http' | 'https';
  readonly nowMs: () => number;
}

export interface Answer {
  readonly status: number;
  readonly headers: readonly (readonly [string, string])[];
  readonly body: Readable | Buffer | string;
  /** For the log: behaviour and reason code, never viewer data. */
  readonly note: string;
  /** The X-Cache value: a function's own answer or an origin's. */
  readonly generated?: boolean;
}

/** URLs over 8,192 bytes are refused (Developer Guide, "Quotas on CloudFront": maximum length of a URL). */
const MAX_URL_BYTES = 8_192;
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te']);

export function clientIpOf(req: IncomingMessage): string {
  const address = req.socket.remoteAddress ?? '127.0.0.1';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

function headerOf(lines: readonly (readonly [string, string])[], name: string): string | undefined {
  const values = lines.filter(([n]) => n.toLowerCase() === name).map(([, v]) => v);
  return values.length === 0 ? undefined : values.join(name === 'cookie' ? '; ' : ', ');
}

function pairs(rawHeaders: readonly string[]): [string, string][] {
  const lines: [string, string][] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) lines.push([rawHeaders[i] ?? '', rawHeaders[i + 1] ?? '']);
  return lines;
}

function checkNative(options: DistributionOptions, viewer: ViewerRequest, lines: [string, string][]) {
  const verifier = options.nativeVerifier;
  if (verifier === undefined) return { response: ACCESS_DENIED(), reason: 'no verifier' };
  const host = headerOf(lines, 'host') ?? options.distribution.distributionDomainName;
  const request = {
    url: `${options.viewerProtocol}://${host}${viewer.target}`,
    cookieHeader: headerOf(lines, 'cookie'),
    clientIp: viewer.clientIp,
  };
  return checkRestricted(verifier, request, Math.floor(options.nowMs() / 1000));
}

async function viaOrigin(
  options: DistributionOptions,
  behaviour: LocalBehaviour,
  req: IncomingMessage,
  forwarded: { uri: string; rawQuery: string; headers: readonly (readonly [string, string])[] },
  requestId: string,
  note: string,
): Promise<Answer> {
  const rules = behaviour.forward;
  const request = {
    method: req.method ?? 'GET',
    uri: forwarded.uri,
    rawQuery: forwardQuery(rules, forwarded.rawQuery),
    headers: forwardHeaders(rules, forwarded.headers),
    cookie: forwardCookies(rules, headerOf(forwarded.headers, 'cookie')),
    body: req.method === 'GET' || req.method === 'HEAD' ? undefined : req,
    clientIp: clientIpOf(req),
    requestId,
  };
  let answer: IncomingMessage;
  try {
    // Signed with the wall clock, as CloudFront does: the origin is a real server with a real clock, whatever clock
    // the viewer-facing checks run on (tests freeze that one).
    answer = await sendToOrigin(behaviour.origin, request, Date.now());
  } catch {
    return { ...BAD_ORIGIN(`${behaviour.origin.name} is not answering`), note: `${note}, origin down` };
  }
  const lines = pairs(answer.rawHeaders).filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase()));
  const cors = {
    method: request.method,
    origin: req.headers.origin,
    requestMethod: req.headers['access-control-request-method'],
  };
  const origin = {
    status: answer.statusCode ?? 502,
    statusText: answer.statusMessage ?? '',
    headers: lines,
    body: answer,
  };
  const after = await afterOrigin(options, behaviour, { ...request, rawHeaders: request.headers.flat() }, origin);
  if ('failed' in after) return { ...after.failed, note: `${note} -> ${behaviour.origin.name}, ${after.why}` };
  const headers = applyResponseHeaders(behaviour.responseHeaders, cors, after.headers);
  return { status: after.status, headers, body: after.body, note: `${note} -> ${behaviour.origin.name}` };
}

interface OriginResult {
  readonly status: number;
  readonly headers: [string, string][];
  readonly body: Readable | Buffer;
  readonly statusText?: string;
}

/** The behaviour's origin-response function, if any, on the origin's answer (its body is never shown to it). */
async function afterOrigin(
  options: DistributionOptions,
  behaviour: LocalBehaviour,
  request: { method: string; uri: string; rawQuery: string; clientIp: string; requestId: string; rawHeaders: string[] },
  origin: OriginResult,
): Promise<OriginResult | { failed: ReturnType<typeof LAMBDA_EXECUTION_ERROR>; why: string }> {
  const handler = behaviour.originResponse;
  if (handler === undefined) return origin;
  const outcome = await runOriginResponse(handler, {
    request: { ...request, querystring: request.rawQuery },
    answer: { status: origin.status, statusDescription: origin.statusText ?? '', rawHeaders: origin.headers.flat() },
    distribution: options.distribution,
    requestId: request.requestId,
  });
  switch (outcome.kind) {
    case 'invalid':
      return { failed: LAMBDA_VALIDATION_ERROR(outcome.reason), why: `origin response invalid: ${outcome.reason}` };
    case 'failed':
      return { failed: LAMBDA_EXECUTION_ERROR(outcome.reason), why: `origin response failed: ${outcome.reason}` };
    case 'response':
      if (outcome.body !== undefined && 'destroy' in origin.body) origin.body.destroy();
      return {
        status: outcome.status,
        // A body the function set replaces the origin's, so the origin's length no longer describes it: CloudFront
        // frames the new body itself (the AWS examples keep the origin's headers and only set a body).
        headers: outcome.headers
          .filter(([n]) => outcome.body === undefined || n.toLowerCase() !== 'content-length')
          .map(([n, v]): [string, string] => [n, v]),
        body: outcome.body ?? origin.body,
      };
  }
}

async function viaBehaviour(
  options: DistributionOptions,
  behaviour: LocalBehaviour,
  req: IncomingMessage,
  requestId: string,
) {
  const target = req.url ?? '/';
  const lines = pairs(req.rawHeaders);
  const viewer: ViewerRequest = {
    method: req.method ?? 'GET',
    target,
    rawHeaders: req.rawHeaders,
    clientIp: clientIpOf(req),
  };
  if (!behaviour.allowedMethods.includes(viewer.method)) return { ...METHOD_NOT_ALLOWED(), note: 'method not allowed' };
  if (behaviour.restricted) {
    const denied = checkNative(options, viewer, lines);
    if (denied !== undefined) return { ...denied.response, note: `key group: ${denied.reason}` };
  }
  const { uri, querystring } = splitTarget(target);
  const runner = behaviour.viewerRequest;
  if (runner === undefined)
    return viaOrigin(options, behaviour, req, { uri, rawQuery: querystring, headers: lines }, requestId, 'no function');
  const outcome = await runner.run(viewer, options.distribution, requestId);
  switch (outcome.kind) {
    case 'invalid':
      return { ...LAMBDA_VALIDATION_ERROR(outcome.reason), note: `${runner.kind} result invalid: ${outcome.reason}` };
    case 'failed':
      return { ...LAMBDA_EXECUTION_ERROR(outcome.reason), note: `${runner.kind} failed: ${outcome.reason}` };
    case 'response':
      return { ...outcome.response, note: `${runner.kind} response`, generated: true };
    case 'request':
      return viaOrigin(options, behaviour, req, outcome, requestId, `${runner.kind} passed`);
  }
}

export async function dispatch(options: DistributionOptions, req: IncomingMessage, requestId: string): Promise<Answer> {
  const target = req.url ?? '/';
  if (Buffer.byteLength(target) > MAX_URL_BYTES)
    return { ...cloudFrontHtmlError(414, 'URI too long.', 'url'), note: 'url too long' };
  const behaviour = selectBehaviour(options.behaviours, splitTarget(target).uri);
  if (behaviour === undefined)
    return { ...cloudFrontHtmlError(404, 'No behaviour matches.', 'no default'), note: 'none' };
  return viaBehaviour(options, behaviour, req, requestId);
}
