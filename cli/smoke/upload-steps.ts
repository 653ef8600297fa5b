// The upload round trip through the origin API (docs/origin-api.md): POST /api/uploads with the payload hash that
// CloudFront's OAC for the function URL requires, the bytes to the presigned URL, GET /api/files/{key} as JSON and
// its presigned GET, then DELETE (cleanup) and a 404. Presigned URLs, their fields and the key are never printed.
import { createHash } from 'node:crypto';
import { bearer, cdn, secondsLeft, send } from './context.ts';
import type { StepContext } from './context.ts';
import { objectVerdict } from './access-steps.ts';
import { sha256, statusOf } from './http.ts';
import type { Answer } from './http.ts';
import { fail, pass } from './recorder.ts';
import type { UploadPlan } from './types.ts';

interface UploadGrant {
  readonly method: 'PUT' | 'POST';
  readonly url: string;
  readonly key: string;
  readonly headers: Record<string, string>;
  readonly fields: Record<string, string>;
}

/** POST form fields that sign or authorise (SigV4 for browser-based uploads); the others (key, type) are plain. */
const SIGNING_FIELD = /policy|signature|credential|token/i;

const strings = (value: unknown): Record<string, string> =>
  typeof value === 'object' && value !== null
    ? Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'))
    : {};

const json = (answer: Answer): Record<string, unknown> =>
  JSON.parse(Buffer.from(answer.bytes).toString('utf8')) as Record<string, unknown>;

const lifetime = (ctx: StepContext, iso: unknown): string => {
  const ms = typeof iso === 'string' ? Date.parse(iso) : NaN;
  return Number.isNaN(ms) ? 'no expiresAt' : `${String(secondsLeft(ctx, ms / 1000))} s`;
};

/** A presigned URL may be plain http only when the distribution itself is (the local stack). */
const schemeOk = (ctx: StepContext, url: string): boolean =>
  url.startsWith('https://') || (ctx.plan.origin.startsWith('http://') && url.startsWith('http://'));

function request(ctx: StepContext, upload: UploadPlan): Promise<UploadGrant | undefined> {
  return ctx.rec.step('upload: request', `201 presigned ${upload.method}`, async () => {
    const body = JSON.stringify({
      purpose: upload.purpose,
      contentType: upload.contentType,
      filename: upload.filename,
      ...(upload.method === 'PUT' ? { contentLength: upload.body.length } : { method: 'POST' }),
    });
    const headers = {
      ...bearer(ctx.plan),
      'content-type': 'application/json',
      'x-amz-content-sha256': createHash('sha256').update(body).digest('hex'),
    };
    const answer = await cdn(ctx, '/api/uploads', { method: 'POST', headers, body });
    if (answer.status !== 201) return fail(statusOf(answer));
    const grant = json(answer);
    const { url, key } = grant;
    const fields = strings(grant['fields']);
    const signing = Object.entries(fields).filter(([name]) => SIGNING_FIELD.test(name));
    ctx.rec.secret(typeof url === 'string' ? url : undefined, ...signing.map(([, value]) => value));
    if (typeof url !== 'string' || typeof key !== 'string' || grant['method'] !== upload.method) {
      return fail('201, not an upload grant');
    }
    if (!schemeOk(ctx, url)) return fail('201, the presigned URL is not https');
    const value = { method: upload.method, url, key, headers: strings(grant['headers']), fields };
    return pass(`201 presigned ${upload.method}, ${lifetime(ctx, grant['expiresAt'])}`, value);
  });
}

/** S3 answers a PUT with 200 and a form POST with 204 (its default success_action_status). */
const sentStatus = (method: 'PUT' | 'POST'): string => (method === 'PUT' ? '200 from S3' : '204 from S3');

function sendBytes(ctx: StepContext, upload: UploadPlan, grant: UploadGrant): Promise<unknown> {
  return ctx.rec.step('upload: send bytes', sentStatus(grant.method), async () => {
    let answer: Answer;
    if (grant.method === 'PUT') {
      answer = await send(ctx, grant.url, { method: 'PUT', headers: grant.headers, body: upload.body });
    } else {
      const form = new FormData();
      for (const [name, value] of Object.entries(grant.fields)) form.append(name, value);
      form.append('file', new Blob([upload.body], { type: upload.contentType }), upload.filename);
      answer = await send(ctx, grant.url, { method: 'POST', body: form });
    }
    return answer.status >= 200 && answer.status < 300
      ? pass(`${statusOf(answer)}, ${String(upload.body.length)} B`, true)
      : fail(statusOf(answer));
  });
}

const LATER_STEPS = [
  ['upload: presigned GET', '200 { url }'],
  ['upload: bytes back', '200, same bytes'],
  ['upload: delete', '204'],
  ['upload: gone', '404 not_found'],
] as const;

const fileUrl = (grant: UploadGrant) => `/api/files/${encodeURIComponent(grant.key)}`;
const asJson = (ctx: StepContext) => ({ ...bearer(ctx.plan), accept: 'application/json' });

function readBack(ctx: StepContext, grant: UploadGrant): Promise<string | undefined> {
  return ctx.rec.step('upload: presigned GET', '200 { url }', async () => {
    const answer = await cdn(ctx, fileUrl(grant), { headers: asJson(ctx) });
    if (answer.status !== 200) return fail(statusOf(answer));
    const { url, expiresAt } = json(answer);
    if (typeof url !== 'string') return fail('200, no url');
    ctx.rec.secret(url);
    if (!schemeOk(ctx, url)) return fail('200, the presigned URL is not https');
    return pass(`200 presigned GET, ${lifetime(ctx, expiresAt)}`, url);
  });
}

export async function uploadRoundTrip(ctx: StepContext, upload: UploadPlan): Promise<void> {
  const { rec } = ctx;
  const grant = await request(ctx, upload);
  if (grant === undefined) rec.skip('upload: send bytes', sentStatus(upload.method), 'no upload grant');
  const sent = grant === undefined ? undefined : await sendBytes(ctx, upload, grant);
  if (grant === undefined || sent === undefined) {
    const why = grant === undefined ? 'no upload grant' : 'nothing uploaded';
    for (const [step, expected] of LATER_STEPS) rec.skip(step, expected, why);
    return;
  }
  const url = await readBack(ctx, grant);
  if (url === undefined) rec.skip('upload: bytes back', '200, same bytes', 'no presigned GET');
  else {
    const uploaded = { sha256: sha256(upload.body), bytes: upload.body.length };
    await rec.step('upload: bytes back', '200, same bytes', async () => objectVerdict(await send(ctx, url), uploaded));
  }
  // Cleanup runs whatever the read-back said: the object exists.
  const deleted = await rec.step('upload: delete', '204', async () => {
    const answer = await cdn(ctx, fileUrl(grant), { method: 'DELETE', headers: bearer(ctx.plan) });
    return answer.status === 204 ? pass('204', true) : fail(statusOf(answer));
  });
  if (deleted === undefined) rec.skip('upload: gone', '404 not_found', 'not deleted');
  else {
    await rec.step('upload: gone', '404 not_found', async () => {
      const answer = await cdn(ctx, fileUrl(grant), { headers: asJson(ctx) });
      return answer.status === 404 && answer.reason === 'not_found'
        ? pass(statusOf(answer), true)
        : fail(statusOf(answer));
    });
  }
}
