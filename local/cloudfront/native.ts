// A behaviour restricted with a trusted key group: CloudFront itself checks the signed URL or cookies before any
// function runs, answering 403 XML on failure (reference: "Order of checks at the edge"). Untrusted viewer input.
import type { CloudFrontVerifier } from '../../common/cloudfront/verify.ts';
import { parseCookieHeader } from './cookies.ts';
import { ACCESS_DENIED, MALFORMED_POLICY, MISSING_KEY } from './responses.ts';
import type { PlainResponse } from './responses.ts';

export interface NativeRequest {
  /** `scheme://host/path[?query]` exactly as the viewer sent path and query. */
  readonly url: string;
  readonly cookieHeader: string | undefined;
  readonly clientIp: string;
}

function denial(reason: string): PlainResponse {
  if (reason === 'cf_missing_key') return MISSING_KEY();
  if (reason === 'cf_malformed') return MALFORMED_POLICY();
  return ACCESS_DENIED();
}

/** undefined when CloudFront would let the request through to the origin, else its 403 and the reason code. */
export function checkRestricted(
  verifier: CloudFrontVerifier,
  request: NativeRequest,
  nowEpochSeconds: number,
): { response: PlainResponse; reason: string } | undefined {
  // verifyRequest applies CloudFront's precedence: a URL with any signing parameter is judged alone.
  const verdict = verifier.verifyRequest({
    url: request.url,
    clientIp: request.clientIp,
    nowEpochSeconds,
    cookies: parseCookieHeader(request.cookieHeader),
  });
  return verdict.ok ? undefined : { response: denial(verdict.reason), reason: verdict.reason };
}
