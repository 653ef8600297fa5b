// The origin API's pure core: answers CORS preflights, routes a plain request to its endpoint after authenticating
// it, and never lets an exception escape (fail closed: 500, logged with the request id). Clock, ids, store, verifier and logger come in.
import type { TokenVerifier } from '../../common/jwt/index.ts';
import { authenticate } from './auth.ts';
import { isPreflight, preflight, withCors } from './cors.ts';
import { deleteFile, listFiles, readFile } from './files.ts';
import { problem } from './respond.ts';
import type { ApiRequest, ApiResponse, Logger, ObjectStore, OriginApiOptions } from './types.ts';
import { createUpload } from './uploads.ts';

export interface OriginApiDeps {
  readonly options: OriginApiOptions;
  readonly verifyToken: TokenVerifier;
  readonly store: ObjectStore;
  readonly clock: () => number;
  readonly newId: () => string;
  readonly logger: Logger;
  /** The configured app origins (exact `Origin` values), prepared once. */
  readonly appOrigins: ReadonlySet<string>;
}

export type OriginApi = (request: ApiRequest) => Promise<ApiResponse>;

const FILES = '/api/files';
const FILE_PREFIX = '/api/files/';

/** Route names for logs: the template, never the concrete key. */
function routeOf(path: string): 'uploads' | 'files' | 'file' | undefined {
  if (path === '/api/uploads') return 'uploads';
  if (path === FILES) return 'files';
  if (path.startsWith(FILE_PREFIX) && path.length > FILE_PREFIX.length) return 'file';
  return undefined;
}

const ALLOWED = { uploads: 'POST', files: 'GET', file: 'GET, DELETE' } as const;

function methodNotAllowed(route: keyof typeof ALLOWED): ApiResponse {
  return problem(405, 'method_not_allowed', 'This method is not allowed here.', { headers: { allow: ALLOWED[route] } });
}

async function dispatch(request: ApiRequest, deps: OriginApiDeps, nowMs: number): Promise<ApiResponse> {
  const route = routeOf(request.path);
  if (route === undefined) return problem(404, 'not_found', 'No such endpoint.');
  if (!ALLOWED[route].split(', ').includes(request.method)) return methodNotAllowed(route);
  const auth = await authenticate(request, deps.verifyToken, deps.options, nowMs);
  if (!auth.ok) return auth.response;
  const { owner } = auth.caller;
  switch (route) {
    case 'uploads':
      return createUpload(request, owner, nowMs, deps);
    case 'files':
      return listFiles(request.query, owner, deps);
    case 'file': {
      const rawKey = request.path.slice(FILE_PREFIX.length);
      if (request.method === 'DELETE') return deleteFile(rawKey, owner, deps);
      return readFile(rawKey, owner, nowMs, deps, /\bapplication\/json\b/i.test(request.headers.accept ?? ''));
    }
  }
}

const codeOf = (response: ApiResponse): string | undefined => {
  if (!response.headers['content-type']?.startsWith('application/problem+json')) return undefined;
  return (JSON.parse(response.body) as { code?: string }).code;
};

async function dispatchSafely(request: ApiRequest, deps: OriginApiDeps, nowMs: number): Promise<ApiResponse> {
  try {
    return await dispatch(request, deps, nowMs);
  } catch (error) {
    // A bug or an S3 outage: deny, and log only the error's class (S3 messages may echo request details).
    const name = error instanceof Error ? error.name : typeof error;
    deps.logger.error('origin_api_failed', { requestId: request.requestId, error: name });
    return problem(500, 'internal_error', 'The request could not be completed.');
  }
}

export function createOriginApi(deps: OriginApiDeps): OriginApi {
  return async (request) => {
    const nowMs = deps.clock();
    const route = routeOf(request.path);
    const response = isPreflight(request)
      ? preflight(request, deps.appOrigins, route === undefined ? undefined : ALLOWED[route])
      : withCors(request, deps.appOrigins, await dispatchSafely(request, deps, nowMs));
    deps.logger.info('origin_api_request', {
      requestId: request.requestId,
      method: request.method,
      route: route ?? 'unknown',
      status: response.status,
      code: codeOf(response),
      ms: deps.clock() - nowMs,
    });
    return response;
  };
}
