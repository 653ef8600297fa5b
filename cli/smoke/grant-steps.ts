// The /_edgepass/ endpoints and the attraction boundary: a grant's cookies serve the object, another attraction is
// refused to the token (no ticket) and to the first attraction's cookies (their policy does not cover it), and
// sign-out expires the session and the attraction's cookies (docs/edge.md, "Endpoints").
import { objectVerdict } from './access-steps.ts';
import { bearer, cdn, objectPath, secondsLeft } from './context.ts';
import type { Seen, StepContext } from './context.ts';
import { cookieAttribute, setCookies, statusOf } from './http.ts';
import { fail, pass } from './recorder.ts';

interface GrantBody {
  readonly cookies?: unknown;
  readonly path?: unknown;
  readonly expiresEpochSeconds?: unknown;
}

const isCookie = (value: unknown): value is { name: string; value: string } =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { name?: unknown }).name === 'string' &&
  typeof (value as { value?: unknown }).value === 'string';

/** `GET /_edgepass/grant?attraction=…` with the bearer token: the cookies as a Cookie header. */
export function grant(ctx: StepContext): Promise<string | undefined> {
  const { plan } = ctx;
  const query = new URLSearchParams({ attraction: plan.attraction, prefix: plan.prefix });
  return ctx.rec.step('grant → cookies', '200 cookies_granted', async () => {
    const answer = await cdn(ctx, `/_edgepass/grant?${query.toString()}`, { headers: bearer(plan) });
    if (answer.status !== 200 || answer.reason !== 'cookies_granted') return fail(statusOf(answer));
    const body = JSON.parse(Buffer.from(answer.bytes).toString('utf8')) as GrantBody;
    const cookies = Array.isArray(body.cookies) ? body.cookies.filter(isCookie) : [];
    ctx.rec.secret(...cookies.filter((c) => c.name !== 'CloudFront-Key-Pair-Id').map((c) => c.value));
    if (!cookies.some((c) => c.name === 'CloudFront-Signature')) return fail('200, no CloudFront-Signature cookie');
    if (body.path !== `${plan.prefix}${plan.attraction}/`) return fail('200, cookies for another path');
    const exp = typeof body.expiresEpochSeconds === 'number' ? secondsLeft(ctx, body.expiresEpochSeconds) : NaN;
    const summary = `${String(cookies.length)} cookies, ${String(exp)} s`;
    return pass(`200 cookies_granted, ${summary}`, cookies.map((c) => `${c.name}=${c.value}`).join('; '));
  });
}

export function grantBytes(ctx: StepContext, cookie: string, before: Seen | undefined): Promise<unknown> {
  const path = objectPath(ctx.plan, ctx.plan.attraction);
  return ctx.rec.step('grant cookies → bytes', '200, same bytes', async () =>
    objectVerdict(await cdn(ctx, path, { headers: { cookie } }), before),
  );
}

export function otherWithToken(ctx: StepContext, other: string): Promise<unknown> {
  return ctx.rec.step('other attraction, bearer', '403 no_ticket', async () => {
    const answer = await cdn(ctx, objectPath(ctx.plan, other), { headers: bearer(ctx.plan) });
    if (answer.status === 403 && answer.reason === 'no_ticket') return pass(statusOf(answer), true);
    return fail(answer.status === 302 ? '302: the token has a ticket for it' : statusOf(answer));
  });
}

export function otherWithCookies(ctx: StepContext, other: string, cookie: string): Promise<unknown> {
  return ctx.rec.step('other attraction, cookies', 'refused (401 or 403)', async () => {
    const answer = await cdn(ctx, objectPath(ctx.plan, other), { headers: { cookie } });
    return answer.status === 401 || answer.status === 403 ? pass(statusOf(answer), true) : fail(statusOf(answer));
  });
}

/** `POST /_edgepass/sign-out` with the session: 200, the session cookie and the attraction's cookies expired. */
export function signOut(ctx: StepContext): Promise<unknown> {
  const { plan } = ctx;
  const scope = `${plan.prefix}${plan.attraction}/`;
  return ctx.rec.step('sign-out', '200 signed_out, cookies cleared', async () => {
    // Naming the attraction clears its cookies even when the token's tickets do not list it.
    const query = new URLSearchParams({ attraction: plan.attraction });
    const answer = await cdn(ctx, `/_edgepass/sign-out?${query.toString()}`, {
      method: 'POST',
      headers: { cookie: `${plan.sessionCookie}=${plan.token}` },
    });
    if (answer.status !== 200 || answer.reason !== 'signed_out') return fail(statusOf(answer));
    const cleared = setCookies(answer).filter((c) => c.value === '' && cookieAttribute(c.line, 'max-age') === '0');
    const clears = (name: string, path: string) =>
      cleared.some((c) => c.name === name && cookieAttribute(c.line, 'path') === path);
    if (!clears(plan.sessionCookie, '/')) return fail(`200 signed_out, the ${plan.sessionCookie} cookie is kept`);
    if (!clears('CloudFront-Signature', scope)) return fail(`200 signed_out, cookies at ${scope} are kept`);
    return pass(`200 signed_out, ${String(cleared.length)} cookies cleared`, true);
  });
}
