// The dev identity provider's sign-in form (local stack only). The return path is escaped: it came from the viewer.

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** `expired`: the edge sent the browser here because its session ended (`reason=token_expired`). */
export function loginPage(returnTo: string, expired = false): string {
  const notice = expired ? '<p class="notice" role="status">Your session has ended. Please sign in again.</p>\n' : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>edgepass dev sign-in</title>
<style>body{font:16px system-ui;margin:3rem auto;max-width:32rem}label{display:block;margin:.6rem 0}
.notice{background:#fff3cd;border-radius:6px;padding:.5rem .75rem}</style></head>
<body>
<h1>Dev sign-in</h1>
${notice}<p><strong>Local development only.</strong> Anyone can be anyone here: pick a user and the tickets they hold.</p>
<form method="post" action="/_dev/login">
  <input type="hidden" name="return_to" value="${escapeHtml(returnTo)}">
  <label>User <input name="user" value="alice" required pattern="[A-Za-z0-9_.@+-]{1,64}"></label>
  <label>Tickets (comma-separated) <input name="tickets" value="giants-causeway"></label>
  <button type="submit">Sign in</button>
</form>
</body></html>
`;
}
