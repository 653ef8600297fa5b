// Classifies a request path: outside every protected prefix, the /_edgepass/ endpoints, or a protected object.
// Trust boundary: the path is viewer input. Anything that could reach a protected object by another spelling
// (encoded slash/dot/letter, dot segments, backslash, empty segments) is refused, never passed through.
import type { ProtectedPath } from '../config-paths.ts';

const ENDPOINT_PREFIX = '/_edgepass/';
export const ATTRACTION_ID = /^[A-Za-z0-9_-]{1,64}$/;

type PathReason = 'path_unsafe' | 'path_bad_attraction' | 'path_incomplete';

export type PathMatch =
  | { readonly kind: 'outside' }
  | { readonly kind: 'endpoint'; readonly name: string }
  | { readonly kind: 'refused'; readonly reason: PathReason; readonly path: ProtectedPath }
  | { readonly kind: 'protected'; readonly path: ProtectedPath; readonly attraction: string };

// RFC 3986 pchar plus "/" (a raw space, control character, backslash or non-ASCII byte is never valid).
const PATH_CHARS = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@/%]*$/;
const PERCENT = /%([0-9A-Fa-f]{2})?/g;
// Encodings an origin (S3) would decode into a different path: unreserved characters, "/", "\", controls.
const UNRESERVED_OR_SLASH = /^[A-Za-z0-9\-._~/\\]$/;

function decodesToOtherPath(char: string): boolean {
  const code = char.charCodeAt(0);
  return code < 0x20 || code === 0x7f || UNRESERVED_OR_SLASH.test(char);
}

/** The path as a lenient origin could read it: such decodings applied, "\" as "/", dot segments resolved. */
function lenientForm(uri: string): string {
  const decoded = uri.replace(PERCENT, (match, hex: string | undefined) => {
    if (hex === undefined) return match;
    const char = String.fromCharCode(parseInt(hex, 16));
    return decodesToOtherPath(char) ? char : match;
  });
  const segments: string[] = [];
  for (const segment of decoded.replace(/\\/g, '/').split('/')) {
    if (segment === '..') segments.pop();
    else if (segment !== '' && segment !== '.') segments.push(segment);
  }
  return `/${segments.join('/')}/`;
}

// What lenientForm would change, and what unsafeSpelling looks for beyond the character set: an escape, a
// backslash, an empty segment or a dot segment. Most paths hold none, and one precompiled test says so.
const NEEDS_LENIENT_FORM = /[%\\]|\/\/|\/\.{1,2}(?:\/|$)/;

/** A path lenientForm would leave as written (but for a trailing "/"), known without running it. */
function isPlain(uri: string): boolean {
  return uri.length > 1 && uri[0] === '/' && !NEEDS_LENIENT_FORM.test(uri);
}

/** Whether a path under a protected prefix is spelled in any but the one canonical way. */
function unsafeSpelling(uri: string, plain: boolean): boolean {
  if (uri.length > 4096 || !PATH_CHARS.test(uri)) return true;
  if (plain) return false;
  for (const match of uri.matchAll(PERCENT)) {
    const hex = match[1];
    if (hex === undefined || decodesToOtherPath(String.fromCharCode(parseInt(hex, 16)))) return true;
  }
  const segments = uri.split('/').slice(1);
  // An empty last segment is a trailing slash; an empty inner one ("//") is another spelling.
  return segments.some((s, i) => s === '.' || s === '..' || (s === '' && i < segments.length - 1));
}

function classifyUnder(uri: string, path: ProtectedPath, plain: boolean): PathMatch {
  if (unsafeSpelling(uri, plain)) return { kind: 'refused', reason: 'path_unsafe', path };
  if (!uri.startsWith(path.prefix)) return { kind: 'refused', reason: 'path_unsafe', path };
  const rest = uri.slice(path.prefix.length);
  const slash = rest.indexOf('/');
  if (slash === -1) {
    const incomplete = rest === '' || ATTRACTION_ID.test(rest);
    return { kind: 'refused', reason: incomplete ? 'path_incomplete' : 'path_bad_attraction', path };
  }
  const attraction = rest.slice(0, slash);
  if (!ATTRACTION_ID.test(attraction)) return { kind: 'refused', reason: 'path_bad_attraction', path };
  return { kind: 'protected', path, attraction };
}

export function classifyPath(uri: string, paths: readonly ProtectedPath[]): PathMatch {
  const plain = isPlain(uri);
  // For a plain path lenientForm's result is known: the path itself, ending in "/".
  const lenient = !plain ? lenientForm(uri) : uri.endsWith('/') ? uri : `${uri}/`;
  for (const path of paths) {
    if (uri.startsWith(path.prefix) || lenient.startsWith(path.prefix)) return classifyUnder(uri, path, plain);
  }
  if (uri.startsWith(ENDPOINT_PREFIX)) return { kind: 'endpoint', name: uri.slice(ENDPOINT_PREFIX.length) };
  return { kind: 'outside' };
}
