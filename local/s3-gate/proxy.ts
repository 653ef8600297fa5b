// Forwarding to s3rver: method, path, query, headers and body unchanged (the SigV4 signature covers them), and the
// answer streamed back without s3rver's own CORS headers (the gate is the only CORS source). Hop-by-hop headers stay
// on their own hop (RFC 9110 §7.6.1).
import http from 'node:http';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'upgrade']);

function endToEnd(rawHeaders: readonly string[], drop: (lowerName: string) => boolean): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] ?? '';
    const lower = name.toLowerCase();
    if (!HOP_BY_HOP.has(lower) && !drop(lower)) out.push(name, rawHeaders[i + 1] ?? '');
  }
  return out;
}

/** Sends the request upstream; `body` replaces the (already consumed) request stream when given. */
export function forwardRequest(
  req: http.IncomingMessage,
  upstream: { readonly host: string; readonly port: number },
  agent: http.Agent,
  body: Buffer | undefined,
): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const upstreamReq = http.request({
      host: upstream.host,
      port: upstream.port,
      method: req.method,
      path: req.url,
      headers: endToEnd(req.rawHeaders, () => false),
      agent,
    });
    upstreamReq.once('response', resolve);
    upstreamReq.once('error', reject);
    if (body !== undefined) {
      upstreamReq.end(body);
      return;
    }
    req.once('error', (error) => upstreamReq.destroy(error));
    req.pipe(upstreamReq);
  });
}

/** Streams s3rver's answer back, minus its `Access-Control-*`/`Vary` headers, plus the gate's CORS headers. */
export function relayResponse(
  upstreamRes: http.IncomingMessage,
  res: http.ServerResponse,
  corsHeaders: readonly (readonly [string, string])[],
): void {
  const headers = endToEnd(upstreamRes.rawHeaders, (name) => name.startsWith('access-control-') || name === 'vary');
  for (const [name, value] of corsHeaders) headers.push(name, value);
  res.writeHead(upstreamRes.statusCode ?? 502, headers);
  res.once('close', () => upstreamRes.destroy());
  // Headers are sent: a failure mid-body can only cut the connection, as S3 would.
  upstreamRes.once('error', () => res.destroy());
  upstreamRes.pipe(res);
}
