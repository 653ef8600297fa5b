// Sign-in at the edge (OpenID Connect Core 1.0 §3.1, code flow; RFC 7636 PKCE S256): `/_edgepass/sign-in` starts it,
// or renews the session with a refresh token; `/_edgepass/callback` finishes it. Viewer input: every parameter and
// cookie. The state cookie is matched to the returned `state` and its return path re-checked on read.
import { createHash, randomBytes } from 'node:crypto';
import { ENDPOINT_PATH, expireCookieLine, REFRESH_COOKIE, setCookieLine, STATE_COOKIE } from './cookies.ts';
import { deny } from './context.ts';
import type { Context } from './context.ts';
import { prepareOidc } from './oidc-runtime.ts';
import { tokenRequest } from './oidc-token.ts';
import type { TokenAnswer } from './oidc-token.ts';
import { paramValue } from './query.ts';
import { redirect } from './responses.ts';
import type { OidcFlow, OidcRuntime } from './runtime.ts';
import { tokenLog } from './token.ts';
import type { Decision, DecisionLog } from './types.ts';

const STATE_TTL_SECONDS = 600;
const CALLBACK_PATH = `${ENDPOINT_PATH}callback`;
/** A path on this host: never `//host` or `/\host` (an open redirect), only URL-safe bytes, bounded. */
const SAFE_RETURN = /^\/(?![/\\])[\w.~!$&'()*+,;=:@%/?-]{0,2000}$/;
const RANDOM = /^[\w-]{43}$/;
/** What a Set-Cookie value may hold unquoted (RFC 6265 §4.1.1 cookie-octet), bounded. */
const COOKIE_SAFE = /^[\w.~+/=-]{1,3000}$/;

const random = (): string => randomBytes(32).toString('base64url');
/** A configured endpoint (it may carry a query of its own) with our parameters appended. */
const withQuery = (endpoint: string, params: Record<string, string>): string =>
  `${endpoint}${endpoint.includes('?') ? '&' : '?'}${new URLSearchParams(params).toString()}`;

/** `path` when it is a safe relative path, else the home page. */
function safeReturn(path: string | undefined): string {
  return path !== undefined && SAFE_RETURN.test(path) ? path : '/';
}

interface Flow {
  readonly state: string;
  readonly nonce: string;
  readonly verifier: string;
  readonly back: string;
}

function readFlow(value: string): Flow | undefined {
  const [state = '', nonce = '', verifier = '', back = '', extra] = value.split('.');
  if (extra !== undefined || ![state, nonce, verifier].every((part) => RANDOM.test(part))) return undefined;
  return { state, nonce, verifier, back: safeReturn(Buffer.from(back, 'base64url').toString('utf8')) };
}

/**
 * To the authorization endpoint with fresh state, nonce and PKCE challenge; the secrets stay in an HttpOnly cookie,
 * SameSite=Lax so that the provider's top-level redirect back carries it (RFC 6265bis §5.3.7).
 */
function authorizeRedirect(
  ctx: Context,
  oidc: OidcRuntime,
  back: string,
  log: DecisionLog,
  lines: string[],
  prompt: Record<string, string> = {},
) {
  const [state, nonce, verifier] = [random(), random(), random()];
  const query = {
    ...prompt,
    response_type: 'code',
    client_id: oidc.clientId,
    redirect_uri: `${ctx.origin}${CALLBACK_PATH}`,
    scope: oidc.scopes.join(' '),
    state,
    nonce,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  };
  const flow = [state, nonce, verifier, Buffer.from(back).toString('base64url')].join('.');
  lines.push(setCookieLine(STATE_COOKIE, flow, { path: ENDPOINT_PATH, maxAgeSeconds: STATE_TTL_SECONDS }));
  return redirect(withQuery(oidc.authorizationEndpoint, query), log, lines);
}

type Started = { readonly ok: true; readonly decision: Decision } | { readonly ok: false; readonly log: DecisionLog };

/**
 * The ID token (issuer, audience = clientId, signature, exp; nonce when the flow set one) becomes the session cookie,
 * so everything downstream verifies it as it verifies a session (the refresh token, when kept, beside it); then back.
 */
async function startSession(
  ctx: Context,
  oidc: OidcRuntime,
  answer: Extract<TokenAnswer, { ok: true }>,
  flow: { readonly back: string; readonly nonce: string | undefined },
  reason: string,
  lines: string[],
): Promise<Started> {
  const result = await oidc.verifyIdToken(answer.idToken, ctx.req.nowMs);
  if (!result.ok) return { ok: false, log: tokenLog(result, result.reason) };
  const { aud, azp, exp, nonce } = result.claims;
  if (flow.nonce !== undefined && nonce !== flow.nonce)
    return { ok: false, log: tokenLog(result, 'oidc_nonce_mismatch') };
  // OIDC Core §3.1.3.7: with several audiences, azp must name us.
  if (Array.isArray(aud) && aud.length > 1 && azp !== oidc.clientId) {
    return { ok: false, log: tokenLog(result, 'token_bad_audience') };
  }
  // Accepted only thanks to the clock tolerance, it would earn nothing and send the browser straight back here.
  if (typeof exp !== 'number' || exp <= ctx.nowS) return { ok: false, log: tokenLog(result, 'token_expired') };
  // A cookie the browser would drop (name and value over 4,096 bytes: RFC 6265 §6.1) would bring it back here.
  const name = ctx.rt.config.sessionCookieName;
  if (name.length + answer.idToken.length >= 4096) return { ok: false, log: tokenLog(result, 'token_too_large') };
  lines.push(setCookieLine(name, answer.idToken, { path: '/', maxAgeSeconds: exp - ctx.nowS }));
  const refresh = answer.refreshToken;
  if (refresh !== undefined && oidc.refreshTokenTtlSeconds !== null && COOKIE_SAFE.test(refresh)) {
    lines.push(
      setCookieLine(REFRESH_COOKIE, refresh, { path: ENDPOINT_PATH, maxAgeSeconds: oidc.refreshTokenTtlSeconds }),
    );
  }
  // Back where the sign-in started: a protected path earns its CloudFront cookies there, through the session flow
  // like any session (one more redirect, with its marker that turns refused cookies into a page, never a loop).
  return { ok: true, decision: redirect(flow.back, tokenLog(result, reason), lines) };
}

/**
 * `/_edgepass/sign-in?return=<relative path>`: a silent refresh when a refresh token is held, else the provider.
 * `&prompt=login` (another account): never the refresh token, and the provider asks again (OIDC Core §3.1.2.1).
 */
async function signIn(ctx: Context, oidc: OidcRuntime): Promise<Decision> {
  const back = safeReturn(paramValue(ctx.query, 'return'));
  const anotherAccount = paramValue(ctx.query, 'prompt') === 'login';
  const refresh = ctx.cookies.find((cookie) => cookie.name === REFRESH_COOKIE)?.value;
  if (anotherAccount || refresh === undefined || oidc.refreshTokenTtlSeconds === null) {
    const prompt = anotherAccount ? { prompt: 'login' } : {};
    return authorizeRedirect(ctx, oidc, back, { reason: 'oidc_sign_in' }, [], prompt);
  }
  const answer = await tokenRequest(ctx, oidc, { grant_type: 'refresh_token', refresh_token: refresh });
  const started = answer.ok
    ? await startSession(ctx, oidc, answer, { back, nonce: undefined }, 'oidc_refreshed', [])
    : undefined;
  if (started?.ok === true) return started.decision;
  // A refresh token that failed once is dropped; the provider decides whether the person must sign in again.
  const lines = [expireCookieLine(REFRESH_COOKIE, ENDPOINT_PATH)];
  return authorizeRedirect(ctx, oidc, back, { reason: 'oidc_refresh_failed' }, lines);
}

/**
 * `/_edgepass/callback?code&state`: the state cookie whose state matches (up to a few: a sibling domain may plant
 * others) is used once and cleared in every answer; a failure is a page with "Try again", never a redirect.
 */
async function callback(ctx: Context, oidc: OidcRuntime): Promise<Decision> {
  const state = paramValue(ctx.query, 'state');
  const cookies = ctx.cookies.filter((cookie) => cookie.name === STATE_COOKIE).slice(0, 3);
  const flows = cookies.map((cookie) => readFlow(cookie.value));
  const flow = flows.find((candidate) => candidate?.state === state);
  const clear = [expireCookieLine(STATE_COOKIE, ENDPOINT_PATH)];
  // "Try again" returns where the sign-in started (a checked relative path, whichever cookie it came from).
  const back = (flow ?? flows.find(Boolean))?.back ?? '/';
  const fail = (log: DecisionLog) => deny(ctx, log, { 'set-cookie': clear }, back);
  if (flow === undefined) return fail({ reason: cookies.length === 0 ? 'oidc_state_missing' : 'oidc_state_mismatch' });
  if (paramValue(ctx.query, 'error') !== undefined) return fail({ reason: 'oidc_idp_error' });
  const code = paramValue(ctx.query, 'code');
  const iss = paramValue(ctx.query, 'iss');
  // RFC 9207: a provider that names itself must be ours (mix-up defence).
  if (code === undefined || code === '' || (iss !== undefined && iss !== oidc.issuer)) {
    return fail({ reason: 'oidc_bad_callback' });
  }
  const answer = await tokenRequest(ctx, oidc, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: `${ctx.origin}${CALLBACK_PATH}`,
    code_verifier: flow.verifier,
  });
  if (!answer.ok) return fail({ reason: answer.reason });
  const started = await startSession(ctx, oidc, answer, flow, 'oidc_signed_in', clear);
  return started.ok ? started.decision : fail(started.log);
}

/**
 * RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0 §2) when configured: client_id and where to come back
 * (under the provider's parameter name), never id_token_hint, which would put a token in a URL (history, logs).
 */
function endSessionUrl(ctx: Context, oidc: OidcRuntime): string | undefined {
  const endpoint = oidc.endSessionEndpoint;
  if (endpoint === null) return undefined;
  return withQuery(endpoint, { client_id: oidc.clientId, [oidc.endSessionRedirectParameter]: `${ctx.origin}/` });
}

/** What `edgepass:oidc` provides to a bundle with `oidc` (edge/index.ts passes it to the runtime). */
export const oidcFlow: OidcFlow = {
  signIn,
  callback,
  endSessionUrl,
  prepare: (...args) => prepareOidc(oidcFlow, ...args),
};
