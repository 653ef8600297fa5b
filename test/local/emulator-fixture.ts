// Test fixture: the CloudFront emulator on a free loopback port, a real s3rver behind it, and a swappable
// viewer-request function, so each test states the function it needs in one line.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { CloudFrontRequestEvent } from 'aws-lambda';
import type { CloudFrontVerifier } from '../../common/cloudfront/verify.ts';
import type { LocalBehaviour } from '../../local/cloudfront/behaviours.ts';
import { createEmulatorServer } from '../../local/cloudfront/server.ts';
import { lambdaEdgeRunner } from '../../local/cloudfront/viewer-request.ts';
import type { ViewerRequestRunner } from '../../local/cloudfront/viewer-request.ts';
import { localS3Client } from '../../local/s3.ts';
import type { ForwardRules } from '../../local/template/policies.ts';
import { startS3 } from '../helpers/s3.ts';
import type { LocalS3 } from '../helpers/s3.ts';

export type TestFunction = (event: CloudFrontRequestEvent) => Promise<unknown>;

/** A behaviour in one line: the kinds the distribution uses, built the way from-template.ts builds them. */
export type BehaviourSpec =
  /** The viewer-request Lambda@Edge function (swappable with `use`), then the S3 origin. */
  | { readonly pathPattern: string; readonly kind: 'function' }
  /** Trusted key group: CloudFront's own signature check, then the S3 origin. */
  | { readonly pathPattern: string; readonly kind: 'native' }
  /** A custom origin that receives every method, header, cookie and query string. */
  | {
      readonly pathPattern: string;
      readonly kind: 'proxy';
      readonly origin: { name: string; host: string; port: number };
    }
  /** S3 under an origin path, no function. */
  | { readonly pathPattern: string; readonly kind: 'public'; readonly originPath: string };

export interface Emulator {
  readonly url: string;
  readonly logs: string[];
  use(fn: TestFunction): void;
  put(key: string, body: string | Buffer, contentType: string): Promise<void>;
  stop(): Promise<void>;
}

export async function listen(server: http.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

const NOTHING: ForwardRules = { headers: [], cookies: [], queryStrings: [] };
const EVERYTHING: ForwardRules = {
  headers: [{ behavior: 'allViewer', names: [] }],
  cookies: [{ behavior: 'all', names: [] }],
  queryStrings: [{ behavior: 'all', names: [] }],
};

function behaviourOf(spec: BehaviourSpec, s3: LocalS3, runner: ViewerRequestRunner): LocalBehaviour {
  const s3Origin = (originPath: string) => ({
    name: 'S3',
    ...hostPort(s3.endpoint),
    pathPrefix: `/content${originPath}`,
    defaultRootObject: 'index.html',
    signer: { credentials: s3.credentials, region: 'us-east-1', service: 's3' },
    custom: false,
  });
  const media = { allowedMethods: ['GET', 'HEAD', 'OPTIONS'], responseHeaders: undefined, forward: NOTHING };
  switch (spec.kind) {
    case 'function':
      return {
        ...media,
        pathPattern: spec.pathPattern,
        restricted: false,
        viewerRequest: runner,
        originResponse: undefined,
        origin: s3Origin(''),
      };
    case 'native':
      return {
        ...media,
        pathPattern: spec.pathPattern,
        restricted: true,
        viewerRequest: undefined,
        originResponse: undefined,
        origin: s3Origin(''),
      };
    case 'public':
      return {
        ...media,
        pathPattern: spec.pathPattern,
        restricted: false,
        viewerRequest: undefined,
        originResponse: undefined,
        origin: s3Origin(spec.originPath),
      };
    case 'proxy':
      return {
        pathPattern: spec.pathPattern,
        allowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
        restricted: false,
        viewerRequest: undefined,
        originResponse: undefined,
        forward: EVERYTHING,
        responseHeaders: undefined,
        origin: { ...spec.origin, pathPrefix: '', defaultRootObject: undefined, signer: undefined, custom: true },
      };
  }
}

function hostPort(endpoint: string): { host: string; port: number } {
  const url = new URL(endpoint);
  return { host: url.hostname, port: Number(url.port) };
}

export async function startEmulator(options: {
  behaviours: BehaviourSpec[];
  nativeVerifier?: CloudFrontVerifier;
  nowMs?: () => number;
  functionTimeoutMs?: number;
}): Promise<Emulator> {
  const s3 = await startS3({ buckets: ['content'] });
  const client = localS3Client(s3.endpoint, s3.credentials);
  let current: TestFunction = (event) => Promise.resolve(event.Records[0]?.cf.request);
  const runner = lambdaEdgeRunner((event) => current(event), options.functionTimeoutMs);
  const logs: string[] = [];
  const server = createEmulatorServer({
    behaviours: options.behaviours.map((spec) => behaviourOf(spec, s3, runner)),
    nativeVerifier: options.nativeVerifier,
    distribution: { distributionDomainName: 'd111111abcdef8.cloudfront.net', distributionId: 'EDFDVBD6EXAMPLE' },
    viewerProtocol: 'http',
    nowMs: options.nowMs ?? (() => Date.now()),
    log: (line) => logs.push(line),
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}`,
    logs,
    use(fn) {
      current = fn;
    },
    async put(key, body, contentType) {
      await client.send(new PutObjectCommand({ Bucket: 'content', Key: key, Body: body, ContentType: contentType }));
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
      client.destroy();
      await s3.stop();
    },
  };
}

export interface RawResponse {
  readonly status: number;
  readonly rawHeaders: string[];
  readonly body: Buffer;
  header(name: string): string | undefined;
}

/** A request with exactly these header lines (original spelling kept), unlike fetch, which normalises them. */
export function rawRequest(url: string, init: { method?: string; headers?: [string, string][] } = {}) {
  return new Promise<RawResponse>((resolve, reject) => {
    // With an array of header lines Node adds no Host header of its own.
    const lines = init.headers ?? [];
    const host = lines.some(([name]) => name.toLowerCase() === 'host') ? [] : [['Host', new URL(url).host]];
    const flat = [...host, ...lines].flat();
    const req = http.request(url, { method: init.method ?? 'GET', headers: flat }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        resolve({
          status: res.statusCode ?? 0,
          rawHeaders: res.rawHeaders,
          body: Buffer.concat(chunks),
          header: (name) => res.headers[name.toLowerCase()] as string | undefined,
        });
      });
    });
    req.on('error', reject);
    req.end();
  });
}
