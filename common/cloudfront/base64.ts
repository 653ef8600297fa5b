// CloudFront's URL-safe base64 (`+`→`-`, `=`→`_`, `/`→`~`) for policies and signatures.
// Decoding is a trust boundary: only canonical, padded input is accepted, so two strings never decode to one value.

// Padded base64 in CloudFront's alphabet: groups of four, at most two trailing `_` (AWS Developer Guide,
// "Create a signed URL using a canned policy", step "replace characters that are invalid in a URL query string").
const shape = /^(?:[A-Za-z0-9~-]{4})*(?:[A-Za-z0-9~-]{2}__|[A-Za-z0-9~-]{3}_)?$/;

export function toCloudFrontBase64(bytes: Uint8Array | string): string {
  const buffer = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : Buffer.from(bytes);
  return buffer.toString('base64').replaceAll('+', '-').replaceAll('=', '_').replaceAll('/', '~');
}

/**
 * Decodes CloudFront base64, or returns undefined when the text is not the canonical encoding of some bytes.
 * Canonical means re-encoding gives the same text: unused low bits must be zero, so a changed last character
 * can never decode to the same signature or policy.
 */
export function fromCloudFrontBase64(text: string): Buffer | undefined {
  if (text.length === 0 || !shape.test(text)) return undefined;
  const bytes = Buffer.from(text.replaceAll('-', '+').replaceAll('_', '=').replaceAll('~', '/'), 'base64');
  return toCloudFrontBase64(bytes) === text ? bytes : undefined;
}
