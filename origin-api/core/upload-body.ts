// Validates the JSON body of `POST /api/uploads`: size bounded before parsing, every field checked, all field
// errors reported together. Trust boundary: the body is attacker-controlled; only this file reads it.
import type { FieldError } from './respond.ts';
import { problem } from './respond.ts';
import type { ApiResponse, OriginApiOptions, PurposeRule } from './types.ts';

interface UploadRequest {
  readonly method: 'PUT' | 'POST';
  readonly purpose: string;
  readonly rule: PurposeRule;
  readonly contentType: string;
  /** Exact size for PUT (signed); optional for POST, whose policy carries a range instead. */
  readonly contentLength: number | undefined;
  readonly filename: string;
}

export type BodyResult =
  { readonly ok: true; readonly value: UploadRequest } | { readonly ok: false; readonly response: ApiResponse };

const FIELDS = ['contentType', 'contentLength', 'filename', 'purpose', 'method'];
// RFC 9110 §8.3.1 token characters, type/subtype only: parameters would not match S3's signed header value.
const MEDIA_TYPE = /^[A-Za-z0-9!#$&^_.+-]{1,64}\/[A-Za-z0-9!#$&^_.+-]{1,64}$/;
// eslint-disable-next-line no-control-regex -- control characters are exactly what this rejects
const CONTROL = /[\u0000-\u001f\u007f]/;

const fail = (response: ApiResponse): BodyResult => ({ ok: false, response });
const err = (field: string, code: string, detail: string): FieldError => ({ field, code, detail });

/** Called only once the size is known to be within bounds. */
function parseJson(body: Uint8Array | undefined): unknown {
  if (body === undefined || body.length === 0) return undefined;
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body)) as unknown;
  } catch {
    return undefined;
  }
}

function readFields(raw: Record<string, unknown>, purposes: OriginApiOptions['purposes'], errors: FieldError[]) {
  for (const key of Object.keys(raw))
    if (!FIELDS.includes(key)) errors.push(err(key, 'unknown_field', 'Not a known field.'));
  const { contentType, contentLength, filename, purpose } = raw;
  const method = raw.method ?? 'PUT';
  if (method !== 'PUT' && method !== 'POST') errors.push(err('method', 'not_allowed', 'Must be "PUT" or "POST".'));
  if (contentType === undefined) errors.push(err('contentType', 'required', 'Required.'));
  else if (typeof contentType !== 'string') errors.push(err('contentType', 'wrong_type', 'Must be a string.'));
  else if (!MEDIA_TYPE.test(contentType))
    errors.push(err('contentType', 'bad_format', 'Must be type/subtype without parameters.'));
  if (contentLength === undefined) {
    if (method !== 'POST') errors.push(err('contentLength', 'required', 'Required for PUT uploads.'));
  } else if (typeof contentLength !== 'number') errors.push(err('contentLength', 'wrong_type', 'Must be a number.'));
  else if (!Number.isSafeInteger(contentLength) || contentLength < 1) {
    errors.push(err('contentLength', 'out_of_range', 'Must be a whole number of bytes, at least 1.'));
  }
  if (filename === undefined) errors.push(err('filename', 'required', 'Required.'));
  else if (typeof filename !== 'string') errors.push(err('filename', 'wrong_type', 'Must be a string.'));
  else if (filename.length === 0 || filename.length > 255 || CONTROL.test(filename)) {
    errors.push(err('filename', 'bad_format', 'Must be 1 to 255 characters without control characters.'));
  }
  if (purpose === undefined) errors.push(err('purpose', 'required', 'Required.'));
  else if (typeof purpose !== 'string') errors.push(err('purpose', 'wrong_type', 'Must be a string.'));
  else if (!purposes.has(purpose)) errors.push(err('purpose', 'not_allowed', 'Not a configured purpose.'));
  return { method, contentType, contentLength, filename, purpose };
}

/** 400 for a malformed body (with every field reason), then 415 for a type, then 413 for a size. */
export function readUploadBody(body: Uint8Array | undefined, options: OriginApiOptions): BodyResult {
  if (body !== undefined && body.length > options.maxRequestBytes) {
    return fail(problem(413, 'request_too_large', `The request body exceeds ${options.maxRequestBytes} bytes.`));
  }
  const raw = parseJson(body);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return fail(
      problem(400, 'body_invalid', 'The body must be a JSON object.', {
        errors: [err('', 'bad_format', 'Not a JSON object.')],
      }),
    );
  }
  const errors: FieldError[] = [];
  const fields = readFields(raw as Record<string, unknown>, options.purposes, errors);
  if (errors.length > 0) return fail(problem(400, 'body_invalid', 'The upload request is invalid.', { errors }));
  const purpose = fields.purpose as string;
  const rule = options.purposes.get(purpose);
  if (rule === undefined) return fail(problem(400, 'body_invalid', 'The upload request is invalid.'));
  const contentType = (fields.contentType as string).toLowerCase();
  if (!rule.contentTypes.includes(contentType)) {
    return fail(problem(415, 'content_type_not_allowed', `This content type is not accepted for "${purpose}".`));
  }
  const contentLength = fields.contentLength as number | undefined;
  if (contentLength !== undefined && contentLength > rule.maxBytes) {
    return fail(problem(413, 'upload_too_large', `Uploads for "${purpose}" are limited to ${rule.maxBytes} bytes.`));
  }
  const method = fields.method as 'PUT' | 'POST';
  return {
    ok: true,
    value: { method, purpose, rule, contentType, contentLength, filename: fields.filename as string },
  };
}
