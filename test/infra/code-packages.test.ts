// The two code packages the stacks ship, built as synth builds them and run as Lambda runs them: the handler
// named in the template (`index.handler`) exists and answers. No network: nothing here reaches AWS.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBundles } from '../../infra/bundles.ts';
import type { Bundles } from '../../infra/bundles.ts';
import { resolveConfig } from '../../infra/config/load.ts';
import type { EdgePassConfig } from '../../infra/config/load.ts';
import { viewerRequest } from '../helpers/events.ts';
import { fixture, removeFixtures } from './helpers.ts';

type Handler = (event: unknown) => Promise<Record<string, unknown>>;

const ROOT = resolve(import.meta.dirname, '../..');

let config: EdgePassConfig;
let bundles: Bundles;

async function handlerOf(file: string): Promise<Handler> {
  const mod = (await import(pathToFileURL(file).href)) as { handler?: unknown };
  expect(typeof mod.handler).toBe('function');
  return mod.handler as Handler;
}

function functionUrlEvent(method: string, rawPath: string): LambdaFunctionURLEvent {
  const http = { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '198.51.100.7', userAgent: 'test' };
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString: '',
    headers: { host: 'abc.lambda-url.eu-west-1.on.aws' },
    isBase64Encoded: false,
    requestContext: {
      accountId: 'anonymous',
      apiId: 'abc',
      domainName: 'abc.lambda-url.eu-west-1.on.aws',
      domainPrefix: 'abc',
      http,
      requestId: 'req-1',
      routeKey: '$default',
      stage: '$default',
      time: '29/Nov/2026:02:00:00 +0000',
      timeEpoch: 1_795_917_600_000,
    },
  };
}

beforeAll(async () => {
  const f = fixture();
  config = resolveConfig(f.document, f.dir);
  bundles = await buildBundles(config.raw, join(f.dir, 'bundles'));
});
afterAll(removeFixtures);

describe('code package files', () => {
  // Lambda's runtime user must read the files (CDK's zip keeps their mode); the folders keep other local users out.
  it.each([
    ['edge', () => bundles.edge],
    ['origin API', () => bundles.originApi],
  ])('leaves the %s bundle readable by all, in folders only its owner may enter', (_name, file) => {
    expect(statSync(file()).mode & 0o777).toBe(0o644);
    expect([dirname(file()), dirname(dirname(file()))].map((dir) => statSync(dir).mode & 0o777)).toEqual([
      0o700, 0o700,
    ]);
  });
});

describe('edge code package', () => {
  it('passes a public path through untouched', async () => {
    const handler = await handlerOf(bundles.edge);
    const result = await handler(viewerRequest({ uri: '/styles/site.css' }));
    expect(result).toMatchObject({ uri: '/styles/site.css' });
    expect(result['status']).toBeUndefined();
  });

  it('answers a protected path without a token with a generated 401', async () => {
    const handler = await handlerOf(bundles.edge);
    const result = await handler(viewerRequest({ uri: '/attractions/42/intro.mp4' }));
    expect(result['status']).toBe('401');
  });
});

describe('origin API code package', () => {
  beforeAll(() => {
    // What the stack sets (EdgePassStack), with the values Lambda and CloudFormation would provide.
    process.env['EDGEPASS_CONFIG_JSON'] = JSON.stringify({
      jwt: config.raw['jwt'],
      originApi: config.raw['originApi'],
      appOrigins: config.origin.appOrigins,
    });
    process.env['EDGEPASS_BUCKET'] = 'edgepass-media-test';
    process.env['AWS_REGION'] = 'eu-west-1';
  });

  it('refuses an upload request without a bearer token', async () => {
    const handler = await handlerOf(bundles.originApi);
    const result = await handler(functionUrlEvent('POST', '/api/uploads'));
    expect(result['statusCode']).toBe(401);
  });

  it('answers a preflight from the configured app origin before any token', async () => {
    const handler = await handlerOf(bundles.originApi);
    const event = functionUrlEvent('OPTIONS', '/api/uploads');
    const result = await handler({ ...event, headers: { ...event.headers, origin: 'https://app.example.test' } });
    expect(result).toMatchObject({
      statusCode: 204,
      headers: { 'access-control-allow-origin': 'https://app.example.test', 'access-control-allow-methods': 'POST' },
    });
  });

  it('answers an unknown endpoint with 404', async () => {
    const handler = await handlerOf(bundles.originApi);
    expect((await handler(functionUrlEvent('GET', '/api/nothing-here')))['statusCode']).toBe(404);
  });

  it('carries one S3 client: ours is the exact version @aws-sdk/s3-presigned-post pins (docs/origin-api.md)', () => {
    const manifest = (name: string) =>
      JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as {
        version: string;
        dependencies?: Record<string, string>;
      };
    const pinned = manifest('@aws-sdk/s3-presigned-post').dependencies?.['@aws-sdk/client-s3'];
    expect(manifest('@aws-sdk/client-s3').version).toBe(pinned);
    expect(existsSync(join(ROOT, 'node_modules/@aws-sdk/s3-presigned-post/node_modules/@aws-sdk/client-s3'))).toBe(
      false,
    );
    // One client is about 100 KB minified; a second copy would bring the bundle back over 540 KB.
    expect(statSync(bundles.originApi).size).toBeLessThan(500_000);
  });
});
