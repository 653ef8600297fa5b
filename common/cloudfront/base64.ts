// CloudFront's URL-safe base64 (`+`→`-`, `=`→`_`, `/`→`~`) for policies and signatures.
// Decoding is a trust boundary: only canonical, padded input is accepted, so two strings never decode to one value.

export function toCloudFrontBase64(bytes: Uint8Array | string): string {
  const buffer = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : Buffer.from(bytes);
  return buffer.toString('base64').replaceAll('+', '-').replaceAll('=', '_').replaceAll('/', '~');
}

/**
 * Decodes CloudFront base64, or returns undefined when the text is not the canonical encoding of some bytes (whole
 * groups of four, CloudFront's characters only, `_` padding, zero unused bits: RFC 4648 §3.5). Buffer's decoder is
 * lenient (it skips what it does not know), so the bytes are re-encoded: only the canonical text comes back equal,
 * and a changed character can never decode to the same signature or policy.
 */
export function fromCloudFrontBase64(text: string): Buffer | undefined {
  if (text === '') return undefined;
  const bytes = Buffer.from(text.replaceAll('-', '+').replaceAll('_', '=').replaceAll('~', '/'), 'base64');
  return toCloudFrontBase64(bytes) === text ? bytes : undefined;
}
