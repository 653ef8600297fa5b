// The local CloudFront emulator's HTTP server (a dev tool, not a CDN): one request id per request, CloudFront's
// response headers, and a log line with method, path, status and reason. Query strings and cookies are never logged.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { dispatch } from './dispatch.ts';
import type { Answer, DistributionOptions } from './dispatch.ts';
import { splitTarget } from './event.ts';

export interface EmulatorOptions extends DistributionOptions {
  readonly log: (line: string) => void;
}

function cloudFrontHeaders(requestId: string, cache: string): [string, string][] {
  return [
    ['X-Cache', cache],
    ['Via', '1.1 local.cloudfront.net (CloudFront)'],
    ['X-Amz-Cf-Id', requestId],
  ];
}

function send(req: IncomingMessage, res: ServerResponse, answer: Answer, requestId: string): void {
  const lines: string[] = [];
  for (const [name, value] of answer.headers) lines.push(name, value);
  const cache = answer.generated === true ? 'LambdaGeneratedResponse from cloudfront' : 'Miss from cloudfront';
  for (const [name, value] of cloudFrontHeaders(requestId, cache)) lines.push(name, value);
  res.writeHead(answer.status, lines);
  const body = answer.body;
  if (req.method === 'HEAD') {
    if (body instanceof Readable) body.destroy();
    res.end();
  } else if (body instanceof Readable) {
    body.on('error', () => res.destroy());
    body.pipe(res);
  } else {
    res.end(body);
  }
}

async function handle(options: EmulatorOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  // CloudFront request ids are 56 URL-safe base64 characters.
  const requestId = randomBytes(42).toString('base64url');
  const path = splitTarget(req.url ?? '/').uri;
  const answer = await dispatch(options, req, requestId);
  send(req, res, answer, requestId);
  options.log(`${req.method ?? '?'} ${path} -> ${answer.status} (${answer.note})`);
}

/** The request listener that behaves like the distribution. */
export function createEmulatorListener(options: EmulatorOptions): http.RequestListener {
  return (req, res) => {
    handle(options, req, res).catch(() => {
      // A bug in the emulator fails closed; the request id (never the URL's secrets) goes to the log.
      options.log(`${req.method ?? '?'} request failed inside the emulator`);
      if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'text/plain' });
      res.end('emulator error');
    });
  };
}

/** An http.Server that behaves like the distribution; the caller chooses the port and closes it. */
export function createEmulatorServer(options: EmulatorOptions): http.Server {
  return http.createServer(createEmulatorListener(options));
}
