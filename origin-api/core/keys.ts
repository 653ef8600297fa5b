// Object keys: where a caller's files live and which keys a caller may touch. The key is always derived here,
// never taken from the client. Trust boundary: `sub` comes from a verified token; key paths from the URL are hostile.

/** OIDC Core §2 caps `sub` at 255 ASCII characters; we bound bytes so a key always fits S3's 1,024 bytes. */
export const MAX_SUB_BYTES = 255;
const SAFE_NAME_CHARS = /[^A-Za-z0-9._-]+/g;
const SEGMENT = /^[A-Za-z0-9._-]{1,255}$/;
const MAX_KEY_BYTES = 1024;

/**
 * The caller's folder: `keyPrefix` + base64url(UTF-8 sub) + `/`. base64url is a bijection onto an alphabet without
 * `/`, so two subjects never share a folder and no folder is a prefix of another (sanitising by dropping
 * characters would map "a.b" and "a_b" together); unlike a hash it stays reversible for support and erasure.
 */
export function ownerPrefix(keyPrefix: string, sub: string): string {
  return `${keyPrefix}${Buffer.from(sub, 'utf8').toString('base64url')}/`;
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
