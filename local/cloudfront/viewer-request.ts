// The code a behaviour runs on viewer request, behind one shape: a Lambda@Edge function (the built bundle from
// the template's asset) or a CloudFront Function (its code from the template). Either forwards a possibly changed
// request to the origin, answers itself, or fails as CloudFront would (502 invalid result, 503 error).
import type { CloudFrontRequest } from 'aws-lambda';
import { toViewerRequestEvent } from './event.ts';
import type { Distribution, ViewerRequest } from './event.ts';
import type { GeneratedResponse } from './rules.ts';
import { runViewerRequest } from './run-function.ts';
import type { ViewerRequestHandler } from './run-function.ts';

export type ViewerOutcome =
  | {
      readonly kind: 'request';
      readonly uri: string;
      readonly rawQuery: string;
      /** Header lines after the function, Cookie lines included. */
      readonly headers: readonly (readonly [string, string])[];
    }
  | { readonly kind: 'response'; readonly response: GeneratedResponse }
  /** 502: the result failed validation. */
  | { readonly kind: 'invalid'; readonly reason: string }
  /** 503: the function threw or ran out of time. */
  | { readonly kind: 'failed'; readonly reason: string };

export interface ViewerRequestRunner {
  /** For the log: `lambda@edge` or `cloudfront-function`. */
  readonly kind: string;
  run(viewer: ViewerRequest, distribution: Distribution, requestId: string): Promise<ViewerOutcome>;
}

function linesOf(request: CloudFrontRequest): [string, string][] {
  const lines: [string, string][] = [];
  for (const [name, entries] of Object.entries(request.headers)) {
    for (const entry of entries) lines.push([entry.key ?? name, entry.value]);
  }
  return lines;
}

export function lambdaEdgeRunner(handler: ViewerRequestHandler, timeoutMs?: number): ViewerRequestRunner {
  return {
    kind: 'lambda@edge',
    async run(viewer, distribution, requestId) {
      const outcome = await runViewerRequest(handler, toViewerRequestEvent(viewer, distribution, requestId), timeoutMs);
      if (outcome.kind !== 'request') return outcome;
      const { request } = outcome;
      return { kind: 'request', uri: request.uri, rawQuery: request.querystring, headers: linesOf(request) };
    },
  };
}
