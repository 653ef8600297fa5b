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

/** The 6-bit value of one character of CloudFront's alphabet (the shape test has already admitted it). */
function sextet(code: number): number {
  if (code >= 0x61) return code - 0x61 + 26; // a-z
  if (code >= 0x41) return code - 0x41; // A-Z
  if (code >= 0x30) return code - 0x30 + 52; // 0-9
  return code === 0x2d ? 62 : 63; // '-' is '+', '~' is '/'
}

/** How many `_` pad the text (0-2; the shape test has already fixed where they may be). */
function paddingOf(text: string): number {
  const end = text.length;
  if (text.charCodeAt(end - 1) !== 0x5f) return 0;
  return text.charCodeAt(end - 2) === 0x5f ? 2 : 1;
}

/**
 * Decodes CloudFront base64, or returns undefined when the text is not the canonical encoding of some bytes.
 * Canonical (RFC 4648 §3.5): the padding shape is right and the bits the last data character carries beyond the
 * final byte are zero (4 of them before `__`, 2 before `_`). Then re-encoding the bytes gives the same text, so a
 * changed last character can never decode to the same signature or policy, without paying for that re-encoding.
 */
export function fromCloudFrontBase64(text: string): Buffer | undefined {
  if (text.length === 0 || text.length % 4 !== 0 || !shape.test(text)) return undefined;
  const padding = paddingOf(text);
  const data = padding === 0 ? text : text.slice(0, -padding);
  if (padding !== 0 && (sextet(data.charCodeAt(data.length - 1)) & (padding === 2 ? 0x0f : 0x03)) !== 0) {
    return undefined;
  }
  // Node's base64 decoder reads `-` as `+` (Node.js docs, Buffer encodings, "'base64'": it also accepts RFC 4648
  // §5's URL-safe alphabet), where `_` would be a data character: hence the padding is cut off above and only `~`
  // is translated. The shape test is what keeps the input strict.
  return Buffer.from(data.includes('~') ? data.replaceAll('~', '/') : data, 'base64');
}
