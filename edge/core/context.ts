// Per-request values shared by the decision steps: the checked host, parsed query and cookies, who we answer.
// Trust boundary: the Host header is accepted only when its name is one of the configured domain names, and the
// Origin header counts only when it is, byte for byte, one of the configured app origins.
import { parseCookies } from './cookies.ts';
import type { Cookie } from './cookies.ts';
import { joinUrl, parseQuery, withoutParams } from './query.ts';
import type { QueryParam } from './query.ts';
import type { Runtime } from './runtime.ts';
import type { Audience, DecisionLog, EdgeRequest } from './types.ts';
import { respond } from './responses.ts';
import type { NextStep } from './responses.ts';

/** A link token (`?token=`); never copied into a Location header or a minted URL. */
export const TOKEN_PARAM = 'token';
/** `<minting time>.<tag of the token that earned the cookies>`; removed before the request reaches the origin. */
export const MARKER_PARAM = 'edgepass_cc';
export const isBrowserParam = (name: string): boolean => name === TOKEN_PARAM || name === MARKER_PARAM;

export interface Context {
  readonly rt: Runtime;
  readonly req: EdgeRequest;
  readonly nowS: number;
  /** `{scheme}://{host[:port]}` built from a configured domain name: safe for absolute URLs and policies. */
  readonly origin: string;
  readonly query: readonly QueryParam[];
  readonly cookies: readonly Cookie[];
  readonly audience: Audience;
  /** The request's `Origin` when it is a listed app origin (its answers carry CORS headers), else undefined. */
  readonly appOrigin: string | undefined;
}

const HOST_HEADER = /^([a-z0-9.-]{1,253})(?::([1-9][0-9]{0,4}))?$/;

/** The Host header when its name (port ignored: local stack) is a configured domain name. */
export function checkedAuthority(host: string, domainNames: readonly string[]): string | undefined {
  const lower = host.toLowerCase();
  const match = HOST_HEADER.exec(lower);
  const name = match?.[1];
  if (name === undefined || !domainNames.includes(name)) return undefined;
  if (Number(match?.[2] ?? '0') > 65535) return undefined;
  return lower;
}

export function header(req: EdgeRequest, name: string): string | undefined {
  return req.headers[name]?.[0];
}

/**
 * A navigation (a page or frame being loaded) as opposed to a fetch, an XHR or a subresource. Browsers say so in
 * `Sec-Fetch-Mode` (Fetch Metadata Request Headers, W3C); without it, only a navigation asks for HTML.
 */
function isNavigation(req: EdgeRequest): boolean {
  const mode = header(req, 'sec-fetch-mode');
  if (mode !== undefined) return mode === 'navigate';
  return (req.headers['accept'] ?? []).some((value) => value.includes('text/html'));
}

/** Navigations without an Authorization header are people (HTML, sign-in redirects); everything else gets JSON. */
function audienceOf(req: EdgeRequest): Audience {
  if (header(req, 'authorization') !== undefined) return 'app';
  return isNavigation(req) ? 'browser' : 'app';
}

/** Exact match only (RFC 6454 §7: Origin is compared as sent); `null` and unlisted origins get no CORS headers. */
function appOriginOf(rt: Runtime, req: EdgeRequest): string | undefined {
  const origin = header(req, 'origin');
  return origin !== undefined && rt.appOrigins.has(origin) ? origin : undefined;
}

export function createContext(rt: Runtime, req: EdgeRequest, authority: string): Context {
  return {
    rt,
    req,
    nowS: Math.floor(req.nowMs / 1000),
    origin: `${rt.config.viewerProtocol}://${authority}`,
    query: parseQuery(req.rawQuery),
    cookies: parseCookies(req.headers['cookie']),
    audience: audienceOf(req),
    appOrigin: appOriginOf(rt, req),
  };
}

/** The URL as the viewer sent it (path and query bytes untouched). */
export function requestUrl(ctx: Context): string {
  return ctx.req.rawQuery === '' ? `${ctx.origin}${ctx.req.uri}` : `${ctx.origin}${ctx.req.uri}?${ctx.req.rawQuery}`;
}

const STATUS: Readonly<Record<string, number>> = {
  path_incomplete: 404,
  endpoint_not_found: 404,
  method_not_allowed: 405,
  no_ticket: 403,
  sign_out_unconfirmed: 403,
  cors_origin_not_allowed: 403,
  cors_preflight_invalid: 403,
  cors_method_not_allowed: 403,
  internal_error: 503,
  oidc_idp_error: 403,
};
/** The OpenID Provider's token endpoint failed us (oidc_token_*, oidc_timeout): a gateway error, not the viewer's. */
const UPSTREAM = /^oidc_t/;
/**
 * Something we depend on is out of reach, not the viewer's fault, so "try again" rather than "sign in": the issuer's
 * keys (token_jwks_unavailable: the token may well be good), our client secret (oidc_secret_unavailable).
 */
const UNAVAILABLE = /_unavailable$/;

/** Path and query to come back to: always relative, without a link token or marker (never an open redirect). */
export function cleanPath(ctx: Context): string {
  return joinUrl(ctx.req.uri, withoutParams(ctx.query, isBrowserParam));
}

/** Our own sign-in endpoint (OpenID Connect at the edge) with a relative path to come back to. */
export const signInLink = (back: string): string => `/_edgepass/sign-in?return=${encodeURIComponent(back)}`;

/**
 * Where a person signs in, with a safe relative path to return to (`back`): our sign-in endpoint with `oidc` (with
 * `prompt=login` after no_ticket), else the configured login page with `return_to`, plus `reason=token_expired` when a
 * session ended (so the page can say so);
 * null with neither, and for `token_jwks_unavailable`: signing in again would bring a token with the same kid,
 * through the identity provider and back, in a loop.
 */
export function loginLink(ctx: Context, reason: string, back = cleanPath(ctx)): string | null {
  if (reason === 'token_jwks_unavailable') return null;
  // Without the ticket, "another account": the provider must ask again (its own session would sign the same person in).
  if (ctx.rt.oidc !== null) return signInLink(back) + (reason === 'no_ticket' ? '&prompt=login' : '');
  const login = ctx.rt.config.loginUrl;
  if (login === null) return null;
  const separator = login.includes('?') ? '&' : '?';
  const expired = reason === 'token_expired' ? '&reason=token_expired' : '';
  return `${login}${separator}return_to=${encodeURIComponent(back)}${expired}`;
}

/** What a person can do after this denial: sign in (again), try again, reload, or go to the site's home page. */
function nextSteps(ctx: Context, reason: string, back: string): NextStep[] {
  const home = { href: '/', text: 'Go to the home page' };
  if (reason === 'cookies_blocked' || reason === 'token_jwks_unavailable')
    return [{ href: back, text: 'Reload' }, home];
  // A failed sign-in at the edge: one click starts it again, never an automatic redirect (no loop).
  if (reason.startsWith('oidc_')) return [{ href: signInLink(back), text: 'Try again' }, home];
  const login = reason.startsWith('token_') || reason === 'no_ticket' ? loginLink(ctx, reason, back) : null;
  if (login === null) return [home];
  return [{ href: login, text: reason === 'no_ticket' ? 'Sign in with another account' : 'Sign in' }, home];
}

function statusOf(reason: string): number {
  const fixed = STATUS[reason];
  if (fixed !== undefined) return fixed;
  if (UNAVAILABLE.test(reason)) return 503;
  if (reason.startsWith('token_')) return 401;
  if (reason.startsWith('cf_')) return 403;
  return UPSTREAM.test(reason) ? 502 : 400;
}

/**
 * A denial with the status its reason implies: *_unavailable 503, token_* 401, cf_* 403, a failing token endpoint
 * 502, other request faults 400. `back` is the relative path its next steps return to (the callback passes the one
 * its sign-in started from).
 */
export function deny(
  ctx: Context,
  log: DecisionLog,
  headers: Record<string, readonly string[]> = {},
  back = cleanPath(ctx),
) {
  const { reason } = log;
  const status = statusOf(reason);
  const next = ctx.audience === 'browser' ? nextSteps(ctx, reason, back) : [];
  return respond({ status, log, audience: ctx.audience, requestId: ctx.req.requestId, headers, next });
}
