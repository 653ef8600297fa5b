// Runs a Lambda@Edge origin-response function on the origin's answer, as CloudFront does on a cache miss (local
// emulator): the event carries the request as sent to the origin and the response's status and headers, never
// its body; the function may change status and headers and may set a body, which then replaces the origin's.
// Sources: Developer Guide "Lambda@Edge event structure" (response events), "Update HTTP responses in origin
// response triggers", "Restrictions on all edge functions" (HTTP headers), "Quotas on Lambda@Edge".
import type { CloudFrontHeaders, CloudFrontResponseEvent } from 'aws-lambda';
import { toCloudFrontHeaders } from './event.ts';
import type { Distribution } from './event.ts';
import { isDisallowedHeader } from './headers.ts';
import { readHeaders } from './rules.ts';

export type OriginResponseHandler = (event: CloudFrontResponseEvent) => Promise<unknown>;

/** Origin-response functions may run 30 s; a body they generate may be 1 MB (Developer Guide, "Quotas"). */
const TIMEOUT_MS = 30_000;
const MAX_BODY_BYTES = 1024 * 1024;
/** Read-only in origin-response events: the function may not add, change or remove them. */
const READ_ONLY = ['transfer-encoding', 'via'];

export interface OriginAnswer {
  readonly status: number;
  readonly statusDescription: string;
  /** Node's rawHeaders of the origin's answer (hop-by-hop headers already removed). */
  readonly rawHeaders: readonly string[];
}

export interface OriginRequestFacts {
  readonly method: string;
  readonly uri: string;
  readonly querystring: string;
  readonly clientIp: string;
  readonly rawHeaders: readonly string[];
}

export type OriginResponseOutcome =
  | {
      readonly kind: 'response';
      readonly status: number;
      readonly headers: readonly (readonly [string, string])[];
      /** The function's body, or undefined to keep the origin's. */
      readonly body: Buffer | undefined;
    }
  | { readonly kind: 'invalid'; readonly reason: string }
  | { readonly kind: 'failed'; readonly reason: string };

function toEvent(
  request: OriginRequestFacts,
  answer: OriginAnswer,
  distribution: Distribution,
  requestId: string,
): CloudFrontResponseEvent {
  const config = { ...distribution, eventType: 'origin-response' as const, requestId };
  const { method, uri, querystring, clientIp } = request;
  const response = {
    status: String(answer.status),
    statusDescription: answer.statusDescription,
    headers: toCloudFrontHeaders(answer.rawHeaders),
  };
  return {
    Records: [
      {
        cf: {
          config,
          request: { method, uri, querystring, clientIp, headers: toCloudFrontHeaders(request.rawHeaders) },
          response,
        },
      },
    ],
  };
}

const valuesOf = (headers: CloudFrontHeaders | Record<string, unknown>, name: string) =>
  JSON.stringify(Array.isArray(headers[name]) ? (headers[name] as { value?: unknown }[]).map((e) => e.value) : null);

function check(original: CloudFrontHeaders, result: unknown): OriginResponseOutcome {
  if (typeof result !== 'object' || result === null) return { kind: 'invalid', reason: 'no response object' };
  const { status, headers, body, bodyEncoding } = result as Record<string, unknown>;
  if (typeof status !== 'string' || !/^[2-5]\d\d$/.test(status)) {
    return { kind: 'invalid', reason: 'status must be a string from "200" to "599"' };
  }
  const lines = readHeaders(headers);
  if (typeof lines === 'string') return { kind: 'invalid', reason: lines };
  const bad = lines.find(([key]) => isDisallowedHeader(key.toLowerCase()));
  if (bad !== undefined) return { kind: 'invalid', reason: `disallowed header ${bad[0]}` };
  const map = headers as Record<string, unknown>;
  const changed = READ_ONLY.find((name) => valuesOf(map, name) !== valuesOf(original, name));
  if (changed !== undefined) return { kind: 'invalid', reason: `read-only header ${changed} was changed` };
  if (body !== undefined && typeof body !== 'string') return { kind: 'invalid', reason: 'body must be a string' };
  const bytes = body === undefined ? undefined : Buffer.from(body, bodyEncoding === 'base64' ? 'base64' : 'utf8');
  if (bytes !== undefined && bytes.length > MAX_BODY_BYTES) return { kind: 'invalid', reason: 'body over 1 MB' };
  return { kind: 'response', status: Number(status), headers: lines, body: bytes };
}

export async function runOriginResponse(
  handler: OriginResponseHandler,
  facts: { request: OriginRequestFacts; answer: OriginAnswer; distribution: Distribution; requestId: string },
  timeoutMs: number = TIMEOUT_MS,
): Promise<OriginResponseOutcome> {
  const event = toEvent(facts.request, facts.answer, facts.distribution, facts.requestId);
  const original = structuredClone(event.Records[0]?.cf.response.headers ?? {});
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<OriginResponseOutcome>((resolve) => {
    timer = setTimeout(() => {
      resolve({ kind: 'failed', reason: `the function ran longer than ${timeoutMs} ms` });
    }, timeoutMs);
  });
  const run = handler(event).then(
    (result) => check(original, result),
    (): OriginResponseOutcome => ({ kind: 'failed', reason: 'the function threw an error' }),
  );
  try {
    return await Promise.race([run, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
