// What a verified app token grants: the current ticket for one attraction, and the log fields it may reveal
// (kid and issuer only; the token itself is never logged).
import { readTickets } from '../../common/jwt/index.ts';
import type { TokenResult } from '../../common/jwt/index.ts';
import type { ProtectedPath } from '../config-paths.ts';
import type { DecisionLog } from './types.ts';

export type Verified = Extract<TokenResult, { ok: true }>;

export function tokenLog(result: TokenResult, reason: string): DecisionLog {
  const iss = result.ok && typeof result.claims.iss === 'string' ? result.claims.iss.slice(0, 256) : undefined;
  return { reason, kid: result.kid, iss };
}

/** End of the current ticket for this attraction: epoch seconds, null (no end of its own) or undefined (none). */
export function ticketEnd(
  result: Verified,
  path: ProtectedPath,
  attraction: string,
  nowS: number,
): number | null | undefined {
  return readTickets(result.claims, path.ticketClaim, nowS).get(attraction);
}

/**
 * The token's own `exp`, which no grant may outlive (no clock tolerance added), or undefined when it has already
 * passed: a token accepted only thanks to the tolerance earns nothing (`token_expired`).
 */
export function grantableUntil(result: Verified, nowS: number): number | undefined {
  const exp = result.claims.exp;
  // The verifier requires exp; a token without one would be refused before reaching here.
  if (typeof exp !== 'number') return undefined;
  return exp > nowS ? exp : undefined;
}

/** The token of an `Authorization: Bearer …` header (RFC 6750 §2.1), or undefined for any other form. */
export function bearerToken(authorization: string | undefined): string | undefined {
  return authorization === undefined ? undefined : /^Bearer +([^ ]+) *$/i.exec(authorization)?.[1];
}

/** RFC 6750 §3: no error code when no token was sent at all. Reason codes are ours, never viewer text. */
export function bearerChallenge(reason: string): string {
  if (reason === 'token_missing') return 'Bearer realm="edgepass"';
  if (reason === 'no_ticket') return 'Bearer realm="edgepass", error="insufficient_scope"';
  return `Bearer realm="edgepass", error="invalid_token", error_description="${reason}"`;
}
