// CloudFront's URL-safe base64 (`+`→`-`, `=`→`_`, `/`→`~`) for policies and signatures.
// Decoding is a trust boundary: only canonical, padded input is accepted, so two strings never decode to one value.

// Padded base64 in CloudFront's alphabet: data characters, at most two trailing `_`, and (checked beside it) a
// length in whole groups of four (AWS Developer Guide, "Create a signed URL using a canned policy", step "replace
// characters that are invalid in a URL query string"). One flat class is cheaper to run than a group-of-four pattern.
const shape = /^[A-Za-z0-9~-]*_{0,2}$/;

export function toCloudFrontBase64(bytes: Uint8Array | string): string {
  const buffer = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : Buffer.from(bytes);
  return buffer.toString('base64').replaceAll('+', '-').replaceAll('=', '_').replaceAll('/', '~');
}

// Characters whose unused low bits are zero: 4 bits before `__` (values 0, 16, 32, 48), 2 bits before `_`
// (multiples of 4). Only these may end the data when padding follows (RFC 4648 §3.5, "canonical encoding").
const lastBeforeTwoPads = 'AQgw';
const lastBeforeOnePad = 'AEIMQUYcgkosw048';

/**
 * Decodes CloudFront base64, or returns undefined when the text is not the canonical encoding of some bytes.
 * Canonical: the padding shape is right and the bits the last data character carries beyond the final byte are
 * zero. Then re-encoding the bytes gives the same text (so a changed last character can never decode to the same
 * signature or policy), without paying for that re-encoding.
 */
export function fromCloudFrontBase64(text: string): Buffer | undefined {
  if (text.length === 0 || text.length % 4 !== 0 || !shape.test(text)) return undefined;
  const padding = text.endsWith('__') ? 2 : text.endsWith('_') ? 1 : 0;
  const last = text.charAt(text.length - 1 - padding);
  if (padding > 0 && !(padding === 2 ? lastBeforeTwoPads : lastBeforeOnePad).includes(last)) return undefined;
  // Node's base64 decoder reads `-` as `+` (Node.js docs, Buffer encodings, "'base64'": it also accepts RFC 4648
  // §5's URL-safe alphabet), where `_` would be a data character: hence the padding is cut off and only `~` is
  // translated. The shape test is what keeps the input strict.
  return Buffer.from(text.slice(0, text.length - padding).replaceAll('~', '/'), 'base64');
}
