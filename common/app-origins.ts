// The top-level `appOrigins` list: the browser origins (single-page apps) allowed to call the CDN and the API across
// origins. One parser for the edge, the origin API and infra. Untrusted operator input; every problem is collected.

/** More would make the list a policy nobody reviews (and S3 and CloudFront CORS rules carry it too). */
export const MAX_APP_ORIGINS = 20;

const EXAMPLE = '"https://app.example.com"';

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/**
 * Why `value` is not an app origin, or undefined when it is one. Browsers send `Origin` as the serialised origin
 * (RFC 6454 §6.1; WHATWG URL "origin"), and the edge and the API compare it byte for byte, so only that exact
 * spelling is accepted: lower-case scheme and host, no default port, no trailing slash.
 */
function problemWith(value: string): string | undefined {
  // A wildcard can never be combined with credentials (Fetch Standard, "CORS check"), and a list is explicit.
  if (value.includes('*')) return 'must name one origin ("*" is never allowed)';
  const url = parseUrl(value);
  if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    return `must be an origin such as ${EXAMPLE} (scheme, host, optional port; no path)`;
  }
  const loopback = url.hostname === 'localhost' || url.hostname === '127.0.0.1';
  if (url.protocol === 'http:' && !loopback) return 'must use https (http only for localhost or 127.0.0.1)';
  if (url.origin !== value) {
    return `must be exactly the origin a browser sends, "${url.origin}" (no path, query, credentials or default port)`;
  }
  return undefined;
}

/** The allowed app origins (empty when the key is absent); problems are pushed to `problems`, never thrown. */
export function parseAppOrigins(raw: unknown, problems: string[]): string[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    problems.push(`appOrigins must be an array of origins such as [${EXAMPLE}]`);
    return [];
  }
  const origins: string[] = [];
  raw.forEach((value: unknown, index) => {
    const where = `appOrigins[${index}]`;
    if (typeof value !== 'string') return void problems.push(`${where} must be a string such as ${EXAMPLE}`);
    const why = problemWith(value);
    if (why !== undefined) problems.push(`${where} ${why}`);
    else if (origins.includes(value)) problems.push(`${where} "${value}" is listed twice`);
    else origins.push(value);
  });
  if (raw.length > MAX_APP_ORIGINS) problems.push(`appOrigins must list at most ${MAX_APP_ORIGINS} origins`);
  return origins;
}
