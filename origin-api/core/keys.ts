// Object keys: where a caller's files live and which keys a caller may touch. The key is always derived here,
// never taken from the client. Trust boundary: `sub` comes from a verified token; key paths from the URL are hostile.

/** OIDC Core §2 caps `sub` at 255 ASCII characters; we bound bytes so a key always fits S3's 1,024 bytes. */
export const MAX_SUB_BYTES = 255;
const SAFE_NAME_CHARS = /[^A-Za-z0-9._-]+/g;
const SEGMENT = /^[A-Za-z0-9._-]{1,255}$/;
const MAX_KEY_BYTES = 1024;

/** True when UTF-8 keeps every code point of `value`: no lone surrogate (which UTF-8 would turn into U+FFFD). */
export function isWellFormed(value: string): boolean {
  return Buffer.from(value, 'utf8').toString('utf8') === value;
}

const b64 = (value: string): string => Buffer.from(value, 'utf8').toString('base64url');

/**
 * The caller's folder: `keyPrefix` + base64url(iss) + `.` + base64url(sub) + `/`, both as UTF-8. On well-formed
 * strings (the only ones accepted) UTF-8 and unpadded base64url are injective and base64url has neither `.` nor `/`,
 * so two (issuer, subject) pairs never share a folder and no folder is a prefix of another. Sanitising would map
 * "a.b" and "a_b" together; unlike a hash it stays reversible for support and erasure. The one `legacyIssuer`
 * keeps the layout of earlier versions, `keyPrefix` + base64url(sub) + `/`: it has no `.`, so it meets no other.
 */
export function ownerPrefix(
  keyPrefix: string,
  caller: { readonly issuer: string; readonly sub: string },
  legacyIssuer: string | null,
): string {
  if (!isWellFormed(caller.issuer) || !isWellFormed(caller.sub)) throw new TypeError('ill-formed issuer or subject');
  if (caller.issuer === legacyIssuer) return `${keyPrefix}${b64(caller.sub)}/`;
  return `${keyPrefix}${b64(caller.issuer)}.${b64(caller.sub)}/`;
}

/** A display-only file name: last path part, safe characters, at most 64; the random id keeps keys unique. */
export function safeFileName(filename: string): string {
  const last = filename.split(/[\\/]/).pop() ?? '';
  const cleaned = last
    .normalize('NFKC')
    .replace(SAFE_NAME_CHARS, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[.-]+/, '')
    .slice(0, 64)
    .replace(/[.-]+$/, '');
  return cleaned === '' ? 'file' : cleaned;
}

/** `<owner folder><purpose>/<id>-<safe name>`: purpose is a configured name, id comes from the server. */
export function objectKey(owner: string, purpose: string, id: string, filename: string): string {
  return `${owner}${purpose}/${id}-${safeFileName(filename)}`;
}

/** The key named by a URL path remainder, percent-decoded once; `undefined` when it cannot be decoded. */
function decodeKeyPath(rawKey: string): string | undefined {
  if (rawKey.length > MAX_KEY_BYTES * 3) return undefined;
  try {
    return decodeURIComponent(rawKey);
  } catch {
    return undefined;
  }
}

/**
 * True if and only if `key` lies inside the caller's folder and is made of segments this API could have produced
 * (no empty, `.` or `..` segment, safe characters only); everything else is answered as 404 by the caller.
 */
export function isOwnedKey(owner: string, key: string): boolean {
  if (Buffer.byteLength(key) > MAX_KEY_BYTES || !key.startsWith(owner)) return false;
  return key
    .slice(owner.length)
    .split('/')
    .every((s) => SEGMENT.test(s) && s !== '.' && s !== '..');
}

/** The decoded key if it is the caller's, else `undefined`. */
export function ownedKey(owner: string, rawKey: string): string | undefined {
  const key = decodeKeyPath(rawKey);
  return key !== undefined && isOwnedKey(owner, key) ? key : undefined;
}
