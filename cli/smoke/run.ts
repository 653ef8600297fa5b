// The smoke test's order of steps over an injected fetch: each step one row; a step that needs what an earlier one
// produced (a signed URL, cookies, an upload grant) is skipped, with the reason, when that one failed.
import {
  anonymous,
  bearerRedirect,
  cookieBytes,
  publicFile,
  sessionRedirect,
  signedUrlBytes,
  tamperedSignedUrl,
} from './access-steps.ts';
import type { StepContext } from './context.ts';
import { grant, grantBytes, otherWithCookies, otherWithToken, signOut } from './grant-steps.ts';
import { Recorder } from './recorder.ts';
import type { SmokeDeps, SmokePlan, SmokeReport } from './types.ts';
import { uploadRoundTrip } from './upload-steps.ts';

async function protectedObject(ctx: StepContext): Promise<string | undefined> {
  const { rec } = ctx;
  const signedUrl = await bearerRedirect(ctx);
  const seen = signedUrl === undefined ? undefined : await signedUrlBytes(ctx, signedUrl);
  if (signedUrl === undefined) {
    rec.skip('signed URL → bytes', '200', 'no signed URL');
    rec.skip('signed URL, one char changed', '403 cf_*', 'no signed URL');
  } else await tamperedSignedUrl(ctx, signedUrl);
  const session = await sessionRedirect(ctx);
  if (session === undefined) rec.skip('cookies → bytes', '200, same bytes', 'no cookies');
  else await cookieBytes(ctx, session, seen);
  const granted = await grant(ctx);
  if (granted === undefined) rec.skip('grant cookies → bytes', '200, same bytes', 'no cookies');
  else await grantBytes(ctx, granted, seen);
  return session?.header ?? granted;
}

async function otherAttraction(ctx: StepContext, cookies: string | undefined): Promise<void> {
  const other = ctx.plan.otherAttraction;
  if (other === undefined) {
    ctx.rec.skip('other attraction, bearer', '403 no_ticket', 'no --other-attraction');
    ctx.rec.skip('other attraction, cookies', 'refused (401 or 403)', 'no --other-attraction');
    return;
  }
  await otherWithToken(ctx, other);
  if (cookies === undefined) ctx.rec.skip('other attraction, cookies', 'refused (401 or 403)', 'no cookies');
  else await otherWithCookies(ctx, other, cookies);
}

export async function runSmoke(plan: SmokePlan, deps: SmokeDeps): Promise<SmokeReport> {
  const rec = new Recorder(deps);
  rec.secret(plan.token);
  const ctx: StepContext = { plan, rec, deps };
  await publicFile(ctx);
  await anonymous(ctx);
  const cookies = await protectedObject(ctx);
  await otherAttraction(ctx, cookies);
  if (plan.upload === undefined) rec.skip('upload round trip', 'up, back, deleted', 'no --upload-purpose');
  else await uploadRoundTrip(ctx, plan.upload);
  await signOut(ctx);
  const rows = rec.rows();
  return { ok: rows.every((row) => row.result !== 'FAIL'), rows };
}
