// `POST /api/uploads`: turns a validated upload request into a presigned PUT (size and type signed) or a
// presigned POST (policy with content-length-range, type and key). Trust boundary: the key is derived here.
import { objectKey } from './keys.ts';
import { json, problem } from './respond.ts';
import type { ApiRequest, ApiResponse, ObjectStore, OriginApiOptions } from './types.ts';
import { readUploadBody } from './upload-body.ts';

export interface UploadDeps {
  readonly options: OriginApiOptions;
  readonly store: ObjectStore;
  readonly newId: () => string;
}

const isJson = (contentType: string | undefined): boolean =>
  contentType !== undefined && /^application\/json\s*(;|$)/i.test(contentType.trim());

export async function createUpload(
  request: ApiRequest,
  owner: string,
  nowMs: number,
  deps: UploadDeps,
): Promise<ApiResponse> {
  const { options, store } = deps;
  if (request.body !== undefined && request.body.length > 0 && !isJson(request.headers['content-type'])) {
    return problem(415, 'request_not_json', 'Send the upload request as application/json.');
  }
  const parsed = readUploadBody(request.body, options);
  if (!parsed.ok) return parsed.response;
  const upload = parsed.value;
  const key = objectKey(owner, upload.purpose, deps.newId(), upload.filename);
  const expiresInSeconds = options.uploadTtlSeconds;
  const expiresAt = new Date(nowMs + expiresInSeconds * 1000).toISOString();
  if (upload.method === 'POST') {
    const { url, fields } = await store.presignPost({
      key,
      contentType: upload.contentType,
      maxBytes: upload.rule.maxBytes,
      expiresInSeconds,
      nowMs,
    });
    return json(201, { method: 'POST', url, fields, key, expiresAt });
  }
  // Validation guarantees a length for PUT; S3 refuses any other size because content-length is signed.
  const contentLength = upload.contentLength ?? 0;
  const url = await store.presignPut({ key, contentType: upload.contentType, contentLength, expiresInSeconds, nowMs });
  const headers = { 'content-type': upload.contentType, 'content-length': String(contentLength) };
  return json(201, { method: 'PUT', url, headers, key, expiresAt });
}
