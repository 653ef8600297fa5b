// Cookie header parsing and Set-Cookie lines. Viewer input: parsed with a bound on the number of cookies; values
// are never logged. Attributes follow RFC 6265 and the CloudFront guide "Setting signed cookies using a custom policy".

export interface Cookie {
  readonly name: string;
  readonly value: string;
  /** The `name=value` pair as received. */
  readonly raw: string;
}

const MAX_COOKIES = 128;

/** All cookies of all Cookie header lines, in order, at most MAX_COOKIES. */
export function parseCookies(headerValues: readonly string[] | undefined): Cookie[] {
  const cookies: Cookie[] = [];
  for (const line of headerValues ?? []) {
    // Walks the `;`-separated parts in place (no split array): this runs on every protected request.
    for (let start = 0; start <= line.length;) {
      const semicolon = line.indexOf(';', start);
      const end = semicolon === -1 ? line.length : semicolon;
      const raw = line.slice(start, end).trim();
      start = end + 1;
      const eq = raw.indexOf('=');
      if (eq <= 0) continue;
      if (cookies.length >= MAX_COOKIES) return cookies;
      cookies.push({ name: raw.slice(0, eq).trim(), value: raw.slice(eq + 1).trim(), raw });
    }
  }
  return cookies;
}

/** The first cookie called `name` (browsers send the most specific path first: RFC 6265 §5.4). */
export function cookieValue(cookies: readonly Cookie[], name: string): string | undefined {
  return cookies.find((cookie) => cookie.name === name)?.value;
}

/** The Cookie header without the dropped cookies, or null when none is left. */
export function cookieHeaderWithout(cookies: readonly Cookie[], drop: (name: string) => boolean): string | null {
  const kept = cookies.filter((cookie) => !drop(cookie.name)).map((cookie) => cookie.raw);
  return kept.length === 0 ? null : kept.join('; ');
}

export const isCloudFrontCookie = (name: string): boolean => name.startsWith('CloudFront-');

/**
 * Each grant leaves a note `edgepass-grant-<base64url(cookie path)>=1` at `Path=/_edgepass/`: the browser sends it to
 * the sign-out endpoint only (never with media), which thus learns every attraction path it must clear, even when
 * the session that minted them is gone. The name is checked against the configured paths before use.
 */
const GRANT_NOTE = 'edgepass-grant-';
export const ENDPOINT_PATH = '/_edgepass/';
/** Sign-in at the edge: `<state>.<nonce>.<PKCE verifier>.<base64url(return path)>` for one sign-in, single-use. */
export const STATE_COOKIE = 'edgepass-oidc';
/** The OpenID Provider's refresh token (when `oidc.refreshTokenTtlSeconds` is set): never sent with media. */
export const REFRESH_COOKIE = 'edgepass-refresh';

export const grantNoteName = (cookiePath: string): string =>
  `${GRANT_NOTE}${Buffer.from(cookiePath, 'utf8').toString('base64url')}`;

/** The cookie path a grant note names (unchecked), or undefined for any other cookie. */
export function grantNotePath(name: string): string | undefined {
  if (!name.startsWith(GRANT_NOTE) || name.length > GRANT_NOTE.length + 344) return undefined;
  return Buffer.from(name.slice(GRANT_NOTE.length), 'base64url').toString('utf8');
}

export interface CookieScope {
  readonly path: string;
  readonly maxAgeSeconds: number;
}

/** Secure, HttpOnly, SameSite=Lax, host-only (no Domain: as narrow as possible). */
export function setCookieLine(name: string, value: string, scope: CookieScope): string {
  return `${name}=${value}; Path=${scope.path}; Max-Age=${scope.maxAgeSeconds}; Secure; HttpOnly; SameSite=Lax`;
}

export function expireCookieLine(name: string, path: string): string {
  return `${name}=; Path=${path}; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Secure; HttpOnly; SameSite=Lax`;
}
