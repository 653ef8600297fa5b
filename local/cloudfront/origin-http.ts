// Custom HTTP origins on loopback (origin API, dev identity provider): the viewer's request is forwarded with
// its body, minus hop-by-hop headers, plus X-Forwarded-For and Via as CloudFront adds them.
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpOrigin } from './behaviours.ts';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te']);

function forwardedHeaders(req: IncomingMessage, clientIp: string): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
  }
  headers['x-forwarded-for'] = clientIp;
  headers['via'] = '1.1 local.cloudfront.net (CloudFront)';
  return headers;
}

/** Streams the request to the origin and the answer back; `onError` builds CloudFront's 502 when it is down. */
export function proxyToOrigin(
  origin: HttpOrigin,
  req: IncomingMessage,
  res: ServerResponse,
  extra: { clientIp: string; responseHeaders: readonly (readonly [string, string])[]; onError: () => void },
): void {
  const upstream = http.request(
    {
      host: origin.host,
      port: origin.port,
      method: req.method,
      path: req.url,
      headers: forwardedHeaders(req, extra.clientIp),
    },
    (answer) => {
      const headers: string[] = [];
      for (let i = 0; i + 1 < answer.rawHeaders.length; i += 2) {
        const name = answer.rawHeaders[i] ?? '';
        if (!HOP_BY_HOP.has(name.toLowerCase())) headers.push(name, answer.rawHeaders[i + 1] ?? '');
      }
      for (const [name, value] of extra.responseHeaders) headers.push(name, value);
      res.writeHead(answer.statusCode ?? 502, headers);
      answer.pipe(res);
    },
  );
  upstream.on('error', () => {
    if (!res.headersSent) extra.onError();
    else res.destroy();
  });
  req.pipe(upstream);
}
