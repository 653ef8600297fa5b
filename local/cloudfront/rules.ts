// Checks what a viewer-request function returned, the way CloudFront validates Lambda@Edge results. Input is
// the function's output (trusted code, but the rules are what bite in production: a violation is a 502 there).
// Sources: Developer Guide "Restrictions on all edge functions", "Quotas on Lambda@Edge", "Lambda@Edge event structure".
import type { CloudFrontHeaders, CloudFrontRequest } from 'aws-lambda';
import { READ_ONLY_VIEWER_REQUEST, isDisallowedHeader } from './headers.ts';

/** Generated response (headers + body) at viewer-request: at most 40 KB (Developer Guide, "Quotas"). */
export const MAX_GENERATED_RESPONSE_BYTES = 40 * 1024;

export interface GeneratedResponse {
  readonly status: number;
  readonly statusDescription: string | undefined;
  /** One entry per header line, in order. */
  readonly headers: readonly (readonly [string, string])[];
  readonly body: Buffer;
}

export type FunctionOutcome =
  | { readonly kind: 'request'; readonly request: CloudFrontRequest }
  | { readonly kind: 'response'; readonly response: GeneratedResponse }
  | { readonly kind: 'invalid'; readonly reason: string };

type Raw = Record<string, unknown>;
const isRecord = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// Header values may not carry CR, LF or NUL: those would split the header line.
const SAFE_VALUE = /^[^\r\n\0]*$/;

/** Validates the header map shape; returns a problem or the lines as [key, value]. */
export function readHeaders(raw: unknown): string | (readonly [string, string])[] {
  if (raw === undefined) return [];
  if (!isRecord(raw)) return 'headers must be an object';
  const lines: [string, string][] = [];
  for (const [name, entries] of Object.entries(raw)) {
    if (!TOKEN.test(name) || name !== name.toLowerCase()) return `header map key "${name}" must be a lower-case name`;
    if (!Array.isArray(entries)) return `headers.${name} must be an array`;
    for (const entry of entries as unknown[]) {
      if (!isRecord(entry) || typeof entry['value'] !== 'string') return `headers.${name}[] needs a string value`;
      const key = entry['key'] ?? name;
      if (typeof key !== 'string' || key.toLowerCase() !== name) return `headers.${name}[].key must match the map key`;
      if (!SAFE_VALUE.test(entry['value'])) return `headers.${name}[].value holds a control character`;
      lines.push([key, entry['value']]);
    }
  }
  return lines;
}

function readOnlyValues(headers: CloudFrontHeaders | Raw, name: string): string {
  const entries = headers[name];
  return Array.isArray(entries) ? JSON.stringify(entries.map((e: unknown) => (isRecord(e) ? e['value'] : e))) : '';
}

function checkRequest(original: CloudFrontRequest, result: Raw): FunctionOutcome {
  const { uri, querystring, method, headers } = result;
  if (typeof uri !== 'string' || !uri.startsWith('/')) return { kind: 'invalid', reason: 'uri must start with /' };
  if (typeof querystring !== 'string') return { kind: 'invalid', reason: 'querystring must be a string' };
  if (method !== original.method) return { kind: 'invalid', reason: 'method is read-only' };
  if (result['clientIp'] !== original.clientIp) return { kind: 'invalid', reason: 'clientIp is read-only' };
  const lines = readHeaders(headers);
  if (typeof lines === 'string') return { kind: 'invalid', reason: lines };
  const bad = lines.find(([key]) => isDisallowedHeader(key.toLowerCase()));
  if (bad !== undefined) return { kind: 'invalid', reason: `disallowed header ${bad[0]}` };
  const map = headers as Raw;
  const changed = READ_ONLY_VIEWER_REQUEST.find((n) => readOnlyValues(map, n) !== readOnlyValues(original.headers, n));
  if (changed !== undefined) return { kind: 'invalid', reason: `read-only header ${changed} was changed` };
  return { kind: 'request', request: result as unknown as CloudFrontRequest };
}

function checkResponse(result: Raw): FunctionOutcome {
  const { status, statusDescription, body, bodyEncoding } = result;
  // `status` is a string such as '302' (Developer Guide, "Lambda@Edge event structure", response events).
  if (typeof status !== 'string' || !/^[2-5]\d\d$/.test(status)) {
    return { kind: 'invalid', reason: 'status must be a string from "200" to "599"' };
  }
  if (
    statusDescription !== undefined &&
    (typeof statusDescription !== 'string' || !SAFE_VALUE.test(statusDescription))
  ) {
    return { kind: 'invalid', reason: 'statusDescription must be a string' };
  }
  if (body !== undefined && typeof body !== 'string') return { kind: 'invalid', reason: 'body must be a string' };
  if (bodyEncoding !== undefined && bodyEncoding !== 'text' && bodyEncoding !== 'base64') {
    return { kind: 'invalid', reason: 'bodyEncoding must be "text" or "base64"' };
  }
  const lines = readHeaders(result['headers']);
  if (typeof lines === 'string') return { kind: 'invalid', reason: lines };
  const bad = lines.find(([key]) => isDisallowedHeader(key.toLowerCase()));
  if (bad !== undefined) return { kind: 'invalid', reason: `disallowed header ${bad[0]}` };
  // Size as returned by the function: header lines plus the body string (base64 counted encoded, the stricter reading).
  const size =
    lines.reduce((sum, [k, v]) => sum + Buffer.byteLength(`${k}: ${v}\r\n`), 0) + Buffer.byteLength(body ?? '');
  if (size > MAX_GENERATED_RESPONSE_BYTES) {
    return { kind: 'invalid', reason: `generated response is ${size} bytes (limit ${MAX_GENERATED_RESPONSE_BYTES})` };
  }
  const bytes = Buffer.from(body ?? '', bodyEncoding === 'base64' ? 'base64' : 'utf8');
  const description = typeof statusDescription === 'string' ? statusDescription : undefined;
  return {
    kind: 'response',
    response: { status: Number(status), statusDescription: description, headers: lines, body: bytes },
  };
}

/** A result with `status` is a generated response; otherwise it must be the (possibly modified) request. */
export function checkFunctionResult(original: CloudFrontRequest, result: unknown): FunctionOutcome {
  if (!isRecord(result)) return { kind: 'invalid', reason: 'the function returned no request or response object' };
  return 'status' in result ? checkResponse(result) : checkRequest(original, result);
}
