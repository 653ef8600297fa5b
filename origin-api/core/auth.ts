// Authenticates a request: `Authorization: Bearer <app JWT>` verified by the shared common/jwt verifier (the edge's
// rules). Trust boundary: the header is attacker-controlled; the token is never logged or echoed.
import type { TokenReason, TokenVerifier } from '../../common/jwt/index.ts';
import { isWellFormed, MAX_SUB_BYTES, ownerPrefix } from './keys.ts';
import { problem } from './respond.ts';
import type { ApiRequest, ApiResponse } from './types.ts';

interface Caller {
  /** The caller's folder in the bucket, ending in `/`. */
  readonly owner: string;
}

export type AuthResult =
  | { readonly ok: true; readonly caller: Caller }
  | { readonly ok: false; readonly code: TokenReason | 'subject_invalid'; readonly response: ApiResponse };

/** RFC 6750 §2.1 (scheme case-insensitive, one space, the token); `null` for another scheme. */
function bearerToken(header: string | undefined): string | undefined | null {
  if (header === undefined || header === '') return undefined;
  return /^bearer /i.test(header) ? header.slice(7) : null;
}

/** RFC 6750 §3: no error attribute when no credentials were sent, `invalid_token` otherwise. */
function unauthorized(reason: TokenReason): AuthResult {
  const challenge =
    reason === 'token_missing' ? 'Bearer realm="edgepass"' : 'Bearer realm="edgepass", error="invalid_token"';
  const detail = reason === 'token_missing' ? 'A bearer token is required.' : 'The bearer token was not accepted.';
  return {
    ok: false,
    code: reason,
    response: problem(401, reason, detail, { headers: { 'www-authenticate': challenge } }),
  };
}

/**
 * The issuer's current keys could not be fetched (common/jwt/key-ring.ts): that says nothing against the token, so
 * 503 and no challenge, and a client retries rather than signing in again for a token with the same kid.
 */
function keysUnavailable(): AuthResult {
  const code = 'token_jwks_unavailable';
  return { ok: false, code, response: problem(503, code, 'The signing keys could not be fetched; try again later.') };
}

/** Where callers' folders live: the key prefix, and the issuer (if any) that keeps the unscoped layout. */
export interface FolderLayout {
  readonly keyPrefix: string;
  readonly legacyFolderIssuer: string | null;
}

export async function authenticate(
  request: ApiRequest,
  verify: TokenVerifier,
  layout: FolderLayout,
  nowMs: number,
): Promise<AuthResult> {
  const token = bearerToken(request.headers.authorization);
  if (token === null) return unauthorized('token_malformed');
  const result = await verify(token, nowMs);
  if (!result.ok) {
    return result.reason === 'token_jwks_unavailable' ? keysUnavailable() : unauthorized(result.reason);
  }
  const { sub, iss } = result.claims;
  // A lone surrogate would become U+FFFD in UTF-8, and "\ud800", "\udfff" and "\ufffd" would share one folder.
  const usable = typeof sub === 'string' && sub !== '' && Buffer.byteLength(sub) <= MAX_SUB_BYTES && isWellFormed(sub);
  // The verifier accepts only configured issuers, so `iss` is always one of them here.
  if (!usable || typeof iss !== 'string') {
    const response = problem(403, 'subject_invalid', 'The token carries no usable subject.');
    return { ok: false, code: 'subject_invalid', response };
  }
  const owner = ownerPrefix(layout.keyPrefix, { issuer: iss, sub }, layout.legacyFolderIssuer);
  return { ok: true, caller: { owner } };
}
