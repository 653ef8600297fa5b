// The provider's interaction pages: the sign-in form and its submission (any password; the login names the dev
// user). Consent never reaches here for the local client (provider.ts grants it implicitly). Trust boundary: the
// form body and the interaction id come from the viewer; the interaction itself is oidc-provider's, cookie-bound.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Provider } from './oidc-types.ts';
import { readBoundedBody } from '../http-body.ts';
import { messagePage, signInPage } from './pages.ts';
import { LOGIN_PATTERN } from './users.ts';

const MAX_FORM_BYTES = 16 * 1024;
const ROUTE = /^\/interaction\/([A-Za-z0-9_-]{1,64})(\/login)?$/;

export interface InteractionRoute {
  readonly uid: string;
  /** The form's submission (POST …/login) rather than the form itself (GET …). */
  readonly submit: boolean;
}

/** The interaction a path (below the provider's prefix) names, if any. */
export function interactionRoute(path: string): InteractionRoute | undefined {
  const match = ROUTE.exec(path);
  return match?.[1] === undefined ? undefined : { uid: match[1], submit: match[2] !== undefined };
}

function html(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  res.end(body);
}

async function submitted(req: IncomingMessage): Promise<{ login: string } | string> {
  const body = await readBoundedBody(req, MAX_FORM_BYTES);
  if (body === undefined) return 'The form is too large.';
  const login = new URLSearchParams(body.toString('utf8')).get('login')?.trim() ?? '';
  return LOGIN_PATTERN.test(login) ? { login } : 'User must be 1-64 letters, digits or _ . @ + -';
}

export async function runInteraction(
  provider: Provider,
  route: InteractionRoute,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const method = req.method ?? '';
  const allowed = route.submit ? 'POST' : 'GET';
  if (method !== allowed) {
    html(res, 405, messagePage('Method not allowed', `This address answers ${allowed} only.`), { Allow: allowed });
    return;
  }
  const details = await provider.interactionDetails(req, res).catch(() => undefined);
  if (details?.uid !== route.uid) {
    const sentence = 'This sign-in has expired or belongs to another browser: start again from the app.';
    html(res, 400, messagePage('Sign-in expired', sentence));
    return;
  }
  if (details.prompt.name !== 'login') {
    const error = { error: 'access_denied', error_description: 'only the local client is served here' };
    await provider.interactionFinished(req, res, error, { mergeWithLastSubmission: false });
    return;
  }
  if (!route.submit) {
    html(res, 200, signInPage(route.uid));
    return;
  }
  const input = await submitted(req);
  if (typeof input === 'string') {
    html(res, 400, signInPage(route.uid, input));
    return;
  }
  await provider.interactionFinished(
    req,
    res,
    { login: { accountId: input.login } },
    { mergeWithLastSubmission: false },
  );
}
