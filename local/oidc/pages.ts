// The local provider's HTML: the sign-in form (inputs `login` and `password`, one submit button), the sign-out
// page, the error page and short messages. Local development only; the look follows the edge's own pages. Everything
// interpolated is escaped: it came from the viewer.
import { OIDC_PREFIX } from './issuer.ts';
import { devUsers } from './users.ts';

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${String(c.charCodeAt(0))};`);

// The edge's card (edge/core/responses.ts) and the demo's colours and amber tag (local/assets/demo.css); full width
// on a phone, inputs at 16px so that a phone does not zoom into them.
const STYLE =
  '*{box-sizing:border-box}body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f4f6f8;color:#1f2933}' +
  'main{max-width:30rem;margin:3vh auto;padding:1.5rem 2rem;background:#fff;border-radius:12px;' +
  'box-shadow:0 2px 12px rgba(0,0,0,.08)}@media (max-width:30rem){main{margin:0;min-height:100vh;' +
  'border-radius:0;box-shadow:none;padding:1.25rem}}.tag{display:inline-block;font-size:.8rem;padding:.1rem .6rem;' +
  'border-radius:999px;background:#f0b429;color:#102a43}h1{font-size:1.35rem;margin:.6rem 0 .4rem}' +
  'p{margin:.5rem 0}label{display:block;margin:.75rem 0 0;font-weight:600}input{display:block;width:100%;' +
  'margin-top:.25rem;padding:.55rem .7rem;font:inherit;font-weight:400;border:1px solid #bcccdc;border-radius:8px}' +
  'input:focus{outline:2px solid #1a56db;outline-offset:1px}button,a.next{display:inline-block;margin-top:1rem;' +
  'padding:.6rem 1.1rem;border:0;border-radius:8px;background:#1a56db;color:#fff;font:inherit;text-decoration:none;' +
  'cursor:pointer}form button{width:100%}.notice{background:#fde8e8;color:#9b1c1c;border-radius:8px;' +
  'padding:.5rem .75rem}.hint{margin-top:1.25rem;padding-top:.5rem;border-top:1px solid #d9e2ec;color:#616e7c;' +
  'font-size:.9rem}.hint table{border-collapse:collapse}.hint td{padding:.1rem 1rem .1rem 0;vertical-align:top}';

const page = (title: string, body: string): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main>
<span class="tag">Local development provider</span>
${body}
</main></body></html>
`;

/** Who can sign in, and what each one's ID token will hold: the dev users of ./users.ts. */
function devUsersHint(): string {
  const rows = devUsers().map(
    ([login, tickets]) =>
      `<tr><td><code>${escapeHtml(login)}</code></td><td>${escapeHtml(tickets.join(', '))}</td></tr>`,
  );
  return `<div class="hint"><p>Dev users and the tickets in their ID token:</p>
<table>
${rows.join('\n')}
</table>
<p>Other names sign in with no tickets (to see a refusal).</p></div>`;
}

/** The form for interaction `uid`; `problem` is shown above it after a refused submission. */
export function signInPage(uid: string, problem?: string): string {
  const notice = problem === undefined ? '' : `<p class="notice" role="alert">${escapeHtml(problem)}</p>\n`;
  const action = escapeHtml(`${OIDC_PREFIX}/interaction/${encodeURIComponent(uid)}/login`);
  const suggestions = devUsers().map(([login]) => `<option value="${escapeHtml(login)}">`);
  return page(
    'edgepass dev sign-in',
    `<h1>Dev sign-in</h1>
<p>Runs on your machine, for <code>npm&nbsp;start</code> only: any password works.</p>
${notice}<form method="post" action="${action}">
  <label for="login">User name <input id="login" name="login" value="alice" required autocomplete="username"
    autocapitalize="none" spellcheck="false" list="dev-users"></label>
  <label for="password">Password <input id="password" name="password" type="password"
    autocomplete="current-password" placeholder="any password"></label>
  <button type="submit">Sign in</button>
</form>
<datalist id="dev-users">${suggestions.join('')}</datalist>
${devUsersHint()}`,
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
<p>This ends your session at the local development provider.</p>
${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes" autofocus>Sign out</button>
${script}`,
  );
}

const BACK = '<a class="next" href="/">Back to the demo</a>';

export function signedOutPage(): string {
  return page('edgepass dev sign-out', `<h1>Signed out</h1>\n<p>The local provider's session has ended.</p>\n${BACK}`);
}

/** oidc-provider's error output (`error`, `error_description`): codes and descriptions, never a token. */
export function errorPage(out: Readonly<Record<string, unknown>>): string {
  const text = (value: unknown) => (typeof value === 'string' ? escapeHtml(value) : '');
  return page(
    'edgepass dev sign-in error',
    `<h1>Sign-in error</h1>\n<p><code>${text(out['error'])}</code> ${text(out['error_description'])}</p>\n${BACK}`,
  );
}

/** A short page of our own (an expired interaction, a wrong method): a heading and one sentence. */
export function messagePage(heading: string, sentence: string): string {
  return page(
    `edgepass dev sign-in: ${heading}`,
    `<h1>${escapeHtml(heading)}</h1>\n<p>${escapeHtml(sentence)}</p>\n${BACK}`,
  );
}
