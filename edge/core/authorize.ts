// The guard for one protected object: a valid CloudFront signed URL or cookies pass; otherwise an app's bearer
// token earns a signed URL and a browser's session earns signed cookies. Everything here is viewer input.
import { isWireUrl } from '../../common/cloudfront/resource.ts';
import { signingParamNames } from '../../common/cloudfront/signed-request.ts';
import type { ProtectedPath } from '../config-paths.ts';
import { bearerTicket } from './bearer.ts';
import { browserFlow, MARKER_PARAM, TOKEN_PARAM } from './browser.ts';
import { cookieHeaderWithout, isCloudFrontCookie } from './cookies.ts';
import { deny, header, requestUrl } from './context.ts';
import type { Context } from './context.ts';
import { grantExpiry, mintUrl } from './mint.ts';
import { serializeQuery, withoutParams } from './query.ts';
import { redirect } from './responses.ts';
import { tokenLog } from './token.ts';
import type { Decision } from './types.ts';

const isOurParam = (name: string): boolean =>
  signingParamNames.has(name) || name === TOKEN_PARAM || name === MARKER_PARAM;

/** Forward to the origin without the signing parameters, one-shot token, marker and our cookies. */
function passThrough(ctx: Context, reason: string, keyPairId: string): Decision {
  const session = ctx.rt.config.sessionCookieName;
  return {
    kind: 'pass',
    reason,
    keyPairId,
    rewrite: {
      uri: ctx.req.uri,
      rawQuery: ctx.query.length === 0 ? '' : serializeQuery(withoutParams(ctx.query, isOurParam)),
      cookieHeader: cookieHeaderWithout(ctx.cookies, (name) => isCloudFrontCookie(name) || name === session),
    },
  };
}

/** The CloudFront-* cookies, the first of each name (the most specific path: RFC 6265 §5.4); undefined if none. */
function cloudFrontCookies(ctx: Context): Map<string, string> | undefined {
  let found: Map<string, string> | undefined;
  for (const cookie of ctx.cookies) {
    if (!isCloudFrontCookie(cookie.name)) continue;
    found ??= new Map();
    if (!found.has(cookie.name)) found.set(cookie.name, cookie.value);
  }
  return found;
}

async function appFlow(ctx: Context, path: ProtectedPath, attraction: string): Promise<Decision> {
  const checked = await bearerTicket(ctx, path, attraction);
  if (!checked.ok) return checked.decision;
  const url = requestUrl(ctx);
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
  const cookies = cloudFrontCookies(ctx);
  if (cookies !== undefined) {
    const result = ctx.rt.cloudFront.verifyCookies({ url, clientIp, nowEpochSeconds, cookies });
    // Invalid or expired cookies fall through to the token flows, so an expired grant is re-minted seamlessly.
    if (result.ok) return passThrough(ctx, 'signed_cookies_valid', result.keyPairId);
  }
  if (header(ctx.req, 'authorization') !== undefined) return appFlow(ctx, path, attraction);
  return browserFlow(ctx, path, attraction);
}
