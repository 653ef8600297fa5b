// Cold start of sign-in at the edge (bundled only with `oidc`): the section with its baked endpoints, the token
// endpoint's fetch, the ID-token verifier, and the session verifier that accepts our client's ID tokens besides
// app JWTs. Trust boundary: none per request; a section that cannot run fails the cold start (fail closed).
import { createTokenVerifier } from '../../common/jwt/index.ts';
import type { TokenVerifier } from '../../common/jwt/index.ts';
import type { EdgeConfig } from '../config.ts';
import type { OidcFlow, OidcRuntime, OidcVerifying } from './runtime.ts';

/** The app verifier first; an ID token it refuses for its audience or typ may still be our client's session. */
function sessionVerifier(app: TokenVerifier, oidc: OidcRuntime): TokenVerifier {
  return async (token, nowMs) => {
    const result = await app(token, nowMs);
    if (result.ok) return result;
    const id = await oidc.verifyIdToken(token, nowMs);
    return id.ok || result.reason === 'token_bad_audience' || result.reason === 'token_bad_type' ? id : result;
  };
}

export function prepareOidc(
  flow: OidcFlow,
  config: EdgeConfig,
  fetch: typeof globalThis.fetch | undefined,
  { purpose, keys, app }: OidcVerifying,
): { readonly oidc: OidcRuntime; readonly verifySession: TokenVerifier } {
  const { oidc } = config;
  const entry = config.jwt.issuers.find((candidate) => candidate.issuer === oidc?.issuer);
  const { authorizationEndpoint, tokenEndpoint } = oidc ?? {};
  if (!oidc || !authorizationEndpoint || !tokenEndpoint || !entry || !fetch) {
    throw new TypeError('oidc incomplete'); // endpoints (the build resolves them), jwt issuer or fetch
  }
  // The issuer's keys and algorithms, our client as the audience, no `typ` rule (ID tokens are plain JWTs).
  // The key ring is shared: an ID token signed with a key the IdP just rotated in costs the same one JWKS fetch.
  const idTokens = { issuers: [{ ...entry, audience: oidc.clientId, typ: null }] };
  const verifyIdToken = createTokenVerifier(idTokens, purpose, keys);
  const resolved = { ...oidc, authorizationEndpoint, tokenEndpoint, fetch, flow, verifyIdToken };
  return { oidc: resolved, verifySession: sessionVerifier(app, resolved) };
}
