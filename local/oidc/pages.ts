// The local provider's HTML: the sign-in form (inputs `login` and `password`, one submit button), the sign-out
// page and the error page. Local development only. Everything interpolated is escaped: it came from the viewer.
import { OIDC_PREFIX } from './issuer.ts';

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${String(c.charCodeAt(0))};`);

const page = (title: string, body: string): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font:16px system-ui;margin:3rem auto;max-width:32rem}label{display:block;margin:.6rem 0}
.notice{background:#fff3cd;border-radius:6px;padding:.5rem .75rem}</style></head>
<body>
${body}
</body></html>
`;

/** The form for interaction `uid`; `problem` is shown above it after a refused submission. */
export function signInPage(uid: string, problem?: string): string {
  const notice = problem === undefined ? '' : `<p class="notice" role="alert">${escapeHtml(problem)}</p>\n`;
  return page(
    'edgepass dev sign-in',
    `<h1>Dev sign-in</h1>
${notice}<p><strong>Local development only.</strong> Any password signs in. Dev users: <code>alice</code> (Giant's
Causeway), <code>bob</code> (Titanic Belfast), <code>carol</code> (both); any other name signs in with no tickets.</p>
<form method="post" action="${OIDC_PREFIX}/interaction/${encodeURIComponent(uid)}/login">
  <label>User <input name="login" value="alice" required autocomplete="username"></label>
  <label>Password <input name="password" type="password" autocomplete="current-password"></label>
  <button type="submit">Sign in</button>
</form>`,
  );
}

/**
 * RP-initiated logout's confirmation (OpenID Connect RP-Initiated Logout 1.0 §3 lets the OP ask the user). For the
 * local client the form submits itself with `logout=yes`, as if the user had said yes: no extra click locally.
 * `form` is oidc-provider's own form (its action and xsrf field).
 */
export function signOutPage(form: string, autoSubmit: boolean): string {
  const script = autoSubmit
    ? `<script>(() => { const f = document.getElementById('op.logoutForm'); const i = document.createElement('input');
i.type = 'hidden'; i.name = 'logout'; i.value = 'yes'; f.append(i); f.submit(); })();</script>`
    : '';
  return page(
    'edgepass dev sign-out',
    `<h1>Sign out?</h1>
${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes" autofocus>Sign out</button>
${script}`,
  );
}

export function signedOutPage(): string {
  return page('edgepass dev sign-out', '<h1>Signed out</h1>\n<p><a href="/">Back to the demo</a></p>');
}

/** oidc-provider's error output (`error`, `error_description`): codes and descriptions, never a token. */
export function errorPage(out: Readonly<Record<string, unknown>>): string {
  const text = (value: unknown) => (typeof value === 'string' ? escapeHtml(value) : '');
  return page(
    'edgepass dev sign-in error',
    `<h1>Sign-in error</h1>\n<p><code>${text(out['error'])}</code> ${text(out['error_description'])}</p>`,
  );
}
