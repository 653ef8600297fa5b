// The local Lambda function URL (AuthType AWS_IAM) behind origin access control: only a SigV4 signature by a known
// caller, over the body's real hash, from the distribution the resource policy names, reaches the function.
import { createHash } from 'node:crypto';
import type http from 'node:http';
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendToOrigin } from '../../local/cloudfront/origin.ts';
import type { OriginTarget } from '../../local/cloudfront/origin.ts';
import { createFunctionUrlServer } from '../../local/function-url.ts';
import { listen } from './emulator-fixture.ts';

const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:Api';
const DISTRIBUTION = 'arn:aws:cloudfront::000000000000:distribution/ELOCAL1';
const statement = (action: string, extra: Record<string, unknown>) => ({
  Effect: 'Allow',
  Principal: { Service: 'cloudfront.amazonaws.com' },
  Action: action,
  Resource: FUNCTION_ARN,
  Condition: { ArnLike: { 'AWS:SourceArn': DISTRIBUTION }, ...extra },
});
const resourcePolicy = {
  Version: '2012-10-17',
  Statement: [
    statement('lambda:InvokeFunctionUrl', {}),
    statement('lambda:InvokeFunction', { Bool: { 'lambda:InvokedViaFunctionUrl': 'true' } }),
  ],
};
const cloudfront = { accessKeyId: 'LOCALCF', secretAccessKey: 'cf-secret' };
const otherDistribution = { accessKeyId: 'OTHERCF', secretAccessKey: 'other-secret' };

let server: http.Server;
let port: number;
const events: LambdaFunctionURLEvent[] = [];
const logs: string[] = [];

beforeAll(async () => {
  server = createFunctionUrlServer({
    functionArn: FUNCTION_ARN,
    resourcePolicy,
    callers: new Map([
      [
        cloudfront.accessKeyId,
        { secretAccessKey: cloudfront.secretAccessKey, principal: 'cloudfront.amazonaws.com', sourceArn: DISTRIBUTION },
      ],
      [
        otherDistribution.accessKeyId,
        {
          secretAccessKey: otherDistribution.secretAccessKey,
          principal: 'cloudfront.amazonaws.com',
          sourceArn: `${DISTRIBUTION}X`,
        },
      ],
    ]),
    handler: (event) => {
      events.push(event);
      return Promise.resolve({
        statusCode: 201,
        headers: { 'x-echo': event.rawPath },
        body: event.body ?? '',
        isBase64Encoded: event.isBase64Encoded,
      });
    },
    nowMs: () => Date.now(),
    log: (line) => logs.push(line),
  });
  port = await listen(server);
});
afterAll(() => {
  server.close();
});

function target(credentials: { accessKeyId: string; secretAccessKey: string } | undefined): OriginTarget {
  const signer = credentials === undefined ? undefined : { credentials, region: 'us-east-1', service: 'lambda' };
  return { name: 'fn', host: '127.0.0.1', port, pathPrefix: '', defaultRootObject: undefined, signer, custom: true };
}

async function call(options: {
  credentials?: typeof cloudfront;
  method?: string;
  body?: string;
  hash?: string;
  headers?: [string, string][];
}) {
  const { Readable } = await import('node:stream');
  const headers: [string, string][] = [['content-type', 'application/json'], ...(options.headers ?? [])];
  if (options.hash !== undefined) headers.push(['x-amz-content-sha256', options.hash]);
  const res = await sendToOrigin(
    target(options.credentials),
    {
      method: options.method ?? 'POST',
      uri: '/api/uploads',
      rawQuery: 'a=1&b=two%20words',
      headers,
      cookie: undefined,
      body: options.body === undefined ? undefined : Readable.from([Buffer.from(options.body)]),
      clientIp: '192.0.2.1',
      requestId: 'r1',
    },
    Date.now(),
  );
  const chunks: Buffer[] = [];
  for await (const chunk of res as AsyncIterable<Buffer>) chunks.push(chunk);
  return { status: res.statusCode, body: Buffer.concat(chunks).toString() };
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('the local function URL', () => {
  it('runs the function for a POST signed by the distribution over the body hash the viewer sent', async () => {
    const body = '{"purpose":"passport"}';
    const res = await call({ credentials: cloudfront, body, hash: sha256(body) });
    expect(res).toEqual({ status: 201, body });
    const event = events.at(-1);
    expect(event?.rawPath).toBe('/api/uploads');
    expect(event?.rawQueryString).toBe('a=1&b=two%20words');
    expect(event?.requestContext.http.method).toBe('POST');
  });

  it('runs a bodiless GET (the empty payload hash)', async () => {
    expect((await call({ credentials: cloudfront, method: 'GET' })).status).toBe(201);
  });

  it.each([
    ['an unsigned request', { body: '{}', hash: sha256('{}') }],
    ['a POST without the viewer payload hash (UNSIGNED-PAYLOAD)', { credentials: cloudfront, body: '{}' }],
    ['a payload hash of another body', { credentials: cloudfront, body: '{"a":1}', hash: sha256('{}') }],
    [
      'an unknown access key',
      { credentials: { accessKeyId: 'NOBODY', secretAccessKey: 'x' }, body: '{}', hash: sha256('{}') },
    ],
    ['a wrong secret', { credentials: { ...cloudfront, secretAccessKey: 'guess' }, body: '{}', hash: sha256('{}') }],
    ['another distribution (resource policy)', { credentials: otherDistribution, body: '{}', hash: sha256('{}') }],
  ])('answers 403 Forbidden to %s and never runs the function', async (_name, options) => {
    const before = events.length;
    const res = await call(options);
    expect(res).toEqual({ status: 403, body: '{"Message":"Forbidden"}' });
    expect(events.length).toBe(before);
  });

  it('logs why it refused, never a signature or a key', async () => {
    await call({ credentials: { ...cloudfront, secretAccessKey: 'guess' }, body: '{}', hash: sha256('{}') });
    expect(logs.at(-1)).toBe('function URL POST /api/uploads -> 403 (signature does not match)');
    expect(logs.join('\n')).not.toMatch(/cf-secret|Signature=/);
  });
});
