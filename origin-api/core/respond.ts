// Builds every response the origin API sends: JSON bodies and RFC 9457 problem details, never cacheable.
// Trust boundary: details and field reasons are fixed strings; no token, key material or presigned URL goes in here.
import type { ApiResponse } from './types.ts';

export interface FieldError {
  readonly field: string;
  /** Stable machine-readable reason: required, wrong_type, bad_format, out_of_range, not_allowed, unknown_field. */
  readonly code: string;
  readonly detail: string;
}

// Responses carry per-user data and short-lived URLs: no shared or private cache may keep them
// (RFC 9111 §5.2.2.5 no-store); nosniff stops browsers from guessing a type for JSON bodies.
const BASE_HEADERS = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' } as const;

const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function json(status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): ApiResponse {
  return {
    status,
    headers: { ...BASE_HEADERS, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}

export function empty(status: number, headers: Readonly<Record<string, string>> = {}): ApiResponse {
  return { status, headers: { ...BASE_HEADERS, ...headers }, body: '' };
}

/**
 * RFC 9457 problem details with `type` left as "about:blank" (so `title` is the status phrase) and a stable
 * `code` extension member that clients switch on; `errors` lists field-level reasons for a 400.
 */
export function problem(
  status: number,
  code: string,
  detail: string,
  extra: { errors?: readonly FieldError[]; headers?: Readonly<Record<string, string>> } = {},
): ApiResponse {
  const body = {
    type: 'about:blank',
    title: TITLES[status] ?? 'Error',
    status,
    code,
    detail,
    ...(extra.errors === undefined ? {} : { errors: extra.errors }),
  };
  return {
    status,
    headers: { ...BASE_HEADERS, 'content-type': 'application/problem+json', ...extra.headers },
    body: JSON.stringify(body),
  };
}

/** The same answer for "not yours" and "does not exist", so that other users' keys cannot be probed. */
export const notFound = (): ApiResponse => problem(404, 'not_found', 'No such file.');
