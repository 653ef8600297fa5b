// The protected object the ways the edge serves it (docs/edge.md, "Behaviour"): refused without credentials, a
// bearer token to a 302 with a signed URL, a session cookie to a 302 with CloudFront cookies, then the bytes.
import { bearer, cdn, objectPath, send } from './context.ts';
import type { Seen, StepContext } from './context.ts';
import { cookieAttribute, describeBody, setCookies, sha256, statusOf } from './http.ts';
import type { Answer } from './http.ts';
import { sameObject, signedUrlFacts, tampered } from './location.ts';
import { fail, pass } from './recorder.ts';
import type { Verdict } from './recorder.ts';

export interface CookieGrant {
  /** A Cookie header with the CloudFront-* cookies only (never the session). */
  readonly header: string;
  /** Where the edge sent us back (the object, with its marker). */
  readonly next: string;
}

/** An object answer: 200 and, when another flow already fetched it, the same bytes. */
export function objectVerdict(answer: Answer, before: Seen | undefined): Verdict<Seen> {
  if (answer.status !== 200) return fail(statusOf(answer));
  const seen = { sha256: sha256(answer.bytes), bytes: answer.bytes.length };
  if (before === undefined) return pass(`200 ${describeBody(answer)}`, seen);
  if (before.sha256 !== seen.sha256) return fail(`200 ${describeBody(answer)}, other bytes than before`);
  return pass(`200 ${describeBody(answer)}, same bytes`, seen);
}

export function publicFile(ctx: StepContext): Promise<unknown> {
  return ctx.rec.step('public file', '200', async () => objectVerdict(await cdn(ctx, ctx.plan.publicPath), undefined));
}

export function anonymous(ctx: StepContext): Promise<unknown> {
  return ctx.rec.step('protected, no credentials', '401 token_missing', async () => {
    const answer = await cdn(ctx, objectPath(ctx.plan, ctx.plan.attraction));
    return answer.status === 401 && answer.reason === 'token_missing'
      ? pass(statusOf(answer), true)
      : fail(statusOf(answer));
  });
}

export function bearerRedirect(ctx: StepContext): Promise<string | undefined> {
  const path = objectPath(ctx.plan, ctx.plan.attraction);
  return ctx.rec.step('bearer → signed URL', '302 signed URL, same host', async () => {
    const answer = await cdn(ctx, path, { headers: bearer(ctx.plan) });
    const location = answer.headers.get('location');
    ctx.rec.secret(location ?? undefined);
    if (answer.status !== 302) return fail(statusOf(answer));
    const url = sameObject(ctx, location, path);
    if (typeof url === 'string') return fail(`302, ${url}`);
    const facts = signedUrlFacts(ctx, url);
    if (typeof facts === 'string') return fail(`302, ${facts}`);
    return pass(`302 signed URL, ${facts.summary}`, url.href);
  });
}

export function signedUrlBytes(ctx: StepContext, signedUrl: string): Promise<Seen | undefined> {
  return ctx.rec.step('signed URL → bytes', '200', async () => objectVerdict(await send(ctx, signedUrl), undefined));
}

export function tamperedSignedUrl(ctx: StepContext, signedUrl: string): Promise<unknown> {
  return ctx.rec.step('signed URL, one char changed', '403 cf_*', async () => {
    const url = tampered(signedUrl);
    if (url === undefined) return fail('no Signature to change');
    ctx.rec.secret(url);
    const answer = await send(ctx, url);
    const refused = answer.status === 403 && answer.reason?.startsWith('cf_') === true;
    return refused ? pass(statusOf(answer), true) : fail(statusOf(answer));
  });
}

/** The CloudFront-* cookies of a 302: each value a secret, their Path and lifetime reported. */
function cloudFrontCookies(ctx: StepContext, answer: Answer): string | { header: string; summary: string } {
  const cookies = setCookies(answer).filter((c) => c.name.startsWith('CloudFront-'));
  // The key pair id is public (it names the key); the policy and signature are the credential.
  ctx.rec.secret(...cookies.filter((c) => c.name !== 'CloudFront-Key-Pair-Id').map((c) => c.value));
  const names = new Set(cookies.map((c) => c.name));
  const complete =
    names.has('CloudFront-Signature') &&
    names.has('CloudFront-Key-Pair-Id') &&
    (names.has('CloudFront-Policy') || names.has('CloudFront-Expires'));
  if (!complete) return `${String(cookies.length)} CloudFront cookies, not a complete set`;
  const scope = `${ctx.plan.prefix}${ctx.plan.attraction}/`;
  if (!cookies.every((c) => cookieAttribute(c.line, 'path') === scope)) return `cookies not scoped to Path=${scope}`;
  const maxAge = cookieAttribute(cookies[0]?.line ?? '', 'max-age');
  const lifetime = maxAge !== undefined && /^[0-9]{1,9}$/.test(maxAge) ? `, ${maxAge} s` : '';
  const header = cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  return { header, summary: `${String(cookies.length)} cookies${lifetime}` };
}

export function sessionRedirect(ctx: StepContext): Promise<CookieGrant | undefined> {
  const path = objectPath(ctx.plan, ctx.plan.attraction);
  return ctx.rec.step('session → cookies', '302 back + CloudFront cookies', async () => {
    const answer = await cdn(ctx, path, { headers: { cookie: `${ctx.plan.sessionCookie}=${ctx.plan.token}` } });
    if (answer.status !== 302) return fail(statusOf(answer));
    const url = sameObject(ctx, answer.headers.get('location'), path);
    if (typeof url === 'string') return fail(`302, ${url}`);
    const cookies = cloudFrontCookies(ctx, answer);
    if (typeof cookies === 'string') return fail(`302, ${cookies}`);
    return pass(`302 + ${cookies.summary}`, { header: cookies.header, next: url.href });
  });
}

export function cookieBytes(ctx: StepContext, grant: CookieGrant, before: Seen | undefined): Promise<unknown> {
  return ctx.rec.step('cookies → bytes', '200, same bytes', async () =>
    objectVerdict(await send(ctx, grant.next, { headers: { cookie: grant.header } }), before),
  );
}
