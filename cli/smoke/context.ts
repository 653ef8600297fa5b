// What every smoke step works with: the plan, the recorder, and requests to the distribution or to a URL it
// handed out (a presigned S3 URL), each one hop with the plan's timeout.
import { exchange } from './http.ts';
import type { Answer } from './http.ts';
import type { Recorder } from './recorder.ts';
import type { SmokeDeps, SmokePlan } from './types.ts';

export interface StepContext {
  readonly plan: SmokePlan;
  readonly rec: Recorder;
  readonly deps: SmokeDeps;
}

/** A path (and query) on the distribution. */
export const cdn = (ctx: StepContext, path: string, init: RequestInit = {}): Promise<Answer> =>
  exchange(ctx.deps, ctx.plan.timeoutMs, `${ctx.plan.origin}${path}`, init);

/** An absolute URL: one the distribution or the origin API handed out. */
export const send = (ctx: StepContext, url: string, init: RequestInit = {}): Promise<Answer> =>
  exchange(ctx.deps, ctx.plan.timeoutMs, url, init);

export const objectPath = (plan: SmokePlan, attraction: string): string => `${plan.prefix}${attraction}/${plan.path}`;

export const bearer = (plan: SmokePlan): Record<string, string> => ({ authorization: `Bearer ${plan.token}` });

/** Seconds from now until `epochSeconds` (negative when past). */
export const secondsLeft = (ctx: StepContext, epochSeconds: number): number =>
  Math.round(epochSeconds - ctx.deps.nowMs() / 1000);

/** What an object looked like, to compare the bytes of two flows without keeping them. */
export interface Seen {
  readonly sha256: string;
  readonly bytes: number;
}
