// One call to the OpenID Provider's token endpoint (RFC 6749 §4.1.3 code exchange, §6 refresh), bounded in time and
// in bytes read. Trust boundary: the endpoint's answer; only the ID and refresh tokens are taken from it, and neither
// they nor the response body ever reach a log line or a reason code.
import { readCapped } from '../../common/read-capped.ts';
import type { Context } from './context.ts';
import type { OidcRuntime } from './runtime.ts';

export type TokenAnswer =
  | { readonly ok: true; readonly idToken: string; readonly refreshToken: string | undefined }
  | {
      readonly ok: false;
      readonly reason:
        | 'oidc_token_error'
        | 'oidc_timeout'
        | 'oidc_token_too_large'
        | 'oidc_token_invalid_response'
        | 'oidc_secret_unavailable';
    };

/** Client authentication (RFC 6749 §2.3.1: id and secret form-encoded, then Basic) or client_id alone (PKCE). */
function clientAuth(oidc: OidcRuntime, secret: string, form: URLSearchParams): Record<string, string> {
  if (oidc.tokenEndpointAuthMethod === 'client_secret_post') form.set('client_secret', secret);
  if (oidc.tokenEndpointAuthMethod !== 'client_secret_basic') return {};
  const encode = (text: string) => new URLSearchParams({ t: text }).toString().slice(2);
  const pair = `${encode(oidc.clientId)}:${encode(secret)}`;
  return { authorization: `Basic ${Buffer.from(pair).toString('base64')}` };
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/**
 * POSTs the grant; a timeout covers the whole exchange, body included (the signal aborts the stream too). With
 * `oidc.clientSecret { jsonKey }` the key source holds the client secret: loaded with the signing key and waited for
 * as signing waits for it; a load that failed means no request at all.
 */
export async function tokenRequest(
  ctx: Context,
  oidc: OidcRuntime,
  params: Record<string, string>,
): Promise<TokenAnswer> {
  const secret = (await ctx.rt.keySource.clientSecret?.(ctx.req.nowMs)) ?? oidc.clientSecret;
  // Never an exchange without its secret: a failed load (''), or a `{ jsonKey }` object that no key source serves.
  if (secret === '' || secret instanceof Object) {
    return { ok: false, reason: 'oidc_secret_unavailable' };
  }
  const form = new URLSearchParams({ ...params, client_id: oidc.clientId });
  const headers = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  let json: { id_token?: unknown; refresh_token?: unknown } | null;
  try {
    const response = await oidc.fetch(oidc.tokenEndpoint, {
      method: 'POST',
      headers: { ...headers, ...clientAuth(oidc, secret ?? '', form) },
      body: form.toString(),
      redirect: 'error',
      signal: AbortSignal.timeout(oidc.tokenTimeoutMs),
    });
    if (!response.ok) {
      response.body?.cancel().catch(() => undefined);
      return { ok: false, reason: 'oidc_token_error' };
    }
    const body = await readCapped(response, oidc.maxTokenResponseBytes);
    if (body === undefined) return { ok: false, reason: 'oidc_token_too_large' };
    json = JSON.parse(body) as typeof json;
  } catch (caught) {
    const name = caught instanceof Error ? caught.name : '';
    if (name === 'SyntaxError') return { ok: false, reason: 'oidc_token_invalid_response' };
    return { ok: false, reason: name === 'TimeoutError' ? 'oidc_timeout' : 'oidc_token_error' };
  }
  const idToken = text(json?.id_token);
  if (idToken === undefined) return { ok: false, reason: 'oidc_token_invalid_response' };
  return { ok: true, idToken, refreshToken: text(json?.refresh_token) };
}
