// Test fixture: the CloudFront emulator on a free loopback port, a real s3rver behind it, and a swappable
// viewer-request function, so each test states the function it needs in one line.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { CloudFrontRequestEvent } from 'aws-lambda';
import type { CloudFrontVerifier } from '../../common/cloudfront/verify.ts';
import type { Behaviour } from '../../local/cloudfront/behaviours.ts';
import { createEmulatorServer } from '../../local/cloudfront/server.ts';
import { localS3Client } from '../../local/s3.ts';
import { startS3 } from '../helpers/s3.ts';

export type TestFunction = (event: CloudFrontRequestEvent) => Promise<unknown>;

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

export async function startEmulator(options: {
  behaviours: Behaviour[];
  nativeVerifier?: CloudFrontVerifier;
  nowMs?: () => number;
  functionTimeoutMs?: number;
}): Promise<Emulator> {
  const s3 = await startS3({ buckets: ['content'] });
  const client = localS3Client(s3.endpoint, s3.credentials);
  let current: TestFunction = (event) => Promise.resolve(event.Records[0]?.cf.request);
  const logs: string[] = [];
  const server = createEmulatorServer({
    behaviours: options.behaviours,
    handler: (event) => current(event),
    s3: { client, bucket: 'content' },
    nativeVerifier: options.nativeVerifier,
    distribution: { distributionDomainName: 'd111111abcdef8.cloudfront.net', distributionId: 'EDFDVBD6EXAMPLE' },
    viewerProtocol: 'http',
    nowMs: options.nowMs ?? (() => Date.now()),
    log: (line) => logs.push(line),
    ...(options.functionTimeoutMs === undefined ? {} : { functionTimeoutMs: options.functionTimeoutMs }),
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
