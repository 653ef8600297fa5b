// `GET /api/files`, `GET|DELETE /api/files/{key}`: a caller sees, reads and deletes only keys under their own
// folder. Trust boundary: the key in the URL is hostile; anything outside the folder is a 404, without asking S3.
import { isOwnedKey, ownedKey } from './keys.ts';
import { empty, json, notFound, problem } from './respond.ts';
import type { ApiResponse, ObjectStore, OriginApiOptions } from './types.ts';

export interface FileDeps {
  readonly options: OriginApiOptions;
  readonly store: ObjectStore;
}

const DEFAULT_PAGE = 100;
/** ListObjectsV2 returns at most 1,000 keys per call (S3 API Reference, ListObjectsV2 MaxKeys). */
const MAX_PAGE = 1000;

/** The cursor is the last key of the previous page, so it too must lie in the caller's folder. */
export async function listFiles(query: URLSearchParams, owner: string, deps: FileDeps): Promise<ApiResponse> {
  const limitText = query.get('limit');
  const limit = limitText === null ? DEFAULT_PAGE : Number(limitText);
  const cursorText = query.get('cursor');
  const startAfter = cursorText !== null && isOwnedKey(owner, cursorText) ? cursorText : undefined;
  const errors = [];
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
    errors.push({ field: 'limit', code: 'out_of_range', detail: `Must be an integer from 1 to ${MAX_PAGE}.` });
  }
  if (cursorText !== null && startAfter === undefined) {
    errors.push({ field: 'cursor', code: 'bad_format', detail: 'Must be a nextCursor this API returned.' });
  }
  if (errors.length > 0) return problem(400, 'query_invalid', 'The list query is invalid.', { errors });
  const page = await deps.store.list({ prefix: owner, maxKeys: limit, startAfter });
  const files = page.objects
    .filter((o) => isOwnedKey(owner, o.key))
    .map((o) => ({ key: o.key, size: o.size, lastModified: new Date(o.lastModifiedMs).toISOString() }));
  const last = page.objects.at(-1);
  return json(200, page.truncated && last !== undefined ? { files, nextCursor: last.key } : { files });
}

/**
 * A 302 to a presigned GET, or, when the caller asks for JSON, the URL in a body: a browser app on another origin
 * cannot follow the 302 with fetch, because after a cross-origin redirect it sends `Origin: null` to S3
 * (Fetch Standard, "tainted origin"), which no bucket CORS rule should allow.
 */
export async function readFile(
  rawKey: string,
  owner: string,
  nowMs: number,
  deps: FileDeps,
  wantsJson = false,
): Promise<ApiResponse> {
  const key = ownedKey(owner, rawKey);
  if (key === undefined || !(await deps.store.exists(key))) return notFound();
  const expiresInSeconds = deps.options.downloadTtlSeconds;
  const url = await deps.store.presignGet({ key, expiresInSeconds, nowMs });
  // The presigned URL goes in Location or the body only (never in a log line).
  if (wantsJson) return json(200, { key, url, expiresAt: new Date(nowMs + expiresInSeconds * 1000).toISOString() });
  return empty(302, { location: url });
}

export async function deleteFile(rawKey: string, owner: string, deps: FileDeps): Promise<ApiResponse> {
  const key = ownedKey(owner, rawKey);
  // S3's DeleteObject succeeds for missing keys, so ask first: a missing own file is a 404 like anyone else's.
  if (key === undefined || !(await deps.store.exists(key))) return notFound();
  await deps.store.delete(key);
  return empty(204);
}
