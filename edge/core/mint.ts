// Mints CloudFront signed cookies (browsers) and signed URLs (apps) for one attraction, reusing signatures for
// everyone who enters in the same time bucket. Trusted inputs only: host and path were validated by the caller.
import { signedCookies, signedUrl } from '../../common/cloudfront/sign.ts';
import { customPolicy } from '../../common/cloudfront/policy.ts';
import { ENDPOINT_PATH, grantNoteName, setCookieLine } from './cookies.ts';
import type { Context } from './context.ts';
import type { Runtime } from './runtime.ts';

/**
 * Expiry for a grant: now + ttl rounded DOWN to the reuse bucket, but never past the ticket's own end (a fixed
 * value, so shared anyway) nor the token's `exp`. The token's exp is rounded down to the bucket too while that stays
 * in the future, so everyone whose session ends in the same bucket still shares one signature; within the last
 * bucket it is used as it is. The bucket never exceeds half the ttl, so an unbounded grant lives at least ttl / 2.
 */
/** The token's exp rounded down to the bucket while that is still in the future, else the exp itself. */
function sessionEnd(tokenExp: number, bucket: number, nowS: number): number {
  const rounded = Math.floor(tokenExp / bucket) * bucket;
  return rounded > nowS ? rounded : tokenExp;
}

export function expiryFor(
  nowS: number,
  ttlSeconds: number,
  ticketEnd: number | null,
  reuseSeconds: number,
  tokenExp: number | null = null,
): number {
  const bucket = Math.max(1, Math.min(reuseSeconds, Math.floor(ttlSeconds / 2)));
  const rounded = Math.floor((nowS + ttlSeconds) / bucket) * bucket;
  const session = tokenExp === null ? null : sessionEnd(tokenExp, bucket, nowS);
  let exp = rounded;
  if (ticketEnd !== null && ticketEnd < exp) exp = ticketEnd;
  if (session !== null && session < exp) exp = session;
  return exp;
}

/** The expiry of a grant that `earned` allows, with the TTL of its kind (cookies or signed URL). */
export function grantExpiry(
  ctx: Context,
  ttlSeconds: number,
  earned: { readonly ticketEnd: number | null; readonly tokenExp: number },
): number {
  return expiryFor(ctx.nowS, ttlSeconds, earned.ticketEnd, ctx.rt.config.signatureReuseSeconds, earned.tokenExp);
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
  setCookies.push(setCookieLine(grantNoteName(cookiePath), '1', { ...scope, path: ENDPOINT_PATH }));
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
