// The origin API as a plain node:http server for the local stack: translates IncomingMessage to the core's
// request value and back. Trust boundary: the socket is hostile; the body is read only up to the configured bound.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { OriginApp } from './app.ts';
import type { ApiRequest } from './core/types.ts';

/**
 * Reads until `limit` bytes, then pauses the stream: the core answers 413 for anything longer. (Breaking out of
 * `for await` would destroy the socket before the 413 could be written.)
 */
function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (): void => {
      req.off('data', onData).off('end', done).off('error', reject);
      req.pause();
      resolve(size === 0 ? undefined : Buffer.concat(chunks).subarray(0, limit));
    };
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= limit) done();
    };
    req.on('data', onData).once('end', done).once('error', reject);
  });
}

function headersOf(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

async function toApiRequest(req: IncomingMessage, maxRequestBytes: number): Promise<ApiRequest> {
  const url = new URL(req.url ?? '/', 'http://origin.invalid');
  return {
    method: req.method ?? 'GET',
    // The raw path as sent: keys are decoded once, in the core.
    path: (req.url ?? '/').split('?')[0] ?? '/',
    query: url.searchParams,
    headers: headersOf(req),
    body: await readBody(req, maxRequestBytes + 1),
    requestId: randomUUID(),
  };
}

async function serve(app: OriginApp, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const request = await toApiRequest(req, app.maxRequestBytes);
  const response = await app.handle(request);
  // A body we stopped reading must not be parsed as the next request on this connection.
  if (!req.readableEnded) res.setHeader('connection', 'close');
  res.writeHead(response.status, response.headers);
  res.end(response.body);
}

/** Returns a server that is not yet listening: `server.listen(port, '127.0.0.1')`. */
export function createOriginServer(app: OriginApp): Server {
  return createServer((req, res) => {
    serve(app, req, res).catch(() => {
      // The core never throws; this is a broken socket or a bug in this adapter. Fail closed, say nothing more.
      if (!res.headersSent) res.writeHead(500, { 'cache-control': 'no-store' });
      res.end();
    });
  });
}
