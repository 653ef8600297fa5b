// The dev identity provider behind `/_dev/*` (local stack only, never deployed): anyone can sign in as anyone,
// which is the point. It issues JWTs for a chosen user and tickets (apps and tests; browsers sign in at the edge),
// tells the demo who its session is (`/_dev/session`), and serves the local OpenID Provider below `/_dev/oidc`
// (local/oidc/), whose current key and issuer its tokens share.
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { issueToken, readTokenRequest } from './dev-token.ts';
import type { DevIdentity } from './dev-token.ts';
import type { SessionProfile } from './dev-session.ts';
import { loginPage } from './login-page.ts';

export interface DevIdpOptions {
  /** A fixed identity, or the provider's current one (its key rotates) read for each token. */
  readonly identity: DevIdentity | (() => DevIdentity);
  readonly sessionCookieName: string;
  /** Secure cookies only when the CDN speaks https (dev config: plain http on localhost). */
  readonly secureCookies: boolean;
  readonly nowMs: () => number;
  /** Verifies the session cookie for `GET /_dev/session` (absent: that path is 404). */
  readonly session?: (cookieHeader: string | undefined) => Promise<SessionProfile | undefined>;
  /** The OpenID Provider's handler for paths below `/_dev/oidc` (absent: those paths are 404). */
  readonly oidc?: {
    readonly handles: (path: string) => boolean;
    readonly handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  };
}

const MAX_BODY_BYTES = 16 * 1024;

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', () => {
      resolve(undefined);
    });
  });
}

/** JSON or form body, or the query string for GET: always a flat record of strings/lists. */
async function readInput(req: IncomingMessage, url: URL): Promise<Record<string, unknown> | undefined> {
  if (req.method === 'GET') return Object.fromEntries(url.searchParams);
  const body = await readBody(req);
  if (body === undefined) return undefined;
  if ((req.headers['content-type'] ?? '').includes('application/json')) {
    try {
      const parsed: unknown = JSON.parse(body);
      return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
        ? (parsed as Record<string, unknown>)
        : undefined;
    } catch {
      return undefined;
    }
  }
  return Object.fromEntries(new URLSearchParams(body));
}

/** Only a same-site relative path: never an open redirect. */
function safeReturn(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])[\x21-\x7e]*$/.test(value) ? value : '/';
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string | string[]> = {}) {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

function cookieLine(options: DevIdpOptions, value: string, maxAgeSeconds: number): string {
  const secure = options.secureCookies ? '; Secure' : '';
  return `${options.sessionCookieName}=${value}; Path=/; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Lax${secure}`;
}

async function signIn(options: DevIdpOptions, req: IncomingMessage, res: ServerResponse, url: URL, setCookie: boolean) {
  const input = await readInput(req, url);
  const request = input === undefined ? 'the body must be JSON or a form of at most 16 KB' : readTokenRequest(input);
  if (typeof request === 'string') {
    json(res, 400, { error: 'bad_request', message: request });
    return;
  }
  const identity = typeof options.identity === 'function' ? options.identity() : options.identity;
  const token = await issueToken(identity, request, options.nowMs());
  const answer = {
    token,
    tokenType: 'Bearer',
    expiresIn: request.ttlSeconds,
    user: request.user,
    tickets: request.tickets,
  };
  const cookie = cookieLine(options, token, request.ttlSeconds);
  if (!setCookie || (req.headers['content-type'] ?? '').includes('application/json')) {
    json(res, 200, answer, setCookie ? { 'Set-Cookie': cookie } : {});
    return;
  }
  res.writeHead(303, { Location: safeReturn(input?.['return_to']), 'Set-Cookie': cookie, 'Cache-Control': 'no-store' });
  res.end();
}

async function route(options: DevIdpOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const key = `${req.method ?? ''} ${url.pathname}`;
  if (options.oidc?.handles(url.pathname) === true) await options.oidc.handle(req, res);
  else if (key === 'GET /_dev/login') {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    const expired = url.searchParams.get('reason') === 'token_expired';
    res.end(loginPage(safeReturn(url.searchParams.get('return_to')), expired));
  } else if (key === 'POST /_dev/login') await signIn(options, req, res, url, true);
  else if (key === 'GET /_dev/token' || key === 'POST /_dev/token') await signIn(options, req, res, url, false);
  else if (key === 'GET /_dev/session' && options.session !== undefined) {
    // The demo's "who am I": the profile only, never the token; 401 without a session that verifies.
    const profile = await options.session(req.headers.cookie);
    if (profile === undefined) json(res, 401, { error: 'no_session', message: 'no session cookie that verifies' });
    else json(res, 200, profile);
  } else if (key === 'POST /_dev/logout') {
    // One sign-out for everything: the edge's endpoint clears the session and every CloudFront cookie it minted.
    // 307 keeps the POST (RFC 9110 §15.4.8), so the endpoint sees a same-origin POST, as from its own button.
    res.writeHead(307, { Location: '/_edgepass/sign-out', 'Cache-Control': 'no-store' });
    res.end();
  } else json(res, 404, { error: 'not_found', message: 'try GET /_dev/session, /_dev/token, GET or POST /_dev/login' });
}

export function createDevIdpServer(options: DevIdpOptions): http.Server {
  return http.createServer((req, res) => {
    route(options, req, res).catch(() => {
      if (!res.headersSent) json(res, 500, { error: 'internal_error' });
      else res.destroy();
    });
  });
}
