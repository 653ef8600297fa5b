// Sends the origin request the way CloudFront does: only what the behaviour's policies forward, the origin path
// prepended, and, with origin access control, signed with SigV4 as the CloudFront service principal (Developer
// Guide, "Restrict access to an Amazon S3 origin" and "... an AWS Lambda function URL origin"). Streams both ways.
import http from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { EMPTY_SHA256, queryRecord, signRequest } from '../sigv4.ts';
import type { Credentials } from '../sigv4.ts';

export interface OacSigner {
  readonly credentials: Credentials;
  readonly region: string;
  /** `s3` or `lambda` (the origin access control's origin type). */
  readonly service: string;
}

export interface OriginTarget {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  /** Prepended to the URI: `/<bucket>` (path-style S3) plus the origin's OriginPath. */
  readonly pathPrefix: string;
  /** Object key CloudFront asks for on `/` (the distribution's DefaultRootObject), if any. */
  readonly defaultRootObject: string | undefined;
  readonly signer: OacSigner | undefined;
  /** Custom origins get X-Forwarded-For (Developer Guide, "How CloudFront processes requests"). */
  readonly custom: boolean;
}

export interface OriginRequest {
  readonly method: string;
  readonly uri: string;
  readonly rawQuery: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly cookie: string | undefined;
  readonly body: Readable | undefined;
  readonly clientIp: string;
  readonly requestId: string;
}

/** SigV4's UriEncode: every byte but A-Z, a-z, 0-9, '-', '.', '_' and '~' (AWS General Reference, SigV4). */
const uriEncode = (text: string) =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * S3 decodes the path into the object key and signs the key encoded once (its canonical URI), so the request is
 * sent and signed in that form: `/%61b` and `/ab` name, and sign, the same key. A segment that does not decode
 * is left as sent (S3 answers it with an error of its own).
 */
function s3CanonicalPath(path: string): string {
  return path
    .split('/')
    .map((segment) => {
      try {
        return uriEncode(decodeURIComponent(segment));
      } catch {
        return segment;
      }
    })
    .join('/');
}

function pathOf(target: OriginTarget, uri: string): string {
  const object = uri === '/' && target.defaultRootObject !== undefined ? `/${target.defaultRootObject}` : uri;
  const path = `${target.pathPrefix}${object}`;
  return target.signer?.service === 's3' ? s3CanonicalPath(path) : path;
}

async function headersFor(target: OriginTarget, request: OriginRequest, path: string, nowMs: number) {
  const headers: Record<string, string> = {};
  for (const [name, value] of request.headers) {
    const lower = name.toLowerCase();
    headers[lower] = headers[lower] === undefined ? value : `${headers[lower]},${value}`;
  }
  if (request.cookie !== undefined) headers['cookie'] = request.cookie;
  headers['via'] = '1.1 local.cloudfront.net (CloudFront)';
  headers['x-amz-cf-id'] = request.requestId;
  headers['user-agent'] ??= 'Amazon CloudFront';
  if (target.custom) headers['x-forwarded-for'] = request.clientIp;
  const signer = target.signer;
  if (signer === undefined) return { ...headers, host: `${target.host}:${String(target.port)}` };
  // Signing "always" replaces whatever Authorization the viewer sent. For PUT and POST the payload hash is the
  // viewer's own x-amz-content-sha256 (CloudFront does not read the body to hash it; without it the payload is
  // unsigned, which Lambda refuses); other methods carry no body and sign the empty payload's hash.
  delete headers['authorization'];
  const viewerHashes = request.method === 'PUT' || request.method === 'POST';
  headers['x-amz-content-sha256'] ??= viewerHashes ? 'UNSIGNED-PAYLOAD' : EMPTY_SHA256;
  const signable = {
    method: request.method,
    hostname: target.host,
    port: target.port,
    path,
    query: queryRecord(request.rawQuery),
    headers,
  };
  return signRequest(signable, signer.credentials, {
    region: signer.region,
    service: signer.service,
    date: new Date(nowMs),
  });
}

/** Resolves with the origin's response (to be streamed to the viewer); rejects when the origin cannot be reached. */
export async function sendToOrigin(
  target: OriginTarget,
  request: OriginRequest,
  nowMs: number,
): Promise<IncomingMessage> {
  const path = pathOf(target, request.uri);
  const headers = await headersFor(target, request, path, nowMs);
  return new Promise((resolve, reject) => {
    const upstream = http.request({
      host: target.host,
      port: target.port,
      method: request.method,
      path: request.rawQuery === '' ? path : `${path}?${request.rawQuery}`,
      headers,
    });
    upstream.once('response', resolve).once('error', reject);
    if (request.body === undefined) upstream.end();
    else request.body.pipe(upstream);
  });
}
