// Query-string handling that keeps every untouched parameter byte-for-byte (a signed URL covers the raw query:
// CloudFront Developer Guide, "Creating a signed URL using a canned policy"). Viewer input, bounded by CloudFront's
// 8,192-byte URL limit.

export interface QueryParam {
  /** The `name=value` part exactly as received. */
  readonly raw: string;
  /** The name as received, not decoded: CloudFront matches its own parameter names byte for byte. */
  readonly name: string;
  /** The value, decoded. */
  readonly value: string;
}

function decode(text: string): string {
  // Most values (CloudFront base64, key pair ids, numbers) hold neither, and then decoding would return them as they
  // are: skip the regex and decodeURIComponent on every signed-URL request.
  if (!text.includes('%') && !text.includes('+')) return text;
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

export function parseQuery(rawQuery: string): QueryParam[] {
  if (rawQuery === '') return [];
  return rawQuery.split('&').map((raw) => {
    const eq = raw.indexOf('=');
    const name = eq === -1 ? raw : raw.slice(0, eq);
    const value = eq === -1 ? '' : decode(raw.slice(eq + 1));
    return { raw, name, value };
  });
}

export function serializeQuery(params: readonly QueryParam[]): string {
  return params.map((param) => param.raw).join('&');
}

export function withoutParams(params: readonly QueryParam[], drop: (name: string) => boolean): QueryParam[] {
  return params.filter((param) => !drop(param.name));
}

/** The first value of `name`, or undefined. */
export function paramValue(params: readonly QueryParam[], name: string): string | undefined {
  return params.find((param) => param.name === name)?.value;
}

export function appendParam(params: readonly QueryParam[], name: string, value: string): QueryParam[] {
  const raw = `${name}=${encodeURIComponent(value)}`;
  return [...params, { raw, name, value }];
}

/** `uri` plus `?query` when there is one. */
export function joinUrl(uri: string, params: readonly QueryParam[]): string {
  const query = serializeQuery(params);
  return query === '' ? uri : `${uri}?${query}`;
}
