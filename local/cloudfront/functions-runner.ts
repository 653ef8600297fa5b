// A CloudFront Function from the template as a behaviour's viewer-request runner: compiled once, run per request
// in the cloudfront-js-2.0 sandbox, its time logged with every run and flagged above CloudFront's ~1 ms budget.
import { compileFunction, exceedsComputeBudget, runFunction, toFunctionEvent } from './functions/index.ts';
import { splitTarget } from './event.ts';
import type { ViewerRequestRunner } from './viewer-request.ts';

export function cloudFrontFunctionRunner(
  code: { readonly name: string; readonly code: string; readonly runtime: string },
  log: (line: string) => void,
): ViewerRequestRunner {
  const compiled = compileFunction({ name: code.name, code: code.code, runtime: code.runtime });
  return {
    kind: 'cloudfront-function',
    run(viewer, distribution, requestId) {
      const event = toFunctionEvent(viewer, distribution, requestId);
      // An unchanged query goes to the origin exactly as the viewer sent it.
      const { querystring: receivedQuerystring } = splitTarget(viewer.target);
      const run = runFunction(compiled, event, { receivedQuerystring });
      const micros = Math.round(run.elapsedMicros);
      const budget = exceedsComputeBudget(run.elapsedMicros) ? ' OVER the ~1 ms CloudFront budget' : '';
      const stalls = run.hostStalls === 0 ? '' : ` (run again after ${String(run.hostStalls)} host stall(s))`;
      log(`cloudfront-function ${code.name} ran in ${String(micros)} µs${budget}${stalls}`);
      const { outcome } = run;
      if (outcome.kind !== 'request') return Promise.resolve(outcome);
      const { uri, querystring, headers } = outcome.request;
      return Promise.resolve({ kind: 'request', uri, rawQuery: querystring, headers });
    },
  };
}
