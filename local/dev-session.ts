// `GET /_dev/session` (local stack only, never deployed): who the session cookie says the viewer is, for the demo
// page, which cannot read the HttpOnly cookie. Trust boundary: the cookie comes from the viewer; it is verified
// against the local provider's published keys, issuer and audience, and only `{ sub, tickets, exp }` goes back.
import { createLocalJWKSet, jwtVerify } from 'jose';
import type { JWK } from 'jose';

export interface SessionProfile {
  readonly sub: string;
  readonly tickets: readonly string[];
  readonly exp: number;
}

export interface SessionReaderOptions {
  readonly issuer: string;
  readonly audience: string;
  /** The keys the provider publishes now (they rotate). */
  readonly jwks: () => { keys: JWK[] };
  readonly sessionCookieName: string;
  readonly ticketClaim: string;
  readonly nowMs: () => number;
}

/** The value of cookie `name` in a Cookie header, if present once or more (the first wins, as at the edge). */
function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

/** Ticket ids from `["42"]` or `[{ "attraction": "42" }]`; anything else is no ticket. */
function ticketIds(claim: unknown): string[] {
  if (!Array.isArray(claim)) return [];
  return claim.flatMap((t: unknown) => {
    const id = typeof t === 'object' && t !== null ? (t as { attraction?: unknown }).attraction : t;
    return typeof id === 'string' ? [id] : [];
  });
}

/** Reads a Cookie header: the verified profile, or undefined for no session or one that does not verify. */
export function sessionReader(
  options: SessionReaderOptions,
): (cookieHeader: string | undefined) => Promise<SessionProfile | undefined> {
  return async (cookieHeader) => {
    const token = cookieValue(cookieHeader, options.sessionCookieName);
    if (token === undefined || token === '') return undefined;
    try {
      const { payload } = await jwtVerify(token, createLocalJWKSet(options.jwks()), {
        issuer: options.issuer,
        audience: options.audience,
        currentDate: new Date(options.nowMs()),
      });
      if (typeof payload.sub !== 'string' || typeof payload.exp !== 'number') return undefined;
      return { sub: payload.sub, tickets: ticketIds(payload[options.ticketClaim]), exp: payload.exp };
    } catch {
      return undefined;
    }
  };
}
