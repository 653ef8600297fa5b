// Mints CloudFront signed cookies (browsers) and signed URLs (apps) for one attraction, reusing signatures for
// everyone who enters in the same time bucket. Trusted inputs only: host and path were validated by the caller.
import { signedCookies, signedUrl } from '../../common/cloudfront/sign.ts';
import { customPolicy } from '../../common/cloudfront/policy.ts';
import { setCookieLine } from './cookies.ts';
import type { Runtime } from './runtime.ts';

/**
 * Expiry for a grant: the ticket's own end when that comes first (a fixed value, so shared anyway), otherwise
 * now + ttl rounded DOWN to the reuse bucket. The bucket never exceeds half the ttl, so a grant always lives at least
 * ttl / 2 and never past now + ttl nor the ticket end.
 */
export function expiryFor(nowS: number, ttlSeconds: number, ticketEnd: number | null, reuseSeconds: number): number {
  const bucket = Math.max(1, Math.min(reuseSeconds, Math.floor(ttlSeconds / 2)));
  const rounded = Math.floor((nowS + ttlSeconds) / bucket) * bucket;
  return ticketEnd !== null && ticketEnd < rounded ? ticketEnd : rounded;
}

export interface CookieGrant {
  /** `{scheme}://{host}{prefix}{id}/*`: custom policy, so one cookie set covers the whole attraction. */
  readonly resource: string;
  /** `{prefix}{id}/`: the browser sends these cookies only under the attraction. */
  readonly cookiePath: string;
  readonly expiresEpochSeconds: number;
  readonly cookies: readonly { readonly name: string; readonly value: string }[];
  readonly setCookies: readonly string[];
}

export function mintCookies(rt: Runtime, origin: string, cookiePath: string, exp: number, nowS: number): CookieGrant {
  const resource = `${origin}${cookiePath}*`;
  const policy = customPolicy({ resource, dateLessThan: exp });
  let cookies = rt.cookieCache.get(policy);
  if (cookies === undefined) {
    cookies = signedCookies(rt.signer, { policy });
    rt.cookieCache.set(policy, cookies);
  }
  const scope = { path: cookiePath, maxAgeSeconds: exp - nowS };
  const setCookies = cookies.map((cookie) => setCookieLine(cookie.name, cookie.value, scope));
  return { resource, cookiePath, expiresEpochSeconds: exp, cookies, setCookies };
}

/** A canned-policy signed URL for exactly `url` (already in wire form, as the viewer sent it). */
export function mintUrl(rt: Runtime, url: string, exp: number): string {
  const key = `${String(exp)} ${url}`;
  let signed = rt.urlCache.get(key);
  if (signed === undefined) {
    signed = signedUrl(rt.signer, url, { expiresEpochSeconds: exp });
    rt.urlCache.set(key, signed);
  }
  return signed;
}
