// The origin-response adapter: when S3 answers a miss with its XML error (403 without s3:ListBucket, or 404), the
// viewer gets the same styled page as every other edgepass answer, with a next step, instead of `AccessDenied`.
// Runs on the behaviours that serve bucket objects (infra/behaviors.ts), only on cache misses; other answers pass.
import type { CloudFrontResponseEvent, CloudFrontResponseResult } from 'aws-lambda';
import { respond } from './core/responses.ts';

type Record = Partial<CloudFrontResponseEvent['Records'][number]['cf']> | undefined;

/** The event's CloudFront record, read defensively: the handler must answer anything, even `null`, without throwing. */
const recordOf = (event: unknown): Record =>
  (event as { Records?: { cf?: Record }[] } | null | undefined)?.Records?.[0]?.cf;

/** Whether the event is an origin-response one; anything else (even `null`) goes to the viewer-request handler. */
export const isOriginResponse = (event: unknown): event is CloudFrontResponseEvent =>
  recordOf(event)?.config?.eventType === 'origin-response';

/** S3 refuses a missing key with 403 when the reader may not list the bucket (as OAC may not), else 404. */
const MISSES = ['403', '404'];

export function createOriginResponseHandler(logger: (line: string) => void) {
  return (event: CloudFrontResponseEvent): CloudFrontResponseResult => {
    const cf = recordOf(event);
    const response = cf?.response;
    if (typeof response?.headers !== 'object' || !MISSES.includes(response.status)) return response;
    const requestId = String(cf?.config?.requestId).slice(0, 128);
    const path = String(cf?.request?.uri).slice(0, 512);
    const page = respond({
      status: 404,
      log: { reason: 'not_found' },
      audience: 'browser',
      requestId,
      next: [{ href: '/', text: 'Go to the home page' }],
    });
    try {
      logger(
        JSON.stringify({ reason: 'not_found', status: 404, originStatus: Number(response.status), path, requestId }),
      );
    } catch {
      // A failing logger must not turn a page into a thrown error.
    }
    // The origin's body is never given to the function; setting one replaces it. Only our headers change: the rest
    // (S3's request ids, Date) stay as the origin sent them.
    const headers = {
      ...response.headers,
      'content-type': [{ key: 'Content-Type', value: 'text/html; charset=utf-8' }],
      'cache-control': [{ key: 'Cache-Control', value: 'no-store' }],
    };
    return { ...response, status: '404', statusDescription: 'Not Found', headers, body: page.body };
  };
}
