// Maps a path-style REST request to the one IAM action S3 authorises it as (S3 User Guide, "Required permissions for
// Amazon S3 API operations"); anything else is "unmapped" and refused (fail closed). Input: the raw request line and
// headers (untrusted). The shape named for an unmapped request carries parameter names only, never values.
import { isIP } from 'node:net';
import { INVALID_URI, NO_SUCH_BUCKET } from './s3-errors.ts';
import type { S3ErrorSpec } from './s3-errors.ts';
import type { GateBucket } from './types.ts';

export type ObjectAction = 's3:GetObject' | 's3:PutObject' | 's3:DeleteObject';

export type Operation =
  | { readonly kind: 'object'; readonly action: ObjectAction; readonly bucket: GateBucket; readonly key: string }
  | {
      readonly kind: 'bucket';
      readonly action: 's3:ListBucket';
      readonly bucket: GateBucket;
      readonly context: Readonly<Record<string, string>>;
    }
  | { readonly kind: 'form'; readonly bucket: GateBucket }
  | { readonly kind: 'preflight'; readonly bucket: GateBucket; readonly target: 'bucket' | 'object' }
  | { readonly kind: 'unmapped'; readonly bucket: GateBucket | undefined; readonly shape: string }
  | { readonly kind: 'error'; readonly bucket: GateBucket | undefined; readonly error: S3ErrorSpec };

export interface RawRequest {
  readonly method: string;
  readonly url: string;
  readonly host: string | undefined;
  readonly contentType: string | undefined;
  readonly copySourceHeader: boolean;
}

/** ListObjects (v1) and ListObjectsV2 parameters (S3 API Reference), and the `s3:*` keys they set. */
const LIST_PARAMS = new Set([
  'list-type',
  'prefix',
  'delimiter',
  'max-keys',
  'marker',
  'encoding-type',
  'continuation-token',
  'start-after',
  'fetch-owner',
]);
const LIST_CONTEXT: Readonly<Record<string, string>> = {
  prefix: 's3:prefix',
  delimiter: 's3:delimiter',
  'max-keys': 's3:max-keys',
};
/** GetObject's response header overrides (S3 API Reference, GetObject "URI Request Parameters"). */
const GET_OBJECT_PARAMS = new Set([
  'response-cache-control',
  'response-content-disposition',
  'response-content-encoding',
  'response-content-language',
  'response-content-type',
  'response-expires',
]);

/** SigV4 query parameters, other `x-amz-*` values (s3rver turns them into headers) and the SDK's `x-id` hint. */
const isNeutral = (name: string) => name.toLowerCase().startsWith('x-amz-') || name === 'x-id';

/** s3rver treats any host but an IP literal or `localhost` as a virtual-hosted bucket name (middleware/vhost.js). */
function isPathStyleHost(host: string | undefined): boolean {
  if (host === undefined) return false;
  const hostname = host.startsWith('[') ? host.slice(1, host.indexOf(']')) : (host.split(':')[0] ?? '');
  return isIP(hostname) !== 0 || hostname === 'localhost';
}

function decode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

function shapeOf(method: string, target: string, params: readonly string[], note = ''): string {
  const names = params.length > 0 ? ` ?${[...new Set(params)].sort().join(',')}` : '';
  return `${method} ${target}${names}${note === '' ? '' : ` (${note})`}`;
}

export function classify(request: RawRequest, buckets: ReadonlyMap<string, GateBucket>): Operation {
  const { method } = request;
  const queryAt = request.url.indexOf('?');
  const path = queryAt === -1 ? request.url : request.url.slice(0, queryAt);
  const query = new URLSearchParams(queryAt === -1 ? '' : request.url.slice(queryAt + 1));
  const names = [...query.keys()];
  if (!isPathStyleHost(request.host)) return unmapped(undefined, shapeOf(method, 'request', [], 'virtual-hosted'));
  const slash = path.indexOf('/', 1);
  const bucketName = decode(slash === -1 ? path.slice(1) : path.slice(1, slash));
  const rawKey = slash === -1 ? '' : path.slice(slash + 1);
  const key = decode(rawKey);
  if (!path.startsWith('/') || bucketName === undefined || key === undefined) return error(undefined, INVALID_URI);
  if (bucketName === '') return unmapped(undefined, shapeOf(method, 'service', names));
  const bucket = buckets.get(bucketName);
  if (bucket === undefined) return error(undefined, NO_SUCH_BUCKET);
  if (method === 'OPTIONS') return { kind: 'preflight', bucket, target: key === '' ? 'bucket' : 'object' };
  if (new Set(names).size !== names.length) {
    return unmapped(bucket, shapeOf(method, key === '' ? 'bucket' : 'object', names, 'repeated parameter'));
  }
  const extra = names.filter((n) => !isNeutral(n));
  return key === '' ? bucketOperation(request, bucket, query, extra) : objectOperation(request, bucket, key, extra);
}

/**
 * S3 keeps `a/../b` and `a//b` as literal keys, but s3rver's filesystem store resolves them to other keys, so the
 * gate would authorise one key while s3rver touches another: refused. So is S3's `${filename}` POST substitution,
 * which s3rver does not perform.
 */
export function keyProblem(key: string): string | undefined {
  if (key.split('/').some((s, i, all) => s === '.' || s === '..' || (s === '' && i < all.length - 1))) {
    return 'dot or empty key segment';
  }
  return key.includes('${filename}') ? '${filename} in key' : undefined;
}

function objectOperation(request: RawRequest, bucket: GateBucket, key: string, extra: string[]): Operation {
  const { method } = request;
  const problem = keyProblem(key);
  if (problem !== undefined) return unmapped(bucket, shapeOf(method, 'object', extra, problem));
  const readParams = method === 'GET' || method === 'HEAD' ? GET_OBJECT_PARAMS : new Set<string>();
  if (extra.some((n) => !readParams.has(n))) return unmapped(bucket, shapeOf(method, 'object', extra));
  switch (method) {
    case 'GET':
    case 'HEAD':
      return { kind: 'object', action: 's3:GetObject', bucket, key };
    case 'PUT':
      // CopyObject also needs s3:GetObject on the source (User Guide): not mapped, so refused.
      if (request.copySourceHeader) return unmapped(bucket, shapeOf(method, 'object', extra, 'x-amz-copy-source'));
      return { kind: 'object', action: 's3:PutObject', bucket, key };
    case 'DELETE':
      return { kind: 'object', action: 's3:DeleteObject', bucket, key };
    default:
      return unmapped(bucket, shapeOf(method, 'object', extra));
  }
}

function bucketOperation(request: RawRequest, bucket: GateBucket, query: URLSearchParams, extra: string[]): Operation {
  const { method } = request;
  const listing = (method === 'GET' || method === 'HEAD') && extra.every((n) => LIST_PARAMS.has(n));
  const listType = query.get('list-type');
  if (listing && (listType === null || listType === '2')) {
    // ListObjects, ListObjectsV2 and HeadBucket all need s3:ListBucket on the bucket ARN (API Reference).
    const context: Record<string, string> = {};
    for (const [param, contextKey] of Object.entries(LIST_CONTEXT)) {
      const value = query.get(param);
      if (value !== null) context[contextKey] = value;
    }
    return { kind: 'bucket', action: 's3:ListBucket', bucket, context };
  }
  const multipart = request.contentType?.toLowerCase().startsWith('multipart/form-data') === true;
  if (method === 'POST' && extra.length === 0 && multipart) return { kind: 'form', bucket };
  return unmapped(bucket, shapeOf(method, 'bucket', extra));
}

const unmapped = (bucket: GateBucket | undefined, shape: string): Operation => ({ kind: 'unmapped', bucket, shape });
const error = (bucket: GateBucket | undefined, spec: S3ErrorSpec): Operation => ({
  kind: 'error',
  bucket,
  error: spec,
});
