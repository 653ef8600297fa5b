// Decides what the local distribution answers for one viewer request: the behaviour's check (edge function or
// CloudFront's own signature check), then the origin. Viewer input is untrusted; nothing of it is echoed in notes.
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { selectBehaviour } from './behaviours.ts';
import type { Behaviour, HttpOrigin } from './behaviours.ts';
import { splitTarget, toViewerRequestEvent } from './event.ts';
import type { Distribution } from './event.ts';
import { checkRestricted } from './native.ts';
import type { CloudFrontVerifier } from '../../common/cloudfront/verify.ts';
import { fetchFromS3 } from './origin-s3.ts';
import type { S3Origin } from './origin-s3.ts';
import { ACCESS_DENIED, LAMBDA_EXECUTION_ERROR, LAMBDA_VALIDATION_ERROR, METHOD_NOT_ALLOWED } from './responses.ts';
import { cloudFrontHtmlError } from './responses.ts';
import { runViewerRequest } from './run-function.ts';
import type { ViewerRequestHandler } from './run-function.ts';

export interface DistributionOptions {
  readonly behaviours: readonly Behaviour[];
  readonly handler: ViewerRequestHandler;
  readonly s3: S3Origin;
  /** Needed by `native` behaviours; without it they deny every request (fail closed). */
  readonly nativeVerifier: CloudFrontVerifier | undefined;
  readonly distribution: Distribution;
  readonly viewerProtocol: 'http' | 'https';
  readonly nowMs: () => number;
  readonly functionTimeoutMs?: number;
}

export interface Answer {
  readonly status: number;
  readonly headers: readonly (readonly [string, string])[];
  readonly body: Readable | Buffer | string;
  /** For the log: behaviour and reason code, never viewer data. */
  readonly note: string;
}

export type Dispatch =
  { readonly kind: 'answer'; readonly answer: Answer } | { readonly kind: 'proxy'; readonly origin: HttpOrigin };

/** URLs over 8,192 bytes are refused (Developer Guide, "Quotas on CloudFront": maximum length of a URL). */
const MAX_URL_BYTES = 8_192;

export function clientIpOf(req: IncomingMessage): string {
  const address = req.socket.remoteAddress ?? '127.0.0.1';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join('; ') : value;
}

async function fromS3(
  options: DistributionOptions,
  req: IncomingMessage,
  uri: string,
  note: string,
  originPath = '',
): Promise<Answer> {
  const method = req.method;
  if (method !== 'GET' && method !== 'HEAD') return { ...METHOD_NOT_ALLOWED(), note: `${note}, method refused` };
  const range = headerOf(req, 'range');
  const ifNoneMatch = headerOf(req, 'if-none-match');
  return { ...(await fetchFromS3(options.s3, { method, uri, originPath, range, ifNoneMatch })), note };
}

async function viaFunction(options: DistributionOptions, req: IncomingMessage, requestId: string): Promise<Answer> {
  const viewer = {
    method: req.method ?? 'GET',
    target: req.url ?? '/',
    rawHeaders: req.rawHeaders,
    clientIp: clientIpOf(req),
  };
  const event = toViewerRequestEvent(viewer, options.distribution, requestId);
  const outcome = await runViewerRequest(options.handler, event, options.functionTimeoutMs);
  switch (outcome.kind) {
    case 'invalid':
      return { ...LAMBDA_VALIDATION_ERROR(outcome.reason), note: `function result invalid: ${outcome.reason}` };
    case 'failed':
      return { ...LAMBDA_EXECUTION_ERROR(outcome.reason), note: `function failed: ${outcome.reason}` };
    case 'response':
      return { ...outcome.response, note: 'function response' };
    case 'request':
      // The (possibly rewritten) URI is what CloudFront sends to the origin.
      return fromS3(options, req, outcome.request.uri, 'function passed');
  }
}

function viaNative(options: DistributionOptions, req: IncomingMessage, uri: string) {
  const verifier = options.nativeVerifier;
  if (verifier === undefined) return Promise.resolve({ ...ACCESS_DENIED(), note: 'native, no verifier' });
  const host = headerOf(req, 'host') ?? options.distribution.distributionDomainName;
  const request = {
    url: `${options.viewerProtocol}://${host}${req.url ?? '/'}`,
    cookieHeader: headerOf(req, 'cookie'),
    clientIp: clientIpOf(req),
  };
  const denied = checkRestricted(verifier, request, Math.floor(options.nowMs() / 1000));
  if (denied !== undefined) return Promise.resolve({ ...denied.response, note: `native ${denied.reason}` });
  return fromS3(options, req, uri, 'native signature ok');
}

export async function dispatch(
  options: DistributionOptions,
  req: IncomingMessage,
  requestId: string,
): Promise<Dispatch> {
  const target = req.url ?? '/';
  if (Buffer.byteLength(target) > MAX_URL_BYTES) {
    return { kind: 'answer', answer: { ...cloudFrontHtmlError(414, 'URI too long.', 'url'), note: 'url too long' } };
  }
  const { uri } = splitTarget(target);
  const behaviour = selectBehaviour(options.behaviours, uri);
  switch (behaviour?.kind) {
    case 'proxy':
      return { kind: 'proxy', origin: behaviour.origin };
    case 'function':
      return { kind: 'answer', answer: await viaFunction(options, req, requestId) };
    case 'native':
      return { kind: 'answer', answer: await viaNative(options, req, uri) };
    case 'public':
      return { kind: 'answer', answer: await fromS3(options, req, uri, 'public', behaviour.originPath) };
    case undefined:
      return {
        kind: 'answer',
        answer: { ...cloudFrontHtmlError(404, 'No behaviour matches.', 'no default'), note: 'none' },
      };
  }
}
