// Reads a request body into memory up to a bound (local stand-ins only: the S3 gate's form uploads, the function URL).
// Trust boundary: the socket is hostile; a body over the bound is never buffered whole.
import type http from 'node:http';

/** The whole body, or undefined as soon as it exceeds `maxBytes` (then the caller answers and closes). */
export async function readBoundedBody(req: http.IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  if (Number(req.headers['content-length'] ?? 0) > maxBytes) return undefined;
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > maxBytes) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
