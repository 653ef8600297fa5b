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

/** What a verified token earns for one attraction: the bounds of a grant, or why there is none. */
export type Earned =
  | {
      readonly ok: true;
      /** The ticket's end: epoch seconds, or null when it has none of its own. */
      readonly ticketEnd: number | null;
      /** The token's own `exp`, which no grant may outlive (no clock tolerance added). */
      readonly tokenExp: number;
    }
  | { readonly ok: false; readonly reason: 'no_ticket' | 'token_expired' };

/** The end of the token's current ticket for this attraction (null: none of its own), or undefined without one. */
export function currentTicket(result: Verified, path: ProtectedPath, attraction: string, nowS: number) {
  return readTickets(result.claims, path.ticketClaim, nowS).get(attraction);
}

/**
 * The current ticket for this attraction and the token's exp. A token accepted only thanks to the clock tolerance
 * (its exp already passed) earns nothing: `token_expired`. The verifier requires exp, so it is always a number here.
 */
export function earnedGrant(result: Verified, path: ProtectedPath, attraction: string, nowS: number): Earned {
  const ticketEnd = currentTicket(result, path, attraction, nowS);
  if (ticketEnd === undefined) return { ok: false, reason: 'no_ticket' };
  const exp = result.claims.exp;
  if (typeof exp !== 'number' || exp <= nowS) return { ok: false, reason: 'token_expired' };
  return { ok: true, ticketEnd, tokenExp: exp };
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
