// The guard for one protected object: a valid CloudFront signed URL or cookies pass; otherwise an app's bearer
// token earns a signed URL and a browser's session earns signed cookies. Everything here is viewer input.
import { isWireUrl } from '../../common/cloudfront/resource.ts';
import { signingParamNames } from '../../common/cloudfront/signed-request.ts';
import type { ProtectedPath } from '../config-paths.ts';
import { bearerTicket } from './bearer.ts';
import { browserFlow } from './browser.ts';
import { cookieHeaderWithout, isCloudFrontCookie } from './cookies.ts';
import { cleanPath, deny, header, isBrowserParam, requestUrl, TOKEN_PARAM } from './context.ts';
import type { Context } from './context.ts';
import { grantExpiry, mintUrl } from './mint.ts';
import { joinUrl, paramValue, serializeQuery, withoutParams } from './query.ts';
import { redirect } from './responses.ts';
import { tokenLog } from './token.ts';
import type { Decision } from './types.ts';

const isOurParam = (name: string): boolean => signingParamNames.has(name) || isBrowserParam(name);
/** Values tried per CloudFront cookie name, and cookie sets in all: sibling domains may plant (toss) cookies. */
const MAX_VALUES_PER_NAME = 3;
const MAX_COOKIE_SETS = 8;

/**
 * Forward to the origin without the signing parameters, link token, marker and our cookies. A folder path
 * (`/attractions/42/`) asks S3 for its `index.html`, as a web server would, instead of a key S3 does not have.
 */
function passThrough(ctx: Context, reason: string, keyPairId: string): Decision {
  const session = ctx.rt.config.sessionCookieName;
  return {
    kind: 'pass',
    reason,
    keyPairId,
    rewrite: {
      uri: ctx.req.uri.endsWith('/') ? `${ctx.req.uri}index.html` : ctx.req.uri,
      rawQuery: ctx.query.length === 0 ? '' : serializeQuery(withoutParams(ctx.query, isOurParam)),
      cookieHeader: cookieHeaderWithout(ctx.cookies, (name) => isCloudFrontCookie(name) || name === session),
    },
  };
}

/**
 * The sets of CloudFront-* cookies to try, the first of each name first (the most specific path: RFC 6265 §5.4).
 * A sibling subdomain can plant cookies of the same names with a longer Path, which browsers then send first; so up
 * to MAX_VALUES_PER_NAME values of each name are combined, at most MAX_COOKIE_SETS sets, and any valid set counts.
 */
function cloudFrontCookieSets(ctx: Context): Map<string, string>[] {
  const byName = new Map<string, string[]>();
  for (const cookie of ctx.cookies) {
    if (!isCloudFrontCookie(cookie.name)) continue;
    const values = byName.get(cookie.name);
    if (values === undefined) byName.set(cookie.name, [cookie.value]);
    else if (values.length < MAX_VALUES_PER_NAME) values.push(cookie.value);
  }
  let sets: Map<string, string>[] = byName.size === 0 ? [] : [new Map<string, string>()];
  for (const [name, values] of byName) {
    // One value, the usual case: added to each set as it is (copying sets cost every pass-through ~1.3 µs).
    if (values.length === 1) sets.forEach((set) => set.set(name, values[0] as string));
    else sets = sets.flatMap((set) => values.map((value) => new Map(set).set(name, value))).slice(0, MAX_COOKIE_SETS);
  }
  return sets;
}

async function appFlow(ctx: Context, path: ProtectedPath, attraction: string): Promise<Decision> {
  const checked = await bearerTicket(ctx, path, attraction);
  if (!checked.ok) return checked.decision;
  // Signed for the URL without a link token or marker: a token is never copied into a minted URL or Location.
  const url = `${ctx.origin}${joinUrl(ctx.req.uri, withoutParams(ctx.query, isBrowserParam))}`;
  if (!isWireUrl(url)) return deny(ctx, tokenLog(checked.token, 'path_unsafe'));
  const exp = grantExpiry(ctx, path.signedUrlTtlSeconds, checked.earned);
  const log = { ...tokenLog(checked.token, 'signed_url_minted'), keyPairId: ctx.rt.signer.keyPairId };
  return redirect(mintUrl(ctx.rt, url, exp), log);
}

export async function authorize(ctx: Context, path: ProtectedPath, attraction: string): Promise<Decision> {
  const url = requestUrl(ctx);
  const { clientIp } = ctx.req;
  const nowEpochSeconds = ctx.nowS;
  // CloudFront's precedence: any signing parameter makes this a signed URL, judged alone (cookies ignored).
  if (ctx.query.some((param) => signingParamNames.has(param.name))) {
    const result = ctx.rt.cloudFront.verifyUrl({ url, clientIp, nowEpochSeconds });
    if (!result.ok) return deny(ctx, { reason: result.reason });
    return passThrough(ctx, 'signed_url_valid', result.keyPairId);
  }
  for (const cookies of cloudFrontCookieSets(ctx)) {
    const result = ctx.rt.cloudFront.verifyCookies({ url, clientIp, nowEpochSeconds, cookies });
    if (!result.ok) continue;
    // Access is already granted: a link token only leaves the address bar, history and Referer, to the clean URL.
    if (paramValue(ctx.query, TOKEN_PARAM) !== undefined) {
      return redirect(cleanPath(ctx), { reason: 'link_not_needed', keyPairId: result.keyPairId });
    }
    return passThrough(ctx, 'signed_cookies_valid', result.keyPairId);
  }
  // Invalid or expired cookies fall through to the token flows, so an expired grant is re-minted seamlessly.
  if (header(ctx.req, 'authorization') !== undefined) return appFlow(ctx, path, attraction);
  return browserFlow(ctx, path, attraction);
}
