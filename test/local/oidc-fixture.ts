// Test fixture: a browser's part in the local provider's authorization-code + PKCE flow, driven with fetch: a small
// cookie jar (name, path, deletion), a PKCE pair, the sign-in form submitted with `login` and `password`, and the
// code exchanged at the token endpoint. Loopback only.
import { createHash, randomBytes } from 'node:crypto';

export const CLIENT_ID = 'edgepass-demo';

interface Cookie {
  readonly name: string;
  readonly value: string;
  readonly path: string;
}

/** Keeps what Set-Cookie says, and sends the cookies whose Path covers the request's path. */
export class CookieJar {
  #cookies: Cookie[] = [];

  store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const attribute = (key: string) =>
        attributes.find((a) => a.toLowerCase().startsWith(`${key}=`))?.slice(key.length + 1);
      const path = attribute('path') ?? '/';
      const expired =
        attribute('max-age') === '0' || new Date(attribute('expires') ?? Date.now() + 1000).getTime() < Date.now();
      this.#cookies = this.#cookies.filter((c) => c.name !== name || c.path !== path);
      if (!expired && value !== '') this.#cookies.push({ name, value, path });
    }
  }

  header(url: string): string {
    const { pathname } = new URL(url);
    return this.#cookies
      .filter((c) => pathname === c.path || pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`))
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }

  names(): string[] {
    return this.#cookies.map((c) => c.name);
  }
}

/** One request as a browser would send it (no redirect followed), its cookies kept. */
export async function browse(jar: CookieJar, url: string, init: RequestInit = {}): Promise<Response> {
  const res = await fetch(url, {
    ...init,
    redirect: 'manual',
    headers: { ...(init.headers as Record<string, string> | undefined), cookie: jar.header(url) },
  });
  jar.store(res);
  return res;
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export const redirectUri = (cdn: string) => `${cdn}/_edgepass/callback`;

export function authorizeUrl(cdn: string, params: Record<string, string>): string {
  const query = new URLSearchParams({
    client_id: CLIENT_ID,
    response_type: 'code',
    redirect_uri: redirectUri(cdn),
    scope: 'openid',
    state: 'st-1',
    nonce: 'n-1',
    ...params,
  });
  return `${cdn}/_dev/oidc/auth?${query.toString()}`;
}

/** Follows the provider's redirects (not the one to the client) from `url`: where it stops, and the last response. */
export async function follow(jar: CookieJar, cdn: string, url: string): Promise<Response> {
  let res = await browse(jar, url);
  for (let hops = 0; hops < 10 && res.status >= 300 && res.status < 400; hops++) {
    const next = new URL(res.headers.get('location') ?? '', url).href;
    if (!next.startsWith(`${cdn}/_dev/oidc/`)) return res;
    res = await browse(jar, next);
    url = next;
  }
  return res;
}

/** Reads the sign-in form: its action and its input names. */
export function readForm(html: string): { action: string; inputs: string[]; buttons: number } {
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1] ?? '';
  const inputs = [...html.matchAll(/<input[^>]*name="([^"]+)"/g)].map((m) => m[1] ?? '');
  const buttons = [...html.matchAll(/<button[^>]*type="submit"/g)].length;
  return { action, inputs, buttons };
}

/**
 * Signs `login` in through the whole flow: authorization request, sign-in form, implicit consent. Resolves with the
 * authorization code (or the response where the flow stopped, for refusals).
 */
export async function signIn(
  cdn: string,
  login: string,
  params: Record<string, string>,
  jar = new CookieJar(),
): Promise<{ code: string | undefined; res: Response; jar: CookieJar }> {
  const form = await follow(jar, cdn, authorizeUrl(cdn, params));
  if (form.status !== 200) return { code: undefined, res: form, jar };
  const { action } = readForm(await form.text());
  const body = new URLSearchParams({ login, password: 'anything' }).toString();
  const posted = await browse(jar, `${cdn}${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
  const done = await follow(jar, cdn, new URL(posted.headers.get('location') ?? '', cdn).href);
  const location = new URL(done.headers.get('location') ?? '/', cdn);
  return { code: location.searchParams.get('code') ?? undefined, res: done, jar };
}

export async function tokenRequest(cdn: string, params: Record<string, string>): Promise<Response> {
  return fetch(`${cdn}/_dev/oidc/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: CLIENT_ID, ...params }).toString(),
  });
}
