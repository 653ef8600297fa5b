// An app's bearer token checked against one attraction (shared by the signed-URL flow and /_edgepass/grant):
// 401 with an RFC 6750 challenge for a bad token, 403 insufficient_scope without a current ticket.
import type { ProtectedPath } from '../config-paths.ts';
import { deny, header } from './context.ts';
import type { Context } from './context.ts';
import { bearerChallenge, bearerToken, grantableUntil, ticketEnd, tokenLog } from './token.ts';
import type { Verified } from './token.ts';
import type { Decision } from './types.ts';

export type BearerTicket =
  | { readonly ok: true; readonly token: Verified; readonly end: number | null; readonly tokenExp: number }
  | { readonly ok: false; readonly decision: Decision };

export async function bearerTicket(ctx: Context, path: ProtectedPath, attraction: string): Promise<BearerTicket> {
  const token = await ctx.rt.verifyToken(bearerToken(header(ctx.req, 'authorization')), ctx.req.nowMs);
  if (!token.ok) {
    const challenge = { 'www-authenticate': [bearerChallenge(token.reason)] };
    return { ok: false, decision: deny(ctx, tokenLog(token, token.reason), challenge) };
  }
  const end = ticketEnd(token, path, attraction, ctx.nowS);
  if (end === undefined) {
    const challenge = { 'www-authenticate': [bearerChallenge('no_ticket')] };
    return { ok: false, decision: deny(ctx, tokenLog(token, 'no_ticket'), challenge) };
  }
  const tokenExp = grantableUntil(token, ctx.nowS);
  if (tokenExp === undefined) {
    const challenge = { 'www-authenticate': [bearerChallenge('token_expired')] };
    return { ok: false, decision: deny(ctx, tokenLog(token, 'token_expired'), challenge) };
  }
  return { ok: true, token, end, tokenExp };
}
