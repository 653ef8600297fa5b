// Verifies app JWTs with jose against baked-in keys; the one place where jose's errors become reason codes.
// Trust boundary: the token string is attacker-controlled; it is size-checked before any parsing and never logged.
import { decodeProtectedHeader, jwtVerify } from 'jose';
import type { JWTPayload } from 'jose';
import { Lru } from '../lru.ts';
import { keyLookup } from './keys.ts';
import type { JwtOptions } from './options.ts';

export type TokenReason =
  | 'token_missing'
  | 'token_too_large'
  | 'token_malformed'
  | 'token_alg_not_allowed'
  | 'token_unknown_kid'
  | 'token_bad_signature'
  | 'token_expired'
  | 'token_not_yet_valid'
  | 'token_missing_exp'
  | 'token_bad_issuer'
  | 'token_bad_audience'
  | 'token_bad_type'
  | 'token_crit_unsupported'
  | 'token_invalid';

export type TokenResult =
  | { readonly ok: true; readonly claims: JWTPayload; readonly kid: string | undefined }
  | { readonly ok: false; readonly reason: TokenReason; readonly kid?: string | undefined };

export type TokenVerifier = (token: string | undefined, nowMs: number) => Promise<TokenResult>;

interface Verified {
  readonly claims: JWTPayload;
  readonly kid: string | undefined;
}

const JWS_COMPACT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** jose error → reason code. jose names the failing claim on JWTClaimValidationFailed (`claim`, `reason`). */
function reasonOf(error: unknown): TokenReason {
  const { code, claim, reason } = error as { code?: unknown; claim?: unknown; reason?: unknown };
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return 'token_expired';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if (claim === 'exp' && reason === 'missing') return 'token_missing_exp';
      if (claim === 'nbf') return 'token_not_yet_valid';
      if (claim === 'iss') return 'token_bad_issuer';
      if (claim === 'aud') return 'token_bad_audience';
      if (claim === 'typ') return 'token_bad_type';
      return 'token_invalid';
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return 'token_unknown_kid';
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return 'token_bad_signature';
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
    case 'ERR_JOSE_NOT_SUPPORTED':
      return 'token_alg_not_allowed';
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
      return 'token_malformed';
    default:
      return 'token_invalid';
  }
}

/**
 * Dates of a token: re-checked on every use of a cached one, since the cache outlives seconds. A token issued in the
 * future (beyond the tolerance) is not yet valid either: jose checks `iat` only with maxTokenAge.
 */
function stillCurrent(claims: JWTPayload, nowS: number, toleranceS: number): TokenReason | undefined {
  if (typeof claims.exp === 'number' && claims.exp <= nowS - toleranceS) return 'token_expired';
  if (typeof claims.nbf === 'number' && claims.nbf > nowS + toleranceS) return 'token_not_yet_valid';
  if (typeof claims.iat === 'number' && claims.iat > nowS + toleranceS) return 'token_not_yet_valid';
  return undefined;
}

/**
 * Builds a verifier over the configured keys (imported once, here). Verified tokens are remembered in a bounded
 * cache keyed by the token itself, so a browser's repeated requests cost one signature check per token.
 */
export function createTokenVerifier(options: JwtOptions, cacheEntries = 2048): TokenVerifier {
  const keys = keyLookup(options.jwks);
  const algorithms = [...options.algorithms];
  const verified = new Lru<string, Verified>(cacheEntries);
  const verifyOptions = {
    issuer: typeof options.issuer === 'string' ? options.issuer : [...options.issuer],
    ...(options.audience === null
      ? {}
      : { audience: typeof options.audience === 'string' ? options.audience : [...options.audience] }),
    algorithms,
    clockTolerance: options.clockToleranceSeconds,
    requiredClaims: ['exp'],
    ...(options.typ === null ? {} : { typ: options.typ }),
  };

  return async (token, nowMs) => {
    if (token === undefined || token === '') return { ok: false, reason: 'token_missing' };
    if (token.length > options.maxTokenBytes) return { ok: false, reason: 'token_too_large' };
    if (!JWS_COMPACT.test(token)) return { ok: false, reason: 'token_malformed' };
    const nowS = Math.floor(nowMs / 1000);
    const hit = verified.get(token);
    if (hit !== undefined) {
      const stale = stillCurrent(hit.claims, nowS, options.clockToleranceSeconds);
      return stale === undefined
        ? { ok: true, claims: hit.claims, kid: hit.kid }
        : { ok: false, reason: stale, kid: hit.kid };
    }
    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      header = decodeProtectedHeader(token);
    } catch {
      return { ok: false, reason: 'token_malformed' };
    }
    const kid = typeof header.kid === 'string' ? header.kid.slice(0, 128) : undefined;
    if (typeof header.alg !== 'string' || !algorithms.includes(header.alg as never)) {
      return { ok: false, reason: 'token_alg_not_allowed', kid };
    }
    // No JWS extension is understood here, so a token that marks any as critical is refused (RFC 7515 §4.1.11).
    if (header.crit !== undefined) return { ok: false, reason: 'token_crit_unsupported', kid };
    try {
      const { payload } = await jwtVerify(token, keys, { ...verifyOptions, currentDate: new Date(nowMs) });
      const early = stillCurrent(payload, nowS, options.clockToleranceSeconds);
      if (early !== undefined) return { ok: false, reason: early, kid };
      verified.set(token, { claims: payload, kid });
      return { ok: true, claims: payload, kid };
    } catch (error) {
      return { ok: false, reason: reasonOf(error), kid };
    }
  };
}
