// Rejection matrices for POST /api/uploads bodies and for tokens: each case asserts status, stable code and the
// field reasons, all as RFC 9457 problem+json responses that no cache may keep.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OriginApp } from '../../origin-api/app.ts';
import { startS3 } from '../helpers/s3.ts';
import type { LocalS3 } from '../helpers/s3.ts';
import {
  MAX_PASSPORT_BYTES,
  apiRequest,
  appFor,
  bearer,
  otherKey,
  parseBody,
  passportUpload,
  signToken,
} from './fixtures.ts';

let s3: LocalS3;
let app: OriginApp;
let token: string;
const nowMs = Date.now();

beforeAll(async () => {
  s3 = await startS3({ buckets: ['media'] });
  app = appFor({ s3, nowMs });
  token = await signToken({ nowMs });
});
afterAll(async () => {
  await s3.stop();
});

const upload = (body: string | undefined, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  app.handle(
    apiRequest({
      method: 'POST',
      path: '/api/uploads',
      headers: { ...bearer(token), ...headers },
      ...(body === undefined ? {} : { body }),
    }),
  );

function expectProblem(
  response: { status: number; headers: Record<string, string>; body: string },
  status: number,
  code: string,
) {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toBe('application/problem+json');
  expect(response.headers['cache-control']).toBe('no-store');
  const body = parseBody(response.body);
  expect(body).toMatchObject({ type: 'about:blank', status, code });
  return body;
}

describe('POST /api/uploads body validation', () => {
  it.each([
    ['a missing content type', { contentType: undefined }, [['contentType', 'required']]],
    ['a numeric content type', { contentType: 7 }, [['contentType', 'wrong_type']]],
    ['a content type with parameters', { contentType: 'image/jpeg; q=1' }, [['contentType', 'bad_format']]],
    ['a missing length for PUT', { contentLength: undefined }, [['contentLength', 'required']]],
    ['a string length', { contentLength: '12' }, [['contentLength', 'wrong_type']]],
    ['a zero length', { contentLength: 0 }, [['contentLength', 'out_of_range']]],
    ['a fractional length', { contentLength: 1.5 }, [['contentLength', 'out_of_range']]],
    ['an unsafe integer length', { contentLength: 2 ** 60 }, [['contentLength', 'out_of_range']]],
    ['a missing filename', { filename: undefined }, [['filename', 'required']]],
    ['an empty filename', { filename: '' }, [['filename', 'bad_format']]],
    ['a filename with a newline', { filename: 'a\nb.jpg' }, [['filename', 'bad_format']]],
    ['a 256-character filename', { filename: 'x'.repeat(256) }, [['filename', 'bad_format']]],
    ['an unknown purpose', { purpose: 'selfie' }, [['purpose', 'not_allowed']]],
    ['an inherited purpose name', { purpose: 'constructor' }, [['purpose', 'not_allowed']]],
    ['a bad method', { method: 'GET' }, [['method', 'not_allowed']]],
    ['a client-chosen key', { key: 'users/Ym9i/passport/x.jpg' }, [['key', 'unknown_field']]],
    [
      'several problems at once',
      { contentType: undefined, contentLength: -1, purpose: 3 },
      [
        ['contentType', 'required'],
        ['contentLength', 'out_of_range'],
        ['purpose', 'wrong_type'],
      ],
    ],
  ])('answers 400 body_invalid for %s', async (_name, over, reasons) => {
    const body = expectProblem(await upload(JSON.stringify(passportUpload(over))), 400, 'body_invalid');
    const errors = (body.errors as { field: string; code: string }[]).map((e) => [e.field, e.code]);
    expect(errors).toEqual(reasons);
  });

  it.each([
    ['no body', undefined],
    ['an empty body', ''],
    ['invalid JSON', '{"contentType":'],
    ['a JSON array', '[]'],
    ['a JSON string', '"x"'],
    ['JSON null', 'null'],
  ])('answers 400 body_invalid for %s', async (_name, body) => {
    expectProblem(await upload(body), 400, 'body_invalid');
  });

  it('answers 400 for bytes that are not UTF-8', async () => {
    const request = apiRequest({
      method: 'POST',
      path: '/api/uploads',
      headers: { ...bearer(token), 'content-type': 'application/json' },
    });
    const bytes = Uint8Array.from([0x7b, 0xff, 0x7d]);
    expectProblem(await app.handle({ ...request, body: bytes }), 400, 'body_invalid');
  });

  it('answers 415 content_type_not_allowed for a type the purpose does not accept', async () => {
    expectProblem(
      await upload(JSON.stringify(passportUpload({ contentType: 'image/webp' }))),
      415,
      'content_type_not_allowed',
    );
    expectProblem(
      await upload(JSON.stringify(passportUpload({ contentType: 'text/html' }))),
      415,
      'content_type_not_allowed',
    );
  });

  it('accepts a type in another case and signs it in lower case', async () => {
    const response = await upload(JSON.stringify(passportUpload({ contentType: 'IMAGE/JPEG' })));
    expect(response.status).toBe(201);
    expect(parseBody(response.body).headers).toEqual({ 'content-type': 'image/jpeg', 'content-length': '1234' });
  });

  it('answers 413 upload_too_large one byte over the purpose limit, 201 at the limit', async () => {
    expectProblem(
      await upload(JSON.stringify(passportUpload({ contentLength: MAX_PASSPORT_BYTES + 1 }))),
      413,
      'upload_too_large',
    );
    expect((await upload(JSON.stringify(passportUpload({ contentLength: MAX_PASSPORT_BYTES })))).status).toBe(201);
  });

  it('answers 413 request_too_large for a body over maxRequestBytes, before parsing it', async () => {
    const padded = JSON.stringify(passportUpload({ filename: 'x'.repeat(9000) }));
    expectProblem(await upload(padded), 413, 'request_too_large');
    // Not JSON at all, but too large: the size is judged first, so the parser never sees it.
    expectProblem(await upload('{'.repeat(8193)), 413, 'request_too_large');
  });

  it('answers 415 request_not_json for a form-encoded body', async () => {
    const response = await upload('contentType=image/jpeg', { 'content-type': 'application/x-www-form-urlencoded' });
    expectProblem(response, 415, 'request_not_json');
  });

  it('derives the key on the server: caller folder, purpose, server id, sanitised name', async () => {
    const response = await upload(JSON.stringify(passportUpload({ filename: '../../etc/pass wd?.jpg' })));
    const { key } = parseBody(response.body) as { key: string };
    expect(key).toMatch(
      /^users\/aHR0cHM6Ly9pZC5leGFtcGxlLnRlc3Qv\.YWxpY2U\/passport\/00000000-0000-4000-8000-\d{12}-pass-wd-.jpg$/,
    );
  });
});

describe('tokens', () => {
  const call = (headers: Record<string, string>, method = 'GET', path = '/api/files') =>
    app.handle(apiRequest({ method, path, headers }));

  it.each([
    ['no Authorization header', () => Promise.resolve({}), 'token_missing'],
    ['an empty Authorization header', () => Promise.resolve({ authorization: '' }), 'token_missing'],
    ['the Basic scheme', () => Promise.resolve({ authorization: 'Basic YWxpY2U6cHc=' }), 'token_malformed'],
    [
      'a bearer value that is not a JWS',
      () => Promise.resolve({ authorization: 'Bearer not-a-token' }),
      'token_malformed',
    ],
    [
      'a token signed by another key',
      async () => bearer(await signToken({ nowMs, key: otherKey })),
      'token_bad_signature',
    ],
    ['an expired token', async () => bearer(await signToken({ nowMs: nowMs - 3_600_000 })), 'token_expired'],
    [
      'another issuer',
      async () => bearer(await signToken({ nowMs, claims: { iss: 'https://evil.test/' } })),
      'token_bad_issuer',
    ],
    [
      'another audience',
      async () => bearer(await signToken({ nowMs, claims: { aud: 'other' } })),
      'token_bad_audience',
    ],
    ['an oversized token', () => Promise.resolve({ authorization: `Bearer ${'a'.repeat(5000)}` }), 'token_too_large'],
  ])('answers 401 for %s, with the reason code and an RFC 6750 challenge', async (_name, headers, code) => {
    for (const [method, path] of [
      ['GET', '/api/files'],
      ['POST', '/api/uploads'],
      ['GET', '/api/files/users/YWxpY2U/x'],
      ['DELETE', '/api/files/users/YWxpY2U/x'],
    ] as const) {
      const response = await call(await headers(), method, path);
      expectProblem(response, 401, code);
      expect(response.headers['www-authenticate']).toMatch(/^Bearer realm="edgepass"/);
    }
  });

  it('says invalid_token in the challenge only when a token was sent', async () => {
    expect((await call({})).headers['www-authenticate']).toBe('Bearer realm="edgepass"');
    expect((await call({ authorization: 'Bearer x.y.z' })).headers['www-authenticate']).toContain(
      'error="invalid_token"',
    );
  });

  it('accepts the scheme in any case', async () => {
    expect((await call({ authorization: `bEaReR ${token}` })).status).toBe(200);
  });

  it.each([
    ['no sub', { omitSub: true }],
    ['an empty sub', { sub: '' }],
    ['a numeric sub', { sub: 42 }],
    ['a sub over 255 bytes', { sub: 'é'.repeat(128) }],
    // UTF-8 would turn each into U+FFFD: "\ud800", "\udfff" and "\ufffd" would share one folder.
    ['a lone high surrogate', { sub: '\ud800' }],
    ['a lone low surrogate', { sub: 'x\udfff' }],
  ])('answers 403 subject_invalid for a valid token with %s', async (_name, spec) => {
    expectProblem(await call(bearer(await signToken({ nowMs, ...spec }))), 403, 'subject_invalid');
  });
});

describe('routing', () => {
  it.each([
    ['GET', '/api/uploads', 'POST'],
    ['PUT', '/api/files', 'GET'],
    ['POST', '/api/files/users/YWxpY2U/x', 'GET, DELETE'],
  ])('answers 405 for %s %s with Allow: %s', async (method, path, allow) => {
    const response = await app.handle(apiRequest({ method, path, headers: bearer(token) }));
    expectProblem(response, 405, 'method_not_allowed');
    expect(response.headers.allow).toBe(allow);
  });

  it.each(['/api', '/api/', '/api/files/', '/api/other', '/files'])('answers 404 for %s', async (path) => {
    expectProblem(await app.handle(apiRequest({ path, headers: bearer(token) })), 404, 'not_found');
  });
});
