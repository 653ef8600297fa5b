// Generated responses: small, never cached, never carrying a token, signature or key in an error body. Lambda@Edge
// caps a generated response at 40 KB and forbids some headers (Developer Guide, "Quotas" and "Restrictions");
// only Cache-Control, Clear-Site-Data, Content-Type, Location, Set-Cookie, WWW-Authenticate, Allow, Vary and
// Access-Control-* are used.
import type { Audience, Decision, DecisionLog } from './types.ts';

type Respond = Extract<Decision, { kind: 'respond' }>;
type Headers = Record<string, readonly string[]>;

const MESSAGES: Readonly<Record<string, string>> = {
  cookies_blocked:
    'Your browser did not keep the access cookies for this page. Allow cookies for this site, then reload.',
  no_ticket: 'Your ticket does not include this attraction, or it has ended.',
  token_expired: 'Your session has ended. Please sign in again.',
  path_unsafe: 'This address is not valid.',
  path_bad_attraction: 'This address does not name a valid attraction.',
  path_incomplete: 'This address is incomplete.',
  host_not_allowed: 'This site name is not served here.',
  internal_error: 'Something went wrong on our side. Please try again.',
  signed_out: 'You are signed out.',
  not_found: 'There is nothing at this address.',
  sign_out_unconfirmed: 'Another site asked to sign you out. To sign out, use this button.',
};

/** A form posting back to the same address: a same-origin POST, which the sign-out endpoint accepts. */
const ACTIONS: Readonly<Record<string, string>> = {
  sign_out_unconfirmed: '<form method="post"><button type="submit">Sign out</button></form>',
};

/** The next step a person can take from a page: a link built by the caller from configuration and safe paths. */
export interface NextStep {
  readonly href: string;
  readonly text: string;
}

// Inline (no request for a stylesheet), small, readable on a phone; far under the 40 KB Lambda@Edge cap.
const STYLE =
  'body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f4f6f8;color:#1f2933}' +
  'main{max-width:32rem;margin:12vh auto;padding:2rem;background:#fff;border-radius:12px;' +
  'box-shadow:0 2px 12px rgba(0,0,0,.08)}h1{font-size:1.35rem;margin:0 0 1rem}' +
  'a.next,button{display:inline-block;margin:0 .5rem .5rem 0;padding:.5rem 1rem;border-radius:8px;border:0;' +
  'background:#1a56db;color:#fff;text-decoration:none;font:inherit;cursor:pointer}' +
  'a.next.quiet{background:#e4e7eb;color:#1f2933}small{display:block;margin-top:1.5rem;color:#616e7c}';

function message(reason: string): string {
  if (reason.startsWith('token_')) return 'Please sign in to view this page.';
  if (reason.startsWith('cf_')) return 'This link is not valid or has expired.';
  if (reason.startsWith('oidc_')) return 'Signing in did not complete. Please try again.';
  return MESSAGES[reason] ?? 'This request cannot be served.';
}

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** reason and requestId are our own codes (never viewer text); links come from configuration: all HTML-escaped. */
function htmlBody(status: number, reason: string, requestId: string, next: readonly NextStep[]): string {
  const title = status < 400 ? 'edgepass' : `Error ${status}`;
  const links = next
    .map(
      (step, i) =>
        `<a class="next${i > 0 ? ' quiet' : ''}" href="${escapeHtml(step.href)}">${escapeHtml(step.text)}</a>`,
    )
    .join('');
  return (
    `<!doctype html><html lang="en"><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width,initial-scale=1"><title>${title}</title>` +
    `<style>${STYLE}</style><main><h1>${escapeHtml(message(reason))}</h1>${ACTIONS[reason] ?? ''}${links}` +
    `<small>Code: <code>${escapeHtml(reason)}</code> · Request: <code>${escapeHtml(requestId)}</code></small>` +
    `</main></html>`
  );
}

export interface Answer {
  readonly status: number;
  readonly log: DecisionLog;
  readonly audience: Audience;
  readonly requestId: string;
  readonly headers?: Headers;
  /** Extra JSON members for apps (never secrets unless the endpoint's purpose is to hand them out). */
  readonly json?: Readonly<Record<string, unknown>>;
  /** What a person can do next (HTML answers only). */
  readonly next?: readonly NextStep[];
}

export function respond(answer: Answer): Respond {
  const { status, log, audience, requestId } = answer;
  const body =
    audience === 'app'
      ? JSON.stringify({ reason: log.reason, ...answer.json, requestId })
      : htmlBody(status, log.reason, requestId, answer.next ?? []);
  const contentType = audience === 'app' ? 'application/json' : 'text/html; charset=utf-8';
  return {
    ...log,
    kind: 'respond',
    status,
    headers: { 'cache-control': ['no-store'], 'content-type': [contentType], ...answer.headers },
    body,
  };
}

/** A 302 with an empty body; Location is either relative or built from a configured origin. */
export function redirect(location: string, log: DecisionLog, setCookies: readonly string[] = []): Respond {
  const headers: Headers = { 'cache-control': ['no-store'], location: [location] };
  return {
    ...log,
    kind: 'respond',
    status: 302,
    headers: setCookies.length > 0 ? { ...headers, 'set-cookie': setCookies } : headers,
    body: '',
  };
}

/** A 204 with an empty body (a successful CORS preflight). */
export function noContent(log: DecisionLog, headers: Headers): Respond {
  return { ...log, kind: 'respond', status: 204, headers: { 'cache-control': ['no-store'], ...headers }, body: '' };
}
