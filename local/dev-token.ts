// Mints JWTs for the dev identity provider: a chosen user and ticket list, signed with the dev key from the
// git-ignored state folder. Dev only; input comes from the local demo page and is checked before signing.
import type { KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';

export interface DevIdentity {
  readonly privateKey: KeyObject;
  readonly kid: string;
  readonly issuer: string;
  readonly audience: string;
  /** Every ticket claim the protected paths read (each gets the same list). */
  readonly ticketClaims: readonly string[];
}

export interface TokenRequest {
  readonly user: string;
  readonly tickets: readonly string[];
  readonly ttlSeconds: number;
}

const USER = /^[A-Za-z0-9_.@+-]{1,64}$/;
const TICKET = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_TICKETS = 32;
export const MAX_TTL_SECONDS = 86_400;

/** Reads `{ user, tickets, ttlSeconds? }` (tickets as a list or comma-separated); a problem string otherwise. */
export function readTokenRequest(raw: Record<string, unknown>): TokenRequest | string {
  const { user, tickets, ttlSeconds } = raw;
  if (typeof user !== 'string' || !USER.test(user)) return 'user must be 1-64 letters, digits or _ . @ + -';
  const list = typeof tickets === 'string' ? tickets.split(',') : tickets;
  if (!Array.isArray(list)) return 'tickets must be a list of attraction ids';
  const ids = list.map((t) => (typeof t === 'string' ? t.trim() : '')).filter((t) => t !== '');
  if (ids.length > MAX_TICKETS || !ids.every((id) => TICKET.test(id))) {
    return `tickets must be at most ${MAX_TICKETS} ids of letters, digits, _ or -`;
  }
  const ttl = ttlSeconds === undefined || ttlSeconds === '' ? 3600 : Number(ttlSeconds);
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > MAX_TTL_SECONDS) return `ttlSeconds must be 1-${MAX_TTL_SECONDS}`;
  return { user, tickets: [...new Set(ids)], ttlSeconds: ttl };
}

/** ES256 or RS256 by key type: the dev config allows what ensureDevState generated. */
function algorithmOf(key: KeyObject): string {
  return key.asymmetricKeyType === 'ec' ? 'ES256' : 'RS256';
}

export async function issueToken(identity: DevIdentity, request: TokenRequest, nowMs: number): Promise<string> {
  const nowS = Math.floor(nowMs / 1000);
  const claims = Object.fromEntries(identity.ticketClaims.map((name) => [name, request.tickets]));
  return new SignJWT(claims)
    .setProtectedHeader({ alg: algorithmOf(identity.privateKey), kid: identity.kid, typ: 'JWT' })
    .setSubject(request.user)
    .setIssuer(identity.issuer)
    .setAudience(identity.audience)
    .setIssuedAt(nowS)
    .setExpirationTime(nowS + request.ttlSeconds)
    .sign(identity.privateKey);
}
