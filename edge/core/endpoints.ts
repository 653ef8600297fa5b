// The unrestricted /_edgepass/ endpoints: `grant` (bearer token → signed cookies as JSON and Set-Cookie, for apps and
// natively restricted behaviours) and `sign-out` (expires our cookies). Viewer input; answers are never cached.
import { readTickets } from '../../common/jwt/index.ts';
import type { ProtectedPath } from '../config-paths.ts';
import { bearerTicket } from './bearer.ts';
import {
  cookieValue,
  ENDPOINT_PATH,
  expireCookieLine,
  grantNoteName,
  grantNotePath,
  REFRESH_COOKIE,
  STATE_COOKIE,
} from './cookies.ts';
import { deny, header } from './context.ts';
import type { Context } from './context.ts';
import { grantExpiry, mintCookies } from './mint.ts';
import { ATTRACTION_ID } from './paths.ts';
import { paramValue } from './query.ts';
import { redirect, respond } from './responses.ts';
import { bearerToken, tokenLog } from './token.ts';
import type { Verified } from './token.ts';
import type { Decision } from './types.ts';

const METHODS = ['GET', 'POST'];
/** Attraction × prefix combinations expired at once: keeps the response far below the 40 KB Lambda@Edge cap. */
const MAX_SIGN_OUT_SCOPES = 40;

/** The protected path a grant is for: `prefix` when given, else the only one configured. */
function pathFor(ctx: Context): ProtectedPath | undefined {
  const paths = ctx.rt.config.protectedPaths;
  const prefix = paramValue(ctx.query, 'prefix');
  if (prefix === undefined) return paths.length === 1 ? paths[0] : undefined;
  return paths.find((path) => path.prefix === prefix);
}

async function grant(ctx: Context): Promise<Decision> {
  const attraction = paramValue(ctx.query, 'attraction') ?? '';
  const path = pathFor(ctx);
  if (!ATTRACTION_ID.test(attraction) || path === undefined) return deny(ctx, { reason: 'grant_bad_request' });
  const checked = await bearerTicket(ctx, path, attraction);
  if (!checked.ok) return checked.decision;
  const exp = grantExpiry(ctx, path.cookieTtlSeconds, checked.earned);
  const granted = mintCookies(ctx.rt, ctx.origin, `${path.prefix}${attraction}/`, exp, ctx.nowS);
  // Handing out the cookies is this endpoint's purpose, so they appear in the JSON body (never in a log line).
  return respond({
    status: 200,
    log: { ...tokenLog(checked.token, 'cookies_granted'), keyPairId: ctx.rt.signer.keyPairId },
    audience: 'app',
    requestId: ctx.req.requestId,
    headers: { 'set-cookie': granted.setCookies },
    json: {
      attraction,
      path: granted.cookiePath,
      resource: granted.resource,
      expiresEpochSeconds: exp,
      cookies: granted.cookies,
    },
  });
}

/** `/prefix/{id}/` for a configured prefix and a valid id, else undefined. */
function checkedScope(ctx: Context, scope: string): string | undefined {
  const path = ctx.rt.config.protectedPaths.find((candidate) => scope.startsWith(candidate.prefix));
  const id = path === undefined ? undefined : scope.slice(path.prefix.length, -1);
  return id !== undefined && scope.endsWith('/') && ATTRACTION_ID.test(id) ? scope : undefined;
}

/**
 * Cookie paths to clear: the grant notes the browser sent (every attraction minted to it, session or not), the
 * attractions named in the query, and those in a current session or bearer token.
 */
async function signOutScopes(ctx: Context): Promise<string[]> {
  const scopes = new Set<string>();
  const paths = ctx.rt.config.protectedPaths;
  for (const { name } of ctx.cookies) {
    const noted = grantNotePath(name);
    const scope = noted === undefined ? undefined : checkedScope(ctx, noted);
    if (scope !== undefined) scopes.add(scope);
  }
  for (const param of ctx.query) {
    if (param.name === 'attraction' && ATTRACTION_ID.test(param.value)) {
      for (const path of paths) scopes.add(`${path.prefix}${param.value}/`);
    }
  }
  const tokens = [
    [cookieValue(ctx.cookies, ctx.rt.config.sessionCookieName), ctx.rt.verifySession],
    [bearerToken(header(ctx.req, 'authorization')), ctx.rt.verifyToken],
  ] as const;
  for (const [token, verify] of tokens) {
    if (token === undefined) continue;
    const result = await verify(token, ctx.req.nowMs);
    if (!result.ok) continue;
    for (const path of paths) {
      for (const id of ticketIds(result, path, ctx.nowS)) scopes.add(`${path.prefix}${id}/`);
    }
  }
  return [...scopes].slice(0, MAX_SIGN_OUT_SCOPES);
}

function ticketIds(result: Verified, path: ProtectedPath, nowS: number): string[] {
  return [...readTickets(result.claims, path.ticketClaim, nowS).keys()].filter((id) => ATTRACTION_ID.test(id));
}

const COOKIE_NAMES = [
  'CloudFront-Policy',
  'CloudFront-Signature',
  'CloudFront-Key-Pair-Id',
  'CloudFront-Hash-Algorithm',
];

/**
 * Whether this sign-out was asked for by the user on our own site (or an app), not by another site (sign-out CSRF).
 * Browsers say where a request comes from in `Sec-Fetch-Site` (W3C Fetch Metadata) and, for a POST, in `Origin`; a
 * site cannot make a browser send `Authorization`. A GET counts only when same-origin or typed by the user (`none`);
 * a POST also from a listed app origin (its credentialed fetch). Without Fetch Metadata only a POST whose `Origin`
 * is absent (no browser) or ours counts.
 */
function signOutIsOurs(ctx: Context): boolean {
  if (header(ctx.req, 'authorization') !== undefined) return true;
  const site = header(ctx.req, 'sec-fetch-site');
  if (ctx.req.method !== 'POST') return site === 'same-origin' || site === 'none';
  if (ctx.appOrigin !== undefined || site === 'same-origin') return true;
  if (site !== undefined) return false;
  const origin = header(ctx.req, 'origin');
  return origin === undefined || origin === ctx.origin;
}

async function signOut(ctx: Context): Promise<Decision> {
  // Another site's link or form: nothing is cleared; a person gets a page with a button that signs out from here.
  if (!signOutIsOurs(ctx)) return deny(ctx, { reason: 'sign_out_unconfirmed' });
  const lines = (await signOutScopes(ctx)).flatMap((scope) => [
    ...COOKIE_NAMES.map((name) => expireCookieLine(name, scope)),
    expireCookieLine(grantNoteName(scope), ENDPOINT_PATH),
  ]);
  lines.push(expireCookieLine(ctx.rt.config.sessionCookieName, '/'));
  const { oidc } = ctx.rt;
  if (oidc !== null)
    lines.push(expireCookieLine(REFRESH_COOKIE, ENDPOINT_PATH), expireCookieLine(STATE_COOKIE, ENDPOINT_PATH));
  // The browser's own cache may still hold protected media from this origin: drop it (W3C Clear Site Data).
  const headers = { 'set-cookie': lines, 'clear-site-data': ['"cache"'] };
  const log = { reason: 'signed_out' };
  const endSession = oidc === null ? undefined : oidc.flow.endSessionUrl(ctx, oidc);
  // A person goes on to end the provider's session too; an app is told where to send them.
  if (endSession !== undefined && ctx.audience === 'browser') {
    const answer = redirect(endSession, log);
    return { ...answer, headers: { ...answer.headers, ...headers } };
  }
  const json = endSession === undefined ? {} : { endSessionUrl: endSession };
  return respond({ status: 200, log, audience: ctx.audience, requestId: ctx.req.requestId, headers, json });
}

const OIDC_ENDPOINTS = ['sign-in', 'callback'];

export async function endpoint(ctx: Context, name: string): Promise<Decision> {
  const { oidc } = ctx.rt;
  const known = name === 'grant' || name === 'sign-out' || (oidc !== null && OIDC_ENDPOINTS.includes(name));
  if (!known) return deny(ctx, { reason: 'endpoint_not_found' });
  if (!METHODS.includes(ctx.req.method))
    return deny(ctx, { reason: 'method_not_allowed' }, { allow: [METHODS.join(', ')] });
  if (oidc !== null && name === 'sign-in') return oidc.flow.signIn(ctx, oidc);
  if (oidc !== null && name === 'callback') return oidc.flow.callback(ctx, oidc);
  return name === 'grant' ? grant(ctx) : signOut(ctx);
}
