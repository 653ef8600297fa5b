// Turns a viewer's HTTP request into the Lambda@Edge viewer-request event, as documented in the CloudFront
// Developer Guide, "Lambda@Edge event structure" (request events). Input is untrusted viewer data, passed as is.
import type { CloudFrontHeaders, CloudFrontRequestEvent } from 'aws-lambda';
import { isHiddenFromViewerRequest } from './headers.ts';

export interface ViewerRequest {
  readonly method: string;
  /** Request target as sent: path plus optional `?query`. */
  readonly target: string;
  /** Node's `rawHeaders`: name, value, name, value… with the viewer's original spelling. */
  readonly rawHeaders: readonly string[];
  readonly clientIp: string;
}

export interface Distribution {
  readonly distributionDomainName: string;
  readonly distributionId: string;
}

/** Headers keyed by lower-case name; each element keeps the original `key` and is its own header line. */
export function toCloudFrontHeaders(rawHeaders: readonly string[]): CloudFrontHeaders {
  const headers: CloudFrontHeaders = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const key = rawHeaders[i] ?? '';
    const value = rawHeaders[i + 1] ?? '';
    const lower = key.toLowerCase();
    if (isHiddenFromViewerRequest(lower)) continue;
    (headers[lower] ??= []).push({ key, value });
  }
  return headers;
}

/** Splits the target at the first `?`: the query string stays raw (not decoded, no leading `?`). */
export function splitTarget(target: string): { uri: string; querystring: string } {
  const mark = target.indexOf('?');
  if (mark < 0) return { uri: target, querystring: '' };
  return { uri: target.slice(0, mark), querystring: target.slice(mark + 1) };
}

export function toViewerRequestEvent(
  viewer: ViewerRequest,
  distribution: Distribution,
  requestId: string,
): CloudFrontRequestEvent {
  const { uri, querystring } = splitTarget(viewer.target);
  return {
    Records: [
      {
        cf: {
          config: {
            distributionDomainName: distribution.distributionDomainName,
            distributionId: distribution.distributionId,
            eventType: 'viewer-request',
            requestId,
          },
          request: {
            clientIp: viewer.clientIp,
            headers: toCloudFrontHeaders(viewer.rawHeaders),
            method: viewer.method,
            querystring,
            uri,
          },
        },
      },
    ],
  };
}
