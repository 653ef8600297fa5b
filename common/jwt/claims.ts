// The claims checks (RFC 7519 §4.1) of a token whose JWS jose has verified: issuer, audience, `typ`, and the dates.
// They were jose's jwtVerify; they are ours since jose's compactVerify verifies the JWS without its claims builder and
// duration parser (3.3 KB of the edge's 64 KiB budget: docs/edge.md, "Bundle"). The rules and their order are
// jose's, so that one token with several faults gets the same reason; jose's jwtVerify stays the oracle
// (test/common/jwt/claims.test.ts compares both on generated claim sets).
import type { TokenReason } from './verify.ts';

export interface ClaimRules {
  readonly issuer: string;
  /** `null` skips the audience check (explicit opt-out). */
  readonly audience: string | readonly string[] | null;
  readonly typ: string | null;
  readonly clockToleranceSeconds: number;
}

export type Claims = Readonly<Record<string, unknown>>;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A JWS part (the header or the claims) as a JSON object (RFC 7519 §7.2 steps 4 and 10), or undefined: not UTF-8,
 * not JSON, or not an object.
 */
export function jsonObjectOf(bytes: Uint8Array): Claims | undefined {
  try {
    const value: unknown = JSON.parse(utf8.decode(bytes));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Claims) : undefined;
  } catch {
    return undefined;
  }
}

/** `typ` is a media type whose `application/` prefix may be left out (RFC 7515 §4.1.9); compared case-insensitively. */
function mediaType(typ: string): string {
  const lower = typ.toLowerCase();
  return lower.includes('/') ? lower : `application/${lower}`;
}

/** `aud` names at least one accepted audience (RFC 7519 §4.1.3: a string or an array of strings). */
export function audienceMatches(aud: unknown, accepted: string | readonly string[]): boolean {
  const wanted: readonly unknown[] = typeof accepted === 'string' ? [accepted] : accepted;
  if (typeof aud === 'string') return wanted.includes(aud);
  return Array.isArray(aud) && wanted.some((name) => aud.includes(name));
}

/** A NumericDate claim is a JSON number when present (RFC 7519 §2). */
const badDate = (value: unknown): boolean => value !== undefined && typeof value !== 'number';

/**
 * The dates, with the tolerance either way: `nbf` and `iat` not in the future, `exp` not past. Checked on every use
 * of a verified token, since a cached one outlives seconds. jose checks `iat` only against a maximum age, so a token
 * issued in the future was accepted by jwtVerify; it is not valid yet here.
 */
export function datesFault(claims: Claims, nowS: number, toleranceS: number): TokenReason | undefined {
  const { iat, nbf, exp } = claims;
  if (badDate(iat) || badDate(nbf)) return 'token_invalid';
  if (typeof nbf === 'number' && nbf > nowS + toleranceS) return 'token_not_yet_valid';
  if (badDate(exp)) return 'token_invalid';
  if (typeof exp === 'number' && exp <= nowS - toleranceS) return 'token_expired';
  if (typeof iat === 'number' && iat > nowS + toleranceS) return 'token_not_yet_valid';
  return undefined;
}

/** The first fault of a verified token's header and claims, in jose's order, or undefined. `exp` is required. */
export function claimsFault(
  header: Readonly<Record<string, unknown>>,
  claims: Claims,
  rules: ClaimRules,
  nowS: number,
): TokenReason | undefined {
  const { typ, issuer, audience } = rules;
  if (typ !== null && (typeof header['typ'] !== 'string' || mediaType(header['typ']) !== mediaType(typ))) {
    return 'token_bad_type';
  }
  // Presence first (jose: iss, aud, then the required exp), then values.
  if (!Object.hasOwn(claims, 'iss')) return 'token_bad_issuer';
  if (audience !== null && !Object.hasOwn(claims, 'aud')) return 'token_bad_audience';
  if (!Object.hasOwn(claims, 'exp')) return 'token_missing_exp';
  if (claims['iss'] !== issuer) return 'token_bad_issuer';
  if (audience !== null && !audienceMatches(claims['aud'], audience)) return 'token_bad_audience';
  return datesFault(claims, nowS, rules.clockToleranceSeconds);
}
