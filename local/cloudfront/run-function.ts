// Runs the viewer-request function with Lambda@Edge's time limit and validates its result (local emulator).
// The function is the built edge bundle (trusted code); what it returns is checked as CloudFront would.
import type { CloudFrontRequestEvent } from 'aws-lambda';
import { checkFunctionResult } from './rules.ts';
import type { FunctionOutcome } from './rules.ts';

export type ViewerRequestHandler = (event: CloudFrontRequestEvent) => Promise<unknown>;

/** Viewer-request functions time out after 5 s (Developer Guide, "Quotas on Lambda@Edge"). */
export const FUNCTION_TIMEOUT_MS = 5_000;

/**
 * A thrown error is a function execution error and a timeout is a Lambda limit exceeded error: CloudFront answers
 * both with 503 (Developer Guide, "HTTP 503 status code (Service Unavailable)"). Invalid results are 502.
 */
export type RunOutcome = FunctionOutcome | { readonly kind: 'failed'; readonly reason: string };

export async function runViewerRequest(
  handler: ViewerRequestHandler,
  event: CloudFrontRequestEvent,
  timeoutMs: number = FUNCTION_TIMEOUT_MS,
): Promise<RunOutcome> {
  const original = event.Records[0]?.cf.request;
  if (original === undefined) throw new TypeError('the event has no request record');
  // The function gets its own copy, so the read-only checks compare against what the viewer really sent.
  const copy = structuredClone(event);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<RunOutcome>((resolve) => {
    timer = setTimeout(() => {
      resolve({ kind: 'failed', reason: `the function ran longer than ${timeoutMs} ms` });
    }, timeoutMs);
  });
  const run = handler(copy).then(
    (result): RunOutcome => checkFunctionResult(original, result),
    (): RunOutcome => ({ kind: 'failed', reason: 'the function threw an error' }),
  );
  try {
    return await Promise.race([run, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
