// Browser flow: a session cookie or one-shot `token` parameter earns CloudFront signed cookies for one attraction,
// then a redirect back to the same relative URL. A marker in that redirect detects cookies that did not stick.
import { isWireUrl } from '../../common/cloudfront/resource.ts';
import type { ProtectedPath } from '../config-paths.ts';
import { cookieValue, setCookieLine } from './cookies.ts';
import { deny } from './context.ts';
import type { Context } from './context.ts';
import { grantExpiry, mintCookies } from './mint.ts';
import { appendParam, joinUrl, paramValue, withoutParams } from './query.ts';
import { redirect } from './responses.ts';
import { bearerChallenge, earnedGrant, tokenLog } from './token.ts';
import type { Decision, DecisionLog } from './types.ts';

export const TOKEN_PARAM = 'token';
/** Set to the minting time (epoch seconds) on the redirect; removed before the request reaches the origin. */
export const MARKER_PARAM = 'edgepass_cc';
/** A marker younger than this, with no valid cookies, means the browser refused them (no second redirect). */
const MARKER_WINDOW_SECONDS = 30;
const MAX_SESSION_SECONDS = 604_800;

const isOurParam = (name: string): boolean => name === TOKEN_PARAM || name === MARKER_PARAM;

function markerIsRecent(ctx: Context): boolean {
  const marker = paramValue(ctx.query, MARKER_PARAM);
  if (marker === undefined || !/^[0-9]{1,12}$/.test(marker)) return false;
  const age = ctx.nowS - Number(marker);
  return age >= 0 && age <= MARKER_WINDOW_SECONDS;
}

/** Path and query to come back to: always relative and starting with a protected prefix (never an open redirect). */
function returnPath(ctx: Context): string {
  return joinUrl(ctx.req.uri, withoutParams(ctx.query, isOurParam));
}

/**
 * Without a usable session: a navigation goes to the login page with a safe return path when one is configured, else
 * gets a 401 page. Anything else (a fetch, a media element) gets a 401 JSON answer it can read: it cannot show a
 * login page, and an app on another origin would see only a CORS error for a redirect to it.
 */
function signIn(ctx: Context, log: DecisionLog): Decision {
  if (ctx.audience !== 'browser') return deny(ctx, log, { 'www-authenticate': [bearerChallenge('token_missing')] });
  const login = ctx.rt.config.loginUrl;
  if (login === null) return deny(ctx, log);
  const separator = login.includes('?') ? '&' : '?';
  return redirect(`${login}${separator}return_to=${encodeURIComponent(returnPath(ctx))}`, log);
}

/** A one-shot token becomes the session, so an expired grant can be re-minted without another sign-in. */
function sessionLine(ctx: Context, queryToken: string | undefined, exp: number | undefined): string[] {
  if (queryToken === undefined || exp === undefined) return [];
  const maxAgeSeconds = Math.min(exp - ctx.nowS, MAX_SESSION_SECONDS);
  if (maxAgeSeconds <= 0) return [];
  return [setCookieLine(ctx.rt.config.sessionCookieName, queryToken, { path: '/', maxAgeSeconds })];
}

export async function browserFlow(ctx: Context, path: ProtectedPath, attraction: string): Promise<Decision> {
  const queryToken = paramValue(ctx.query, TOKEN_PARAM);
  const token = queryToken ?? cookieValue(ctx.cookies, ctx.rt.config.sessionCookieName);
  const result = await ctx.rt.verifyToken(token, ctx.req.nowMs);
  // Just redirected with fresh cookies, yet none came back (and the session is valid or did not stick either):
  // the browser refuses our cookies. A clear page, not another trip through minting or the login page.
  const refused = result.ok || result.reason === 'token_missing';
  if (queryToken === undefined && refused && markerIsRecent(ctx)) return deny(ctx, tokenLog(result, 'cookies_blocked'));
  if (!result.ok) return signIn(ctx, tokenLog(result, result.reason));
  const earned = earnedGrant(result, path, attraction, ctx.nowS);
  if (!earned.ok) {
    const log = tokenLog(result, earned.reason);
    return earned.reason === 'no_ticket' ? deny(ctx, log) : signIn(ctx, log);
  }
  const back = joinUrl(ctx.req.uri, appendParam(withoutParams(ctx.query, isOurParam), MARKER_PARAM, String(ctx.nowS)));
  // The Location header carries the viewer's query: only URL-safe bytes may go back out.
  if (!isWireUrl(`${ctx.origin}${back}`)) return deny(ctx, tokenLog(result, 'path_unsafe'));
  const exp = grantExpiry(ctx, path.cookieTtlSeconds, earned);
  const grant = mintCookies(ctx.rt, ctx.origin, `${path.prefix}${attraction}/`, exp, ctx.nowS);
  const setCookies = [...grant.setCookies, ...sessionLine(ctx, queryToken, result.claims.exp)];
  return redirect(back, { ...tokenLog(result, 'cookies_minted'), keyPairId: ctx.rt.signer.keyPairId }, setCookies);
}
