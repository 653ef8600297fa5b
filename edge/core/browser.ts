// Browser flow: a session cookie or a `?token=` link earns CloudFront signed cookies for one attraction, then a
// redirect back to the same relative URL, never carrying the token. A marker in that redirect, bound to the session
// that earned the cookies, detects cookies that did not stick. Everything here is viewer input.
import { createHash } from 'node:crypto';
import { isWireUrl } from '../../common/cloudfront/resource.ts';
import type { TokenResult } from '../../common/jwt/index.ts';
import type { ProtectedPath } from '../config-paths.ts';
import { deny, isBrowserParam, loginLink, MARKER_PARAM, TOKEN_PARAM } from './context.ts';
import type { Context } from './context.ts';
import { expiryFor, grantExpiry, mintCookies } from './mint.ts';
import { appendParam, joinUrl, paramValue, withoutParams } from './query.ts';
import { redirect } from './responses.ts';
import { bearerChallenge, currentTicket, earnedGrant, tokenLog } from './token.ts';
import type { Verified } from './token.ts';
import type { Decision, DecisionLog } from './types.ts';

/** A marker younger than this, with no valid cookies, means the browser refused them (no second redirect). */
const MARKER_WINDOW_SECONDS = 30;
/** Session cookies of our name tried in turn: a sibling domain may plant others with a longer Path (cookie tossing). */
const MAX_SESSION_CANDIDATES = 3;

/**
 * 128 bits of SHA-256 over the token: says which session a marker belongs to without revealing it. Nobody without
 * the victim's session can make one, so a planted marker cannot turn a valid session into `cookies_blocked`.
 */
function markerTag(token: string): string {
  return createHash('sha256').update(token).digest('base64url').slice(0, 22);
}

/** The tag of a recent marker, or undefined. */
function recentMarker(ctx: Context): string | undefined {
  const match = /^([0-9]{1,12})\.([A-Za-z0-9_-]{22})$/.exec(paramValue(ctx.query, MARKER_PARAM) ?? '');
  if (match === null) return undefined;
  const age = ctx.nowS - Number(match[1]);
  return age >= 0 && age <= MARKER_WINDOW_SECONDS ? match[2] : undefined;
}

/**
 * Without a usable session: a navigation goes to the login page with a safe return path when one is configured, else
 * gets a 401 page. Anything else (a fetch, a media element) gets a 401 JSON answer it can read: it cannot show a
 * login page, and an app on another origin would see only a CORS error for a redirect to it.
 */
function signIn(ctx: Context, log: DecisionLog): Decision {
  if (ctx.audience !== 'browser') return deny(ctx, log, { 'www-authenticate': [bearerChallenge('token_missing')] });
  const login = loginLink(ctx, log.reason);
  return login === null ? deny(ctx, log) : redirect(login, log);
}

/** Cookies for the attraction until `exp`, and a redirect back to the clean URL with a marker bound to `token`. */
function grantAndReturn(
  ctx: Context,
  path: ProtectedPath,
  attraction: string,
  exp: number,
  earned: {
    readonly token: string;
    readonly result: Verified;
  },
): Decision {
  const marker = `${String(ctx.nowS)}.${markerTag(earned.token)}`;
  const back = joinUrl(ctx.req.uri, appendParam(withoutParams(ctx.query, isBrowserParam), MARKER_PARAM, marker));
  // The Location header carries the viewer's query: only URL-safe bytes may go back out.
  if (!isWireUrl(`${ctx.origin}${back}`)) return deny(ctx, tokenLog(earned.result, 'path_unsafe'));
  const grant = mintCookies(ctx.rt, ctx.origin, `${path.prefix}${attraction}/`, exp, ctx.nowS);
  const log = { ...tokenLog(earned.result, 'cookies_minted'), keyPairId: ctx.rt.signer.keyPairId };
  return redirect(back, log, grant.setCookies);
}

/** The first of (at most MAX_SESSION_CANDIDATES) session cookies that verifies, else why the first one failed. */
async function session(ctx: Context): Promise<{ readonly token: string | undefined; readonly result: TokenResult }> {
  const name = ctx.rt.config.sessionCookieName;
  const candidates = ctx.cookies.filter((cookie) => cookie.name === name).slice(0, MAX_SESSION_CANDIDATES);
  let first: { token: string | undefined; result: TokenResult } | undefined;
  for (const { value } of candidates) {
    const result = await ctx.rt.verifySession(value, ctx.req.nowMs);
    if (result.ok) return { token: value, result };
    first ??= { token: value, result };
  }
  return first ?? { token: undefined, result: await ctx.rt.verifySession(undefined, ctx.req.nowMs) };
}

/**
 * Just redirected with fresh cookies, yet none came back: the browser refuses our cookies, so a clear page rather
 * than another trip through minting. With a valid session the marker must carry that session's tag, so a planted
 * one never locks a signed-in user out: they get fresh cookies. Without any session (a link's grant did not stick)
 * nothing can be checked, and the worst a planted marker does is show this page instead of the sign-in page.
 */
function cookiesRefused(ctx: Context, token: string | undefined, result: TokenResult): boolean {
  const tag = recentMarker(ctx);
  if (tag === undefined) return false;
  if (result.ok) return token !== undefined && tag === markerTag(token);
  return result.reason === 'token_missing';
}

async function sessionFlow(ctx: Context, path: ProtectedPath, attraction: string): Promise<Decision> {
  const { token, result } = await session(ctx);
  if (cookiesRefused(ctx, token, result)) return deny(ctx, tokenLog(result, 'cookies_blocked'));
  if (!result.ok || token === undefined) {
    return signIn(ctx, tokenLog(result, result.ok ? 'token_missing' : result.reason));
  }
  const earned = earnedGrant(result, path, attraction, ctx.nowS);
  if (!earned.ok) {
    const log = tokenLog(result, earned.reason);
    return earned.reason === 'no_ticket' ? deny(ctx, log) : signIn(ctx, log);
  }
  return grantAndReturn(ctx, path, attraction, grantExpiry(ctx, path.cookieTtlSeconds, earned), { token, result });
}

/**
 * A link token (its own audience, short-lived: runtime.verifyLinkToken) earns the attraction's cookies for the
 * cookie TTL, bounded by the ticket's end, and nothing else: it never becomes the session, so it cannot be replayed
 * as one, and a link cannot replace the session of whoever follows it (login CSRF).
 */
async function linkFlow(ctx: Context, path: ProtectedPath, attraction: string, link: string): Promise<Decision> {
  const verify = ctx.rt.verifyLinkToken;
  const result = verify === null ? undefined : await verify(link, ctx.req.nowMs);
  if (result === undefined) return sessionFlow(ctx, path, attraction);
  if (!result.ok) return signIn(ctx, tokenLog(result, result.reason));
  // The link's own exp does not bound the grant (it is minutes by design); the ticket's end does.
  const ticketEnd = currentTicket(result, path, attraction, ctx.nowS);
  if (ticketEnd === undefined) return deny(ctx, tokenLog(result, 'no_ticket'));
  const { nowS } = ctx;
  const exp = expiryFor(nowS, path.cookieTtlSeconds, ticketEnd, ctx.rt.config.signatureReuseSeconds);
  return grantAndReturn(ctx, path, attraction, exp, { token: link, result });
}

export function browserFlow(ctx: Context, path: ProtectedPath, attraction: string): Promise<Decision> {
  const link = paramValue(ctx.query, TOKEN_PARAM);
  return link === undefined || link === '' ? sessionFlow(ctx, path, attraction) : linkFlow(ctx, path, attraction, link);
}
