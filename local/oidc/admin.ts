// The stack's one admin endpoint, `POST /_dev/admin/rotate-idp-keys` on the CDN port, answered before the emulator
// (it is no CloudFront behaviour). Trust boundary: only this machine's command line may use it. The socket must be
// loopback, the Host one of the CDN's own loopback names (against DNS rebinding), and the request must carry the
// custom header `X-Edgepass-Admin` and no Origin, which a web page cannot send across origins without a preflight
// that is never granted (against cross-site requests). The answer names kids only, never key material.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RotationReport } from './local-op.ts';

export const ROTATE_PATH = '/_dev/admin/rotate-idp-keys';
export const ADMIN_HEADER = 'x-edgepass-admin';

export interface AdminOptions {
  readonly cdnPort: number;
  readonly rotate: () => RotationReport;
  readonly log: (line: string) => void;
}

const LOOPBACK_ADDRESSES = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

/** Why the request is refused (status and error code), or undefined when it may rotate. */
function refusal(req: IncomingMessage, cdnPort: number): readonly [number, string, string] | undefined {
  const hosts = [`localhost:${String(cdnPort)}`, `127.0.0.1:${String(cdnPort)}`];
  if (!LOOPBACK_ADDRESSES.has(req.socket.remoteAddress ?? '')) return [403, 'forbidden', 'loopback callers only'];
  if (!hosts.includes((req.headers.host ?? '').toLowerCase()))
    return [403, 'forbidden', `Host must be ${hosts.join(' or ')}`];
  if (req.method !== 'POST') return [405, 'method_not_allowed', 'use POST'];
  if (req.headers.origin !== undefined || req.headers[ADMIN_HEADER] === undefined) {
    return [403, 'forbidden', `send the ${ADMIN_HEADER} header and no Origin (edgepass dev rotate-idp-keys does)`];
  }
  return undefined;
}

/** A listener step: answers and returns true for the admin path, returns false for anything else. */
export function adminRoute(options: AdminOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    if (new URL(req.url ?? '/', 'http://localhost').pathname !== ROTATE_PATH) return false;
    const refused = refusal(req, options.cdnPort);
    if (refused !== undefined) {
      const [status, error, message] = refused;
      json(res, status, { error, message }, status === 405 ? { Allow: 'POST' } : {});
      options.log(`POST ${ROTATE_PATH} refused: ${message}`);
      return true;
    }
    const { previousKid, currentKid, previousPublishedUntilMs } = options.rotate();
    const previousPublishedUntil = new Date(previousPublishedUntilMs).toISOString();
    options.log(
      `dev IdP signing key rotated: ${previousKid} -> ${currentKid} (${previousKid} published until ${previousPublishedUntil})`,
    );
    json(res, 200, { previousKid, currentKid, previousPublishedUntil });
    return true;
  };
}
