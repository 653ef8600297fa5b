// The origin-response adapter: when S3 answers a miss with its XML error (403 without s3:ListBucket, or 404), the
// viewer gets the same styled page as every other edgepass answer, with a next step, instead of `AccessDenied`.
// Runs on the behaviours that serve bucket objects (infra/behaviors.ts), only on cache misses; other answers pass.
import type { CloudFrontResponseEvent, CloudFrontResponseResult } from 'aws-lambda';
import { respond } from './core/responses.ts';

type Response = CloudFrontResponseEvent['Records'][number]['cf']['response'];

/** S3 refuses a missing key with 403 when the reader may not list the bucket (as OAC may not), else 404. */
const MISSES = new Set(['403', '404']);

/** Whether the event is an origin-response one; anything else (even `null`) goes to the viewer-request handler. */
export function isOriginResponse(event: unknown): event is CloudFrontResponseEvent {
  const records = (event as { Records?: unknown } | null | undefined)?.Records;
  const cf = Array.isArray(records) ? (records[0] as { cf?: { config?: { eventType?: unknown } } } | null)?.cf : null;
  return cf?.config?.eventType === 'origin-response';
}

type Loose<T> = { [K in keyof T]?: unknown };

/** The event's response when the event has the documented shape, else undefined (never thrown). */
function responseOf(event: unknown): { response: Response; requestId: string; uri: string } | undefined {
  const records = (event as { Records?: unknown } | null | undefined)?.Records;
  const first = Array.isArray(records) ? (records[0] as { cf?: unknown } | null | undefined) : undefined;
  const cf = first?.cf as Loose<CloudFrontResponseEvent['Records'][number]['cf']> | undefined;
  const response = cf?.response as Loose<Response> | undefined;
  if (typeof response?.status !== 'string' || typeof response.headers !== 'object' || response.headers === null) {
    return undefined;
  }
  const requestId = (cf?.config as { requestId?: unknown } | undefined)?.requestId;
  const uri = (cf?.request as { uri?: unknown } | undefined)?.uri;
  return {
    response: response as Response,
    requestId: typeof requestId === 'string' ? requestId.slice(0, 128) : 'unknown',
    uri: typeof uri === 'string' ? uri.slice(0, 512) : '',
  };
}

export function createOriginResponseHandler(logger: (line: string) => void) {
  return (event: CloudFrontResponseEvent): CloudFrontResponseResult => {
    const found = responseOf(event);
    if (found === undefined) return undefined;
    const { response, requestId, uri } = found;
    if (!MISSES.has(response.status)) return response;
    const page = respond({
      status: 404,
      log: { reason: 'not_found' },
      audience: 'browser',
      requestId,
      next: [{ href: '/', text: 'Go to the home page' }],
    });
    try {
      logger(
        JSON.stringify({
          reason: 'not_found',
          status: 404,
          originStatus: Number(response.status),
          path: uri,
          requestId,
        }),
      );
    } catch {
      // A failing logger must not turn a page into a thrown error.
    }
    // The origin's body is never given to the function; setting one replaces it. Only our headers change: the rest
    // (S3's request ids, Date) stay as the origin sent them.
    const headers = { ...response.headers };
    headers['content-type'] = [{ key: 'Content-Type', value: page.headers['content-type']?.[0] ?? 'text/html' }];
    headers['cache-control'] = [{ key: 'Cache-Control', value: 'no-store' }];
    return { ...response, status: '404', statusDescription: 'Not Found', headers, body: page.body };
  };
}
