// The demo page's status lines and how it reads a refusal: the edge's reason code (JSON `reason`, or the
// WWW-Authenticate error_description), the origin API's problem `code` and `detail` (RFC 9457), S3's XML `Code`.
// Everything a server says goes into the page as text (textContent), never as HTML. Dev only.

/** The edge's reason codes the demo explains in words; any other code is shown as it came. */
const REASONS = {
  token_missing: 'you are not signed in',
  token_expired: 'your session has ended',
  no_ticket: 'your tickets do not include this attraction, or the ticket has ended',
  cookies_blocked: 'the browser did not keep the access cookies',
};

/** Words for a reason code, or '' for a code the demo does not know (its code is shown anyway). */
export const reasonText = (code) => REASONS[code] ?? (code.startsWith('token_') ? 'your session is not valid' : '');

/**
 * One status line: a bold label that names the state in words (colour is never the only signal), the text, and the
 * code a server gave, if any. `state` picks the colour: allowed / uploaded (green), sign-in (amber), refused / error
 * (red), idle / signed-out (grey), signed-in (blue).
 */
export function show(el, { state, label, text, code }) {
  const parts = [];
  if (label) {
    const strong = document.createElement('strong');
    strong.textContent = label;
    parts.push(strong, ' ');
  }
  parts.push(text);
  if (code) {
    const tag = document.createElement('code');
    tag.textContent = code;
    parts.push(' ', tag);
  }
  el.replaceChildren(...parts);
  el.dataset.state = state;
}

const bearerError = (challenge) => /error_description="([^"]*)"/.exec(challenge ?? '')?.[1];

/**
 * What a refusal says, from whichever server gave it: `{ status, code, detail }`. The edge answers a fetch with
 * `{ reason, requestId }`; the origin API with problem details (`code`, `detail`, field `errors`); the dev identity
 * provider with `{ error, message }`; S3 with XML.
 */
export async function problemOf(res) {
  const text = await res.text().catch(() => '');
  let body = {};
  try {
    const parsed = JSON.parse(text);
    if (parsed !== null && typeof parsed === 'object') body = parsed;
  } catch {
    body = { code: /<Code>([^<]*)<\/Code>/.exec(text)?.[1], detail: /<Message>([^<]*)<\/Message>/.exec(text)?.[1] };
  }
  const code = body.code ?? body.reason ?? body.error ?? bearerError(res.headers.get('www-authenticate')) ?? '';
  const fields = Array.isArray(body.errors) ? body.errors.map((e) => e.field + ': ' + e.detail) : [];
  const detail = [body.detail ?? body.message, ...fields].filter((d) => typeof d === 'string' && d !== '');
  return { status: res.status, code: String(code), detail: detail.join(' ') };
}
