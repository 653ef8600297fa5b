// Command-line values of `edgepass smoke`, checked before any request: the target origin (https, or http on
// loopback only), ids and paths in the edge's own alphabet, the token's shape. Messages name the option, never
// echo its value (it may be a token).
import { UsageError } from '../args.ts';

const ATTRACTION = /^[A-Za-z0-9_-]{1,64}$/; // edge/core/paths.ts ATTRACTION_ID
const SEGMENT = /^(?:[A-Za-z0-9._~!$&'()*+,;=:@-]|%[0-9A-Fa-f]{2}){1,255}$/;
const PREFIX = /^\/(?:[A-Za-z0-9._~-]{1,64}\/){1,8}$/;
const COOKIE_NAME = /^[A-Za-z0-9_-]{1,64}$/; // edge/config.ts sessionCookieName
const PURPOSE = /^[a-z0-9-]{1,64}$/; // origin-api/config.ts purpose names
const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,62}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,62}$/;
const JWT = /^[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}$/;
const MAX_TOKEN_CHARS = 16_384;

const isLoopback = (host: string): boolean =>
  host === 'localhost' || host.endsWith('.localhost') || /^127(\.[0-9]{1,3}){3}$/.test(host) || host === '[::1]';

/** `https://host[:port]`, or `http://` for a loopback host (the local stack). */
export function targetOrigin(text: string | undefined): string {
  if (text === undefined) throw new UsageError('--url is required (the distribution, e.g. https://cdn.example.com)');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError('--url must be an absolute URL');
  }
  const plainOk = url.protocol === 'http:' && isLoopback(url.hostname);
  if (url.protocol !== 'https:' && !plainOk) throw new UsageError('--url must use https (http only on loopback)');
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '' || url.pathname !== '/') {
    throw new UsageError('--url must be an origin only: no path, query, fragment or credentials');
  }
  return url.origin;
}

export function attractionId(name: string, text: string | undefined): string {
  if (text === undefined || !ATTRACTION.test(text)) {
    throw new UsageError(`--${name} must be an attraction id (1-64 letters, digits, _ or -)`);
  }
  return text;
}

/** A path of URL-safe segments, without `.` or `..`: `index.html`, `video/master.m3u8`. */
export function relativePath(name: string, text: string): string {
  const path = text.replace(/^\//, '');
  const segments = path.split('/');
  if (!segments.every((s) => SEGMENT.test(s) && s !== '.' && s !== '..')) {
    throw new UsageError(`--${name} must be a path of URL-safe segments, without . or ..`);
  }
  return path;
}

export function publicPath(text: string): string {
  return text === '/' ? '/' : `/${relativePath('public-path', text)}`;
}

function matching(name: string, pattern: RegExp, hint: string): (text: string) => string {
  return (text) => {
    if (!pattern.test(text)) throw new UsageError(`--${name} must be ${hint}`);
    return text;
  };
}

export const prefix = matching('prefix', PREFIX, 'a path starting and ending with / (e.g. /attractions/)');
export const cookieName = matching('session-cookie', COOKIE_NAME, 'a cookie name (letters, digits, _ or -)');
export const purpose = matching('upload-purpose', PURPOSE, 'a purpose name (a-z, 0-9, -)');
export const mediaType = (text: string) =>
  matching('upload-type', MEDIA_TYPE, 'a media type such as image/png')(text.toLowerCase());

/** The token's text, trimmed; only its shape is checked here (the edge verifies it). */
export function jwtShape(source: string, text: string): string {
  const token = text.trim();
  if (token.length > MAX_TOKEN_CHARS || !JWT.test(token)) {
    throw new UsageError(`the token from ${source} is not a JWT (three base64url parts)`);
  }
  return token;
}

/** What the token says of its own lifetime (decoded, not verified): for the report's heading only. */
export function tokenLifetime(token: string, nowMs: number): string {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as unknown;
    const exp = (payload as { exp?: unknown } | null)?.exp;
    if (typeof exp !== 'number') return 'no exp claim';
    const left = Math.round(exp - nowMs / 1000);
    return left > 0 ? `expires in ${String(left)} s` : `expired ${String(-left)} s ago`;
  } catch {
    return 'claims unreadable';
  }
}
