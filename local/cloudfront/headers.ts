// Lambda@Edge header rules shared by event translation and result checks (local emulator, dev only).
// Lists follow the CloudFront Developer Guide, "Restrictions on all edge functions" (HTTP headers) and
// /work/shared/reference/cloudfront.md ("Lambda@Edge, viewer-request trigger").

/** Read-only in a viewer-request event: the function may read them but not add, change or remove them. */
export const READ_ONLY_VIEWER_REQUEST: readonly string[] = ['content-length', 'host', 'transfer-encoding', 'via'];

const DISALLOWED_EXACT = new Set([
  'connection',
  'expect',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'trailer',
  'upgrade',
  'x-cache',
  'x-forwarded-proto',
  'x-real-ip',
]);
const DISALLOWED_PREFIXES = ['x-accel-', 'x-amz-cf-', 'x-amzn-', 'x-edge-'];

/**
 * Not exposed to edge functions, and a function that adds one fails validation (502).
 * `CloudFront-Viewer-*` headers are added only after viewer-request, so they are not in the event either.
 */
export function isDisallowedHeader(lowerName: string): boolean {
  return DISALLOWED_EXACT.has(lowerName) || DISALLOWED_PREFIXES.some((prefix) => lowerName.startsWith(prefix));
}

export function isHiddenFromViewerRequest(lowerName: string): boolean {
  return isDisallowedHeader(lowerName) || lowerName.startsWith('cloudfront-viewer-');
}
