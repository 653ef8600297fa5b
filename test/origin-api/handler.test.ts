// The Lambda adapter through real function-URL (payload 2.0) events: translation both ways, the bearer token
// forwarded past CloudFront's OAC signature, base64 bodies, and the exported handler configured from the environment.
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FORWARDED_AUTHORIZATION_HEADER, createFunctionUrlHandler } from '../../origin-api/handler.ts';
import { startS3 } from '../helpers/s3.ts';
import type { LocalS3 } from '../helpers/s3.ts';
import { apiRequest, appFor, memoryLogger, parseBody, passportUpload, rawConfig, signToken } from './fixtures.ts';

let s3: LocalS3;
const nowMs = Date.now();
const APP_ORIGIN = 'https://app.example.test';

beforeAll(async () => {
  s3 = await startS3({ buckets: ['media'] });
});
afterAll(async () => {
  await s3.stop();
});

interface EventSpec {
  method?: string;
  path: string;
  query?: string;
  headers?: Record<string, string>;
  body?: string;
  base64?: boolean;
}

/** The shape Lambda sends for a function URL invocation (Lambda Developer Guide, "Invoking Lambda function URLs"). */
function functionUrlEvent({
  method = 'GET',
  path,
  query = '',
  headers = {},
  body,
  base64 = false,
}: EventSpec): LambdaFunctionURLEvent {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: query,
    headers: { host: 'abc123.lambda-url.us-east-1.on.aws', 'x-amz-cf-id': 'cf-id', ...headers },
    ...(query === '' ? {} : { queryStringParameters: Object.fromEntries(new URLSearchParams(query)) }),
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: 'abc123.lambda-url.us-east-1.on.aws',
      domainPrefix: 'abc123',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.9', userAgent: 'Amazon CloudFront' },
      requestId: 'lambda-request-1',
      routeKey: '$default',
      stage: '$default',
      time: '29/Nov/2026:01:00:00 +0000',
      timeEpoch: nowMs,
    },
    ...(body === undefined ? {} : { body }),
    isBase64Encoded: base64,
  };
}

const oacSignature = 'AWS4-HMAC-SHA256 Credential=ASIA/20261129/us-east-1/lambda/aws4_request, Signature=00';

describe('Lambda function-URL handler', () => {
  it('creates an upload from a base64 body, reading the token from the forwarded header', async () => {
    const logger = memoryLogger();
    const handle = createFunctionUrlHandler(appFor({ s3, nowMs, logger }));
    const token = await signToken({ nowMs });
    const result = await handle(
      functionUrlEvent({
        method: 'POST',
        path: '/api/uploads',
        headers: {
          authorization: oacSignature,
          [FORWARDED_AUTHORIZATION_HEADER]: `Bearer ${token}`,
          'content-type': 'application/json',
        },
        body: Buffer.from(JSON.stringify(passportUpload())).toString('base64'),
        base64: true,
      }),
    );
    expect(result).toMatchObject({ statusCode: 201, isBase64Encoded: false, headers: { 'cache-control': 'no-store' } });
    expect(parseBody(result.body ?? '')).toMatchObject({
      method: 'PUT',
      key: expect.stringMatching(/^users\/[A-Za-z0-9_-]+\.YWxpY2U\//),
    });
    expect(logger.lines.join('\n')).toContain('"requestId":"lambda-request-1"');
  });

  it('never takes a bearer token from Authorization itself (behind CloudFront it is the OAC signature)', async () => {
    const handle = createFunctionUrlHandler(appFor({ s3, nowMs }));
    const token = await signToken({ nowMs });
    const result = await handle(
      functionUrlEvent({ path: '/api/files', headers: { authorization: `Bearer ${token}` } }),
    );
    expect(result.statusCode).toBe(401);
    expect(parseBody(result.body ?? '').code).toBe('token_missing');
  });

  it('passes the query string and answers a 302 with Location for an own file', async () => {
    const app = appFor({ s3, nowMs });
    const handle = createFunctionUrlHandler(app);
    const headers = { [FORWARDED_AUTHORIZATION_HEADER]: `Bearer ${await signToken({ nowMs })}` };
    const created = await app.handle(
      apiRequest({
        method: 'POST',
        path: '/api/uploads',
        headers: { authorization: headers[FORWARDED_AUTHORIZATION_HEADER] },
        json: passportUpload({ contentLength: 3 }),
      }),
    );
    const { url, key } = parseBody(created.body) as { url: string; key: string };
    await fetch(url, { method: 'PUT', body: 'abc', headers: { 'content-type': 'image/jpeg' } });
    const listed = await handle(functionUrlEvent({ path: '/api/files', query: 'limit=1', headers }));
    expect(parseBody(listed.body ?? '')).toMatchObject({ files: [{ key, size: 3 }] });
    const read = await handle(functionUrlEvent({ path: `/api/files/${key}`, headers }));
    expect(read.statusCode).toBe(302);
    expect(await (await fetch(read.headers!.location as string)).text()).toBe('abc');
  });

  it('answers a CORS preflight event before any token is looked at', async () => {
    const handle = createFunctionUrlHandler(appFor({ s3, nowMs, appOrigins: [APP_ORIGIN] }));
    const result = await handle(
      functionUrlEvent({
        method: 'OPTIONS',
        path: '/api/uploads',
        headers: { origin: APP_ORIGIN, authorization: oacSignature },
      }),
    );
    expect(result).toMatchObject({ statusCode: 204, body: '' });
    expect(result.headers).toMatchObject({
      'access-control-allow-origin': APP_ORIGIN,
      'access-control-allow-methods': 'POST',
    });
  });

  it('cuts an oversized base64 body at the bound and answers 413', async () => {
    const handle = createFunctionUrlHandler(appFor({ s3, nowMs }));
    const headers = {
      [FORWARDED_AUTHORIZATION_HEADER]: `Bearer ${await signToken({ nowMs })}`,
      'content-type': 'application/json',
    };
    const body = Buffer.alloc(1_000_000, 0x20).toString('base64');
    const result = await handle(
      functionUrlEvent({ method: 'POST', path: '/api/uploads', headers, body, base64: true }),
    );
    expect(result.statusCode).toBe(413);
    expect(parseBody(result.body ?? '').code).toBe('request_too_large');
  });
});

describe('odd events (security review, issue #11)', () => {
  it.each([
    ['an empty event', {}],
    [
      'an event without headers',
      { rawPath: '/api/files', requestContext: { http: { method: 'GET' }, requestId: 'r' } },
    ],
    ['an event without requestContext', { rawPath: '/api/files', headers: {} }],
  ])('answers %s with a bare 500, never throwing', async (_name, event) => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const handle = createFunctionUrlHandler(appFor({ s3, nowMs }));
    const result = await handle(event as unknown as LambdaFunctionURLEvent);
    expect(result.statusCode).toBe(500);
    expect(JSON.parse(result.body ?? '{}')).toMatchObject({ code: 'internal_error' });
    expect(errors.mock.calls.map((call) => JSON.parse(String(call[0])) as unknown)).toEqual([
      { level: 'error', event: 'origin_api_event_invalid', error: 'TypeError' },
    ]);
    errors.mockRestore();
  });
});

describe('exported handler', () => {
  it('answers 500 on a bad configuration instead of throwing, and logs the problems', async () => {
    vi.resetModules();
    const saved = process.env['EDGEPASS_CONFIG_JSON'];
    process.env['EDGEPASS_CONFIG_JSON'] = '{"jwt":{}}';
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const { handler } = await import('../../origin-api/handler.ts');
      const result = await handler(functionUrlEvent({ path: '/api/files' }));
      expect(result.statusCode).toBe(500);
      expect(String(errors.mock.calls[0]?.[0])).toContain('origin_api_config_invalid');
    } finally {
      errors.mockRestore();
      if (saved === undefined) delete process.env['EDGEPASS_CONFIG_JSON'];
      else process.env['EDGEPASS_CONFIG_JSON'] = saved;
      vi.resetModules();
    }
  });

  it('fails closed on a bad configuration, naming the problems but no secret', async () => {
    const { appFromEnvironment } = await import('../../origin-api/handler.ts');
    const raw = rawConfig({ bucket: undefined, purposes: undefined });
    const env = { EDGEPASS_CONFIG_JSON: JSON.stringify(raw), AWS_REGION: 'us-east-1' };
    expect(() => appFromEnvironment(env)).toThrow(
      /originApi\.bucket is required[\s\S]*originApi\.purposes is required/,
    );
    expect(() => appFromEnvironment({})).toThrow(/must be a JSON object/);
  });

  it('configures itself once from EDGEPASS_CONFIG_JSON, EDGEPASS_BUCKET and AWS_REGION', async () => {
    const raw = rawConfig({ bucket: 'placeholder', region: undefined, endpoint: s3.endpoint });
    Object.assign(process.env, {
      EDGEPASS_CONFIG_JSON: JSON.stringify({ jwt: raw.jwt, originApi: raw.originApi, appOrigins: [APP_ORIGIN] }),
      EDGEPASS_BUCKET: 'media',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: s3.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
    });
    const { handler } = await import('../../origin-api/handler.ts');
    const token = await signToken({ sub: 'dora', nowMs: Date.now() });
    const headers = { [FORWARDED_AUTHORIZATION_HEADER]: `Bearer ${token}`, origin: APP_ORIGIN };
    const result = await handler(functionUrlEvent({ path: '/api/files', headers }));
    expect(result.statusCode).toBe(200);
    expect(result.headers?.['access-control-allow-origin']).toBe(APP_ORIGIN);
    expect(parseBody(result.body ?? '')).toEqual({ files: [] });
    // Configuration is read once per instance: a later change of the environment is not picked up.
    process.env.EDGEPASS_BUCKET = 'Not A Bucket';
    expect((await handler(functionUrlEvent({ path: '/api/files', headers }))).statusCode).toBe(200);
  });
});
