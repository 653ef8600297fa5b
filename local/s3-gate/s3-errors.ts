// S3-shaped error responses that the gate writes itself (S3 API Reference, "Error responses": XML body,
// Content-Type application/xml, x-amz-request-id). Messages are fixed strings: never a key, token or signature.
import { randomBytes } from 'node:crypto';
import type http from 'node:http';

export interface S3ErrorSpec {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

export const ACCESS_DENIED: S3ErrorSpec = { status: 403, code: 'AccessDenied', message: 'Access Denied' };
export const INTERNAL_ERROR: S3ErrorSpec = {
  status: 500,
  code: 'InternalError',
  message: 'We encountered an internal error. Please try again.',
};
export const NO_SUCH_BUCKET: S3ErrorSpec = {
  status: 404,
  code: 'NoSuchBucket',
  message: 'The specified bucket does not exist',
};
export const INVALID_URI: S3ErrorSpec = {
  status: 400,
  code: 'InvalidURI',
  message: "Couldn't parse the specified URI.",
};
export const ENTITY_TOO_LARGE: S3ErrorSpec = {
  status: 400,
  code: 'EntityTooLarge',
  message: 'Your proposed upload exceeds the maximum allowed size',
};
export const MALFORMED_POST: S3ErrorSpec = {
  status: 400,
  code: 'MalformedPOSTRequest',
  message: 'The body of your POST request is not well-formed multipart/form-data.',
};
export const SIGNATURE_MISMATCH: S3ErrorSpec = {
  status: 403,
  code: 'SignatureDoesNotMatch',
  message:
    'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
};
export const POLICY_EXPIRED: S3ErrorSpec = {
  status: 403,
  code: 'AccessDenied',
  message: 'Invalid according to Policy: Policy expired.',
};
export const INVALID_ACCESS_KEY: S3ErrorSpec = {
  status: 403,
  code: 'InvalidAccessKeyId',
  message: 'The AWS Access Key Id you provided does not exist in our records.',
};

/** The ids S3 puts in every response: a 16-hex-digit request id and an opaque host id. */
export interface RequestIds {
  readonly requestId: string;
  readonly hostId: string;
}

export function newRequestIds(): RequestIds {
  return {
    requestId: randomBytes(8).toString('hex').toUpperCase(),
    hostId: randomBytes(48).toString('base64'),
  };
}

// Element text only needs &, < and > escaped (XML 1.0 §2.4); S3's own messages keep their apostrophes.
const xmlEscapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
const escapeXml = (text: string) => text.replace(/[&<>]/g, (c) => xmlEscapes[c] ?? c);

export function errorXml(spec: S3ErrorSpec, ids: RequestIds): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<Error><Code>${escapeXml(spec.code)}</Code><Message>${escapeXml(spec.message)}</Message>` +
    `<RequestId>${ids.requestId}</RequestId><HostId>${escapeXml(ids.hostId)}</HostId></Error>`
  );
}

/** Writes the error; a HEAD gets the status and headers without a body (RFC 9110 §9.3.2). */
export function sendS3Error(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  spec: S3ErrorSpec,
  ids: RequestIds,
  extraHeaders: readonly (readonly [string, string])[] = [],
): void {
  const body = errorXml(spec, ids);
  res.statusCode = spec.status;
  res.setHeader('Content-Type', 'application/xml');
  res.setHeader('x-amz-request-id', ids.requestId);
  res.setHeader('x-amz-id-2', ids.hostId);
  for (const [name, value] of extraHeaders) res.setHeader(name, value);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

export const POST_KEY_MISSING: S3ErrorSpec = {
  status: 400,
  code: 'InvalidArgument',
  message: "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.",
};
