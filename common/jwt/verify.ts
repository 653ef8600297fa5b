// Verifies app JWTs: jose verifies the JWS against each issuer's keys (key-ring.ts), claims.ts checks the claims; the
// one place where jose's errors become reason codes.
// Trust boundary: the token string is attacker-controlled; it is size-checked before any parsing and never logged.
import { compactVerify } from 'jose';
import type { JWTPayload } from 'jose';
import { Lru } from '../lru.ts';
import { audienceMatches, claimsFault, datesFault, jsonObjectOf } from './claims.ts';
import { createKeyRing } from './key-ring.ts';
import type { IssuerKeys, KeyRing } from './key-ring.ts';
import { KeyNotFoundError } from './keys.ts';
import type { IssuerOptions, JwtOptions } from './options.ts';

export type TokenReason =
  | 'token_missing'
  | 'token_too_large'
  | 'token_malformed'
  | 'token_alg_not_allowed'
  | 'token_unknown_kid'
  | 'token_jwks_unavailable'
  | 'token_bad_signature'
  | 'token_expired'
  | 'token_not_yet_valid'
  | 'token_missing_exp'
  | 'token_bad_issuer'
  | 'token_bad_audience'
  | 'token_bad_type'
  | 'token_crit_unsupported'
  | 'token_lifetime_too_long'
  | 'token_invalid';

export type TokenResult =
  | { readonly ok: true; readonly claims: JWTPayload; readonly kid: string | undefined }
  | { readonly ok: false; readonly reason: TokenReason; readonly kid?: string | undefined };

export type TokenVerifier = (token: string | undefined, nowMs: number) => Promise<TokenResult>;

/**
 * What a token is for. By default each issuer's own audience is required; a purpose with its own `audience` (link
 * tokens) requires that one instead, whatever the issuer's. `refuseAudience` keeps a token minted for that purpose
 * out of every other use even when it also names an accepted audience.
 */
export interface TokenPurpose {
  readonly audience?: string;
  readonly refuseAudience?: string;
  /** Requires `iat`, and `exp - iat` at most this (a token that travels in URLs must die soon). */
  readonly maxLifetimeSeconds?: number;
  readonly cacheEntries?: number;
}

interface Verified {
  readonly claims: JWTPayload;
  readonly kid: string | undefined;
  readonly toleranceSeconds: number;
}

const JWS_COMPACT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** jose's JWS error → reason code (the claims are checked by claims.ts). */
function reasonOf(error: unknown): TokenReason {
  if (error instanceof KeyNotFoundError) return error.reason;
  switch ((error as { code?: unknown }).code) {
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return 'token_bad_signature';
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
    case 'ERR_JOSE_NOT_SUPPORTED':
      return 'token_alg_not_allowed';
    case 'ERR_JWS_INVALID':
      return 'token_malformed';
    default:
      return 'token_invalid';
  }
}

/** Checks of a purpose on top of the issuer's: a refused audience, a lifetime cap. */
function purposeFault(claims: JWTPayload, purpose: TokenPurpose): TokenReason | undefined {
  if (purpose.refuseAudience !== undefined && audienceMatches(claims.aud, purpose.refuseAudience)) {
    return 'token_bad_audience';
  }
  const cap = purpose.maxLifetimeSeconds;
  if (cap === undefined) return undefined;
  const { iat, exp } = claims;
  if (typeof iat !== 'number' || typeof exp !== 'number' || exp - iat > cap) return 'token_lifetime_too_long';
  return undefined;
}

type Header = Readonly<Record<string, unknown>>;

/**
 * One part of a compact JWS (0: the protected header, 1: the payload) as a JSON object, or undefined. Unverified:
 * only to choose which issuer's keys and algorithms may verify the token; jose verifies it whole after that.
 */
const unverifiedPart = (token: string, index: 0 | 1): Header | undefined =>
  jsonObjectOf(Buffer.from(token.split('.')[index] ?? '', 'base64url'));

type VerifyOne = (token: string, nowMs: number, header: Header) => Promise<TokenResult>;

/** The verification for one issuer: its keys, algorithms, audience (or the purpose's) and typ. */
function issuerVerifier(entry: IssuerOptions, purpose: TokenPurpose, keys: IssuerKeys): VerifyOne {
  const algorithms = [...entry.algorithms];
  const audience = purpose.audience ?? entry.audience;
  const rules = { issuer: entry.issuer, audience, typ: entry.typ, clockToleranceSeconds: entry.clockToleranceSeconds };
  return async (token, nowMs, header) => {
    const kid = kidOf(header);
    if (token.length > entry.maxTokenBytes) return { ok: false, reason: 'token_too_large', kid };
    if (typeof header.alg !== 'string' || !algorithms.includes(header.alg as never)) {
      return { ok: false, reason: 'token_alg_not_allowed', kid };
    }
    // No JWS extension is understood here, so a token that marks any as critical is refused (RFC 7515 §4.1.11).
    if (header.crit !== undefined) return { ok: false, reason: 'token_crit_unsupported', kid };
    try {
      const key = (jwsHeader: Header) => keys(jwsHeader, nowMs);
      const { payload, protectedHeader } = await compactVerify(token, key, { algorithms });
      const claims = jsonObjectOf(payload) as JWTPayload | undefined;
      if (claims === undefined) return { ok: false, reason: 'token_malformed', kid };
      const fault =
        claimsFault(protectedHeader, claims, rules, Math.floor(nowMs / 1000)) ?? purposeFault(claims, purpose);
      return fault === undefined ? { ok: true, claims, kid } : { ok: false, reason: fault, kid };
    } catch (error) {
      return { ok: false, reason: reasonOf(error), kid };
    }
  };
}

const kidOf = (header: Header): string | undefined =>
  typeof header.kid === 'string' ? header.kid.slice(0, 128) : undefined;

/**
 * Builds a verifier over the configured issuers. A token is verified only by the entry of the issuer it names, so a
 * key of one issuer never vouches for another's tokens. Verified tokens are remembered in a bounded cache keyed by
 * the token itself, so a browser's repeated requests cost one signature check per token. `keys` is shared by the
 * verifiers of one deployable (createKeyRing, which needs a fetch when an issuer has `jwksUri`); by default the
 * baked keys are imported here.
 */
export function createTokenVerifier(
  options: JwtOptions,
  purpose: TokenPurpose = {},
  keys: KeyRing = createKeyRing(options),
): TokenVerifier {
  const byIssuer = new Map(
    options.issuers.map((entry) => {
      const issuerKeys = keys.get(entry.issuer);
      if (issuerKeys === undefined) throw new TypeError(`no keys for issuer ${entry.issuer}`);
      const verify = issuerVerifier(entry, purpose, issuerKeys);
      return [entry.issuer, { verify, toleranceSeconds: entry.clockToleranceSeconds }];
    }),
  );
  const maxTokenBytes = Math.max(...options.issuers.map((entry) => entry.maxTokenBytes));
  const verified = new Lru<string, Verified>(purpose.cacheEntries ?? 2048);

  return async (token, nowMs) => {
    if (token === undefined || token === '') return { ok: false, reason: 'token_missing' };
    if (token.length > maxTokenBytes) return { ok: false, reason: 'token_too_large' };
    if (!JWS_COMPACT.test(token)) return { ok: false, reason: 'token_malformed' };
    const hit = verified.get(token);
    if (hit !== undefined) {
      const stale = datesFault(hit.claims, Math.floor(nowMs / 1000), hit.toleranceSeconds);
      return stale === undefined
        ? { ok: true, claims: hit.claims, kid: hit.kid }
        : { ok: false, reason: stale, kid: hit.kid };
    }
    const header = unverifiedPart(token, 0);
    if (header === undefined) return { ok: false, reason: 'token_malformed' };
    // The unverified `iss`, only to pick which issuer's keys may verify the token.
    const iss = unverifiedPart(token, 1)?.['iss'];
    const entry = typeof iss === 'string' ? byIssuer.get(iss) : undefined;
    if (entry === undefined) return { ok: false, reason: 'token_bad_issuer', kid: kidOf(header) };
    const result = await entry.verify(token, nowMs, header);
    if (result.ok)
      verified.set(token, { claims: result.claims, kid: result.kid, toleranceSeconds: entry.toleranceSeconds });
    return result;
  };
}
