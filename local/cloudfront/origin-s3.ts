// The S3 origin, fetched the way CloudFront's origin access control does: SigV4-signed GETs with the local
// credentials (Developer Guide, "Restrict access to an Amazon S3 origin"). Keys come from the viewer's URI.
import { Readable } from 'node:stream';
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';

export interface S3Origin {
  readonly client: S3Client;
  readonly bucket: string;
}

export interface OriginResponse {
  readonly status: number;
  readonly headers: readonly (readonly [string, string])[];
  readonly body: Readable | string;
}

/**
 * `/` is the default root object (`index.html`); the origin path is prepended (Developer Guide, "Origin path"); the
 * key is the path without its leading slash, percent-decoded as S3 decodes it.
 */
export function keyOf(uri: string, originPath = ''): string | undefined {
  const path = `${originPath}${uri === '/' ? '/index.html' : uri}`;
  try {
    const key = decodeURIComponent(path.slice(1));
    return key === '' || key.length > 1024 ? undefined : key;
  } catch {
    return undefined;
  }
}

function s3Error(status: number, code: string): OriginResponse {
  const body = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${code}</Message></Error>`;
  return { status, headers: [['Content-Type', 'application/xml']], body };
}

interface ObjectMeta {
  ContentType?: string | undefined;
  ContentLength?: number | undefined;
  ETag?: string | undefined;
  LastModified?: Date | undefined;
  CacheControl?: string | undefined;
  ContentRange?: string | undefined;
}

function metaHeaders(meta: ObjectMeta): [string, string][] {
  const headers: [string, string][] = [['Accept-Ranges', 'bytes']];
  if (meta.ContentType !== undefined) headers.push(['Content-Type', meta.ContentType]);
  if (meta.ContentLength !== undefined) headers.push(['Content-Length', String(meta.ContentLength)]);
  if (meta.ETag !== undefined) headers.push(['ETag', meta.ETag]);
  if (meta.LastModified !== undefined) headers.push(['Last-Modified', meta.LastModified.toUTCString()]);
  if (meta.CacheControl !== undefined) headers.push(['Cache-Control', meta.CacheControl]);
  if (meta.ContentRange !== undefined) headers.push(['Content-Range', meta.ContentRange]);
  return headers;
}

function errorOf(error: unknown): OriginResponse {
  const { name, $metadata } = error as { name?: unknown; $metadata?: { httpStatusCode?: number } };
  const status = $metadata?.httpStatusCode;
  if (status === 304) return { status: 304, headers: [], body: '' };
  if (name === 'NoSuchKey' || name === 'NotFound' || status === 404) return s3Error(404, 'NoSuchKey');
  if (status === 416) return s3Error(416, 'InvalidRange');
  if (status === 403) return s3Error(403, 'AccessDenied');
  return s3Error(502, 'OriginError');
}

/** GET or HEAD one object; `range` and the conditional headers pass through as CloudFront forwards them. */
export async function fetchFromS3(
  origin: S3Origin,
  request: {
    method: 'GET' | 'HEAD';
    uri: string;
    originPath?: string;
    range?: string | undefined;
    ifNoneMatch?: string | undefined;
  },
): Promise<OriginResponse> {
  const key = keyOf(request.uri, request.originPath);
  if (key === undefined) return s3Error(400, 'InvalidURI');
  const input = { Bucket: origin.bucket, Key: key, Range: request.range, IfNoneMatch: request.ifNoneMatch };
  try {
    if (request.method === 'HEAD') {
      const head = await origin.client.send(new HeadObjectCommand(input));
      return { status: 200, headers: metaHeaders(head), body: '' };
    }
    const object = await origin.client.send(new GetObjectCommand(input));
    const body = object.Body instanceof Readable ? object.Body : '';
    return { status: object.ContentRange === undefined ? 200 : 206, headers: metaHeaders(object), body };
  } catch (error) {
    return errorOf(error);
  }
}
