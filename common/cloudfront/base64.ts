// CloudFront's URL-safe base64 (`+`→`-`, `=`→`_`, `/`→`~`) for policies and signatures.
// Decoding is a trust boundary: only canonical, padded input is accepted, so two strings never decode to one value.

export function toCloudFrontBase64(bytes: Uint8Array | string): string {
  const buffer = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : Buffer.from(bytes);
  return buffer.toString('base64').replaceAll('+', '-').replaceAll('=', '_').replaceAll('/', '~');
}

// Six-bit value of each data character of CloudFront's alphabet (AWS Developer Guide, "Create a signed URL using a
// canned policy", step "replace characters that are invalid in a URL query string"); -1 for every other code unit.
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-~';
const SEXTET = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) SEXTET[ALPHABET.charCodeAt(i)] = i;
const PAD = 0x5f; // `_`

/** The character's six bits, or -1 (any code unit outside the alphabet, including non-ASCII). */
const sextet = (text: string, at: number): number => SEXTET[text.charCodeAt(at)] ?? -1;

/**
 * Decodes CloudFront base64, or returns undefined when the text is not the canonical encoding of some bytes:
 * whole groups of four, data characters only, at most two trailing `_`, and zero in the bits the last data
 * character carries beyond the final byte (RFC 4648 §3.5). Then re-encoding the bytes gives the same text, so a
 * changed character can never decode to the same signature or policy. One pass checks and decodes: this runs on
 * every signature the verifier has not seen (test/common/cloudfront/properties.test.ts compares it with Buffer's).
 */
export function fromCloudFrontBase64(text: string): Buffer | undefined {
  const length = text.length;
  if (length === 0 || length % 4 !== 0) return undefined;
  const padding = text.charCodeAt(length - 1) !== PAD ? 0 : text.charCodeAt(length - 2) === PAD ? 2 : 1;
  const out = Buffer.allocUnsafe((length / 4) * 3 - padding);
  const whole = padding === 0 ? length : length - 4;
  let o = 0;
  for (let i = 0; i < whole; i += 4) {
    const a = sextet(text, i);
    const b = sextet(text, i + 1);
    const c = sextet(text, i + 2);
    const d = sextet(text, i + 3);
    if ((a | b | c | d) < 0) return undefined;
    out[o++] = (a << 2) | (b >> 4);
    out[o++] = ((b & 15) << 4) | (c >> 2);
    out[o++] = ((c & 3) << 6) | d;
  }
  if (padding === 0) return out;
  const a = sextet(text, whole);
  const b = sextet(text, whole + 1);
  // One pad: three data characters, the last with its low 2 bits unused; two pads: two, the last with 4 unused.
  const c = padding === 1 ? sextet(text, whole + 2) : 0;
  if ((a | b | c) < 0 || (padding === 1 ? c & 3 : b & 15) !== 0) return undefined;
  out[o++] = (a << 2) | (b >> 4);
  if (padding === 1) out[o] = ((b & 15) << 4) | (c >> 2);
  return out;
}
