// Finds the CloudFront credential pieces a viewer presented, in a signed URL's query or in cookies.
// Everything here is untrusted text: it is only located and size-checked, never interpreted.

/** Query parameters CloudFront reserves for signed URLs (AWS Developer Guide, "Use signed URLs"). */
export const signingParamNames: ReadonlySet<string> = new Set([
  'Expires',
  'Policy',
  'Signature',
  'Key-Pair-Id',
  'Hash-Algorithm',
]);

/** CloudFront's request URL limit, 8,192 bytes (Developer Guide, "Quotas"); wire URLs are ASCII, so characters. */
export const maxUrlLength = 8192;

export interface Presented {
  readonly expires?: string;
  readonly policy?: string;
  readonly signature?: string;
  readonly keyPairId?: string;
  readonly hashAlgorithm?: string;
}

type Field = keyof Presented;

const urlFields: Readonly<Record<string, Field>> = {
  Expires: 'expires',
  Policy: 'policy',
  Signature: 'signature',
  'Key-Pair-Id': 'keyPairId',
  'Hash-Algorithm': 'hashAlgorithm',
};

export type SplitUrl =
  | { readonly kind: 'unsigned' }
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'signed'; readonly resource: string; readonly presented: Presented };

/**
 * Separates the signing parameters from the rest of the URL. The resource CloudFront compares is the URL with those
 * parameters removed and every other query part kept in its original order and bytes. A URL carrying any of them is
 * a signed URL (cookies are then ignored); we count `Hash-Algorithm` too, which only a signer writes (fail closed).
 */
export function splitSignedUrl(url: string): SplitUrl {
  const queryStart = url.indexOf('?');
  if (queryStart === -1) return { kind: 'unsigned' };
  const kept: string[] = [];
  const presented: Partial<Record<Field, string>> = {};
  for (const part of url.slice(queryStart + 1).split('&')) {
    const eq = part.indexOf('=');
    const field = urlFields[eq === -1 ? part : part.slice(0, eq)];
    if (field === undefined) kept.push(part);
    else if (field in presented) return { kind: 'duplicate' };
    else presented[field] = eq === -1 ? '' : part.slice(eq + 1);
  }
  if (Object.keys(presented).length === 0) return { kind: 'unsigned' };
  const base = url.slice(0, queryStart);
  return { kind: 'signed', resource: kept.length === 0 ? base : `${base}?${kept.join('&')}`, presented };
}

export type CookieSource = ReadonlyMap<string, string> | Readonly<Record<string, string | undefined>>;

function cookieValue(cookies: CookieSource, name: string): string | undefined {
  if (cookies instanceof Map) return (cookies as ReadonlyMap<string, string>).get(name);
  const record = cookies as Readonly<Record<string, string | undefined>>;
  return Object.hasOwn(record, name) ? record[name] : undefined;
}

const cookieFields: readonly (readonly [string, Field])[] = [
  ['CloudFront-Expires', 'expires'],
  ['CloudFront-Policy', 'policy'],
  ['CloudFront-Signature', 'signature'],
  ['CloudFront-Key-Pair-Id', 'keyPairId'],
  ['CloudFront-Hash-Algorithm', 'hashAlgorithm'],
];

/** The CloudFront-* cookies present (AWS Developer Guide, "Setting signed cookies"); undefined when there are none. */
export function presentedCookies(cookies: CookieSource): Presented | undefined {
  const presented: { -readonly [F in Field]?: string } = {};
  let found = false;
  for (const [name, field] of cookieFields) {
    const value = cookieValue(cookies, name);
    if (value === undefined) continue;
    presented[field] = value;
    found = true;
  }
  return found ? presented : undefined;
}
