// An app's bearer token checked against one attraction (shared by the signed-URL flow and /_edgepass/grant):
// 401 with an RFC 6750 challenge for a bad token, 403 insufficient_scope without a current ticket.
import type { ProtectedPath } from '../config-paths.ts';
import { deny, header } from './context.ts';
import type { Context } from './context.ts';
import { bearerChallenge, bearerToken, earnedGrant, tokenLog } from './token.ts';
import type { Earned, Verified } from './token.ts';
import type { Decision } from './types.ts';

export type BearerTicket =
  | { readonly ok: true; readonly token: Verified; readonly earned: Extract<Earned, { ok: true }> }
  | { readonly ok: false; readonly decision: Decision };

export async function bearerTicket(ctx: Context, path: ProtectedPath, attraction: string): Promise<BearerTicket> {
  const token = await ctx.rt.verifyToken(bearerToken(header(ctx.req, 'authorization')), ctx.req.nowMs);
  if (!token.ok) {
    // 503 when the issuer's keys were out of reach: nothing is known against the token, so no invalid_token challenge.
    const unknown = token.reason === 'token_jwks_unavailable';
    const challenge = unknown ? {} : { 'www-authenticate': [bearerChallenge(token.reason)] };
    return { ok: false, decision: deny(ctx, tokenLog(token, token.reason), challenge) };
  }
  const earned = earnedGrant(token, path, attraction, ctx.nowS);
  if (!earned.ok) {
    const challenge = { 'www-authenticate': [bearerChallenge(earned.reason)] };
    return { ok: false, decision: deny(ctx, tokenLog(token, earned.reason), challenge) };
  }
  return { ok: true, token, earned };
}
