// Fixtures for the local CloudFront Functions runtime tests: viewer requests built from a few fields, functions
// compiled from one line of code, and handlers that answer with what the sandbox can see.
import type { ViewerRequest } from '../../local/cloudfront/event.ts';
import { compileFunction, runFunction, toFunctionEvent } from '../../local/cloudfront/functions/index.ts';
import type { CompiledFunction, FunctionEvent, FunctionRun } from '../../local/cloudfront/functions/index.ts';

export const DISTRIBUTION = {
  distributionDomainName: 'd111111abcdef8.cloudfront.net',
  distributionId: 'EDFDVBD6EXAMPLE',
};
export const PASS_THROUGH = 'function handler(event) { return event.request; }';

export function viewer(input: {
  target?: string;
  method?: string;
  headers?: readonly (readonly [string, string])[];
  clientIp?: string;
}): ViewerRequest {
  const headers = input.headers ?? [['Host', 'cdn.example.test']];
  return {
    method: input.method ?? 'GET',
    target: input.target ?? '/',
    rawHeaders: headers.flatMap(([name, value]) => [name, value]),
    clientIp: input.clientIp ?? '198.51.100.11',
  };
}

export const eventOf = (request: ViewerRequest): FunctionEvent => toFunctionEvent(request, DISTRIBUTION, 'req-1');

export const compile = (code: string, name = 'test-function'): CompiledFunction =>
  compileFunction({ name, code, runtime: 'cloudfront-js-2.0' });

/** Compiles `code` and runs it once on a GET / (or the given viewer request). */
export function runOnce(code: string, request: ViewerRequest = viewer({}), nowMs?: number): FunctionRun {
  return runFunction(compile(code), eventOf(request), nowMs === undefined ? {} : { nowMs });
}

/** A handler whose generated response body is the string `expression` evaluates to inside the sandbox. */
export const answering = (expression: string): string =>
  `function handler(event) { return { statusCode: 200, body: String(${expression}) }; }`;

/** The body of a generated response, or the outcome itself when the run did not generate one. */
export function bodyOf(run: FunctionRun): string {
  if (run.outcome.kind !== 'response') return JSON.stringify(run.outcome);
  return run.outcome.response.body.toString('utf8');
}
