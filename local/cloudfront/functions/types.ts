// The CloudFront Functions event and the outcomes of a run, as the local runtime builds and reports them (Developer
// Guide, "CloudFront Functions event structure"). Viewer values stay raw strings: nothing is decoded on the way in.
import type { GeneratedResponse } from '../rules.ts';

/** A query parameter, header or cookie: `value` is the first one; `multiValue` lists them all when the name repeats. */
export interface FunctionField {
  readonly value: string;
  readonly multiValue?: readonly { readonly value: string }[];
}

export type FunctionFields = Readonly<Record<string, FunctionField>>;

export interface FunctionRequest {
  /** Read-only: a returned request with another method fails validation. */
  readonly method: string;
  readonly uri: string;
  /** Parsed from the raw query string; names and values stay percent-encoded. */
  readonly querystring: FunctionFields;
  /** Lower-case names; the viewer's Cookie header is not here but in `cookies`. */
  readonly headers: FunctionFields;
  readonly cookies: FunctionFields;
}

export interface FunctionEvent {
  readonly version: '1.0';
  readonly context: {
    readonly distributionDomainName: string;
    readonly distributionId: string;
    readonly eventType: 'viewer-request';
    readonly requestId: string;
  };
  readonly viewer: { readonly ip: string };
  readonly request: FunctionRequest;
}

/** What goes on to the origin when the function returns a request. */
export interface OriginRequest {
  readonly method: string;
  readonly uri: string;
  /** Without the leading `?`; '' when there is none. */
  readonly querystring: string;
  /** One entry per header line, names capitalised as CloudFront writes them, the rebuilt Cookie header included. */
  readonly headers: readonly (readonly [string, string])[];
}

/**
 * `invalid`: the result failed CloudFront's validation (502). `failed`: an execution error, such as a throw, or the
 * local wall-clock guard standing in for CloudFront's limit (503) (Developer Guide, "HTTP 502 status code": CloudFront
 * function validation error; "HTTP 503 status code": execution error). Reasons name fields, never viewer values.
 */
export type FunctionOutcome =
  | { readonly kind: 'request'; readonly request: OriginRequest }
  | { readonly kind: 'response'; readonly response: GeneratedResponse }
  | { readonly kind: 'invalid'; readonly reason: string }
  | { readonly kind: 'failed'; readonly failure: 'execution-error' | 'limit-exceeded'; readonly reason: string };

export interface FunctionRun {
  readonly outcome: FunctionOutcome;
  /** Wall clock of the handler run, microtasks included (process.hrtime.bigint), in microseconds. */
  readonly elapsedMicros: number;
  /** What the function wrote with console.log during this run, cut at MAX_LOG_BYTES. */
  readonly logs: readonly string[];
  readonly logsTruncated: boolean;
  /** Attempts cut off by a host stall rather than by the function, and run again (see RUNAWAY_CPU_SHARE). */
  readonly hostStalls: number;
}
