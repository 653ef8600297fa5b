// Child process of the load benchmark: runs the local stack (`stack <stateDir>`), or a bare node:http server that
// runs the real bundle's handler per request (`bundle <file>`, the fallback), and reports its memory after GC, once
// no request is in flight. Trust boundary: loopback only; requests come from autocannon in the parent process.
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CloudFrontHeaders, CloudFrontRequestEvent } from 'aws-lambda';
import { trackHttpIdle } from './http-idle.ts';
import type { HttpIdle } from './http-idle.ts';

type Handler = (event: CloudFrontRequestEvent) => Promise<unknown>;
export type ParentMessage = { readonly type: 'memory' } | { readonly type: 'stop' };
export type ChildMessage =
  | { readonly type: 'ready'; readonly url: string }
  | { readonly type: 'memory'; readonly heapUsedBytes: number; readonly rssBytes: number };

function toEvent(req: IncomingMessage, requestId: number): CloudFrontRequestEvent {
  const headers: CloudFrontHeaders = {};
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const key = req.rawHeaders[i]!;
    (headers[key.toLowerCase()] ??= []).push({ key, value: req.rawHeaders[i + 1]! });
  }
  const target = req.url ?? '/';
  const mark = target.indexOf('?');
  const request = {
    clientIp: req.socket.remoteAddress ?? '127.0.0.1',
    method: req.method ?? 'GET',
    uri: mark === -1 ? target : target.slice(0, mark),
    querystring: mark === -1 ? '' : target.slice(mark + 1),
    headers,
  };
  const config = {
    distributionDomainName: 'd111111abcdef8.cloudfront.net',
    distributionId: 'EDFDVBD6EXAMPLE',
    eventType: 'viewer-request' as const,
    requestId: `load-${String(requestId)}`,
  };
  return { Records: [{ cf: { config, request } }] };
}

/** A generated response is written as is; a request passed through gets a small body, as a cached object would. */
function reply(res: ServerResponse, result: unknown): void {
  const r = result as { status?: string; headers?: Record<string, { key?: string; value: string }[]>; body?: string };
  if (r.status === undefined) {
    res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': '1024' }).end(Buffer.alloc(1024));
    return;
  }
  for (const [name, lines] of Object.entries(r.headers ?? {}))
    res.setHeader(
      name,
      lines.map((l) => l.value),
    );
  res.writeHead(Number(r.status)).end(r.body ?? '');
}

interface Running {
  readonly url: string;
  stop(): Promise<void>;
}

async function startBundleServer(bundle: string): Promise<Running> {
  const { handler } = (await import(bundle)) as { handler: Handler };
  let count = 0;
  const server = createServer((req, res) => {
    handler(toEvent(req, count++)).then(
      (result) => {
        reply(res, result);
      },
      () => res.writeHead(503).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const stop = () =>
    new Promise<void>((resolve) =>
      server.close(() => {
        resolve();
      }),
    );
  return { url: `http://127.0.0.1:${String(port)}`, stop };
}

/** The whole local stack (emulator, edge bundle, s3rver origin), quiet, with its state in `stateDir`. */
async function startLocalStack(stateDir: string): Promise<Running> {
  const { startStack } = await import('../local/start.ts');
  const stack = await startStack({ port: 0, stateDir, log: () => undefined });
  return { url: stack.urls.cdn.replace('//localhost:', '//127.0.0.1:'), stop: () => stack.stop() };
}

/**
 * Heap and RSS after forced GC, read once the servers are idle: autocannon ends a timed run with requests in flight,
 * whose state (sockets, responses, suspended handlers: ≈ 0.5 MiB on the stack) is not retained, only not yet freed.
 */
async function memory(idle: HttpIdle): Promise<ChildMessage> {
  const open = await idle.settled({ quietMs: 250, maxWaitMs: 10_000 });
  if (open > 0) process.stderr.write(`load server: ${String(open)} requests still open after 10 s; reading anyway\n`);
  globalThis.gc?.();
  globalThis.gc?.();
  const { heapUsed, rss } = process.memoryUsage();
  return { type: 'memory', heapUsedBytes: heapUsed, rssBytes: rss };
}

async function main(): Promise<void> {
  const idle = trackHttpIdle();
  const [mode, where] = process.argv.slice(2);
  if (where === undefined || process.send === undefined || (mode !== 'stack' && mode !== 'bundle')) {
    throw new TypeError('usage: fork load-server.ts stack <stateDir> | bundle <file>');
  }
  const running = mode === 'stack' ? await startLocalStack(where) : await startBundleServer(where);
  process.send({ type: 'ready', url: running.url } satisfies ChildMessage);
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'stop') {
      running.stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    } else {
      void memory(idle).then((reply) => process.send?.(reply));
    }
  });
}

await main();
