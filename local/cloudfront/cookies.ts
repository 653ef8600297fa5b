// Parses a viewer's Cookie header (untrusted) into a bounded map; the first occurrence of a name wins.
const MAX_COOKIES = 64;

export function parseCookieHeader(header: string | undefined): ReadonlyMap<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';').slice(0, MAX_COOKIES * 2)) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (name !== '' && !cookies.has(name) && cookies.size < MAX_COOKIES) cookies.set(name, part.slice(eq + 1).trim());
  }
  return cookies;
}
