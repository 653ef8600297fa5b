// Checks a redirect the edge answered before following it: the same origin, the same object, no token anywhere in
// it (docs/edge.md: "no token reaches a Location"), and, for the bearer flow, a CloudFront signed URL.
import type { StepContext } from './context.ts';
import { secondsLeft } from './context.ts';

const KEY_PAIR_ID = /^K[A-Z0-9]{1,40}$/;

/** The absolute URL a Location names, or why it must not be followed. */
export function sameObject(ctx: StepContext, location: string | null, path: string): URL | string {
  if (location === null || location === '') return 'no Location';
  let url: URL;
  try {
    url = new URL(location, ctx.plan.origin);
  } catch {
    return 'Location is not a URL';
  }
  if (url.origin !== ctx.plan.origin) return `Location on another origin (${url.host.slice(0, 80)})`;
  if (url.pathname !== path) return 'Location names another path';
  if (location.includes(ctx.plan.token) || location.includes(encodeURIComponent(ctx.plan.token))) {
    return 'the token is in Location';
  }
  return url;
}

/** `key K…, 60 s` for a signed URL, or why it is not one. */
export function signedUrlFacts(ctx: StepContext, url: URL): string | { readonly summary: string } {
  const params = url.searchParams;
  const signature = params.get('Signature');
  const keyPairId = params.get('Key-Pair-Id');
  ctx.rec.secret(signature ?? undefined, params.get('Policy') ?? undefined);
  if (signature === null || keyPairId === null) return 'Location is not a signed URL (Signature, Key-Pair-Id)';
  const expires = params.get('Expires');
  const key = KEY_PAIR_ID.test(keyPairId) ? `key ${keyPairId}` : 'key pair id';
  if (expires === null) return { summary: `${key}, custom policy` };
  if (!/^[0-9]{1,12}$/.test(expires)) return 'Expires is not a time';
  const left = secondsLeft(ctx, Number(expires));
  return left > 0 ? { summary: `${key}, ${String(left)} s` } : 'the signed URL has already expired';
}

/** The same URL with one character of its Signature changed (base64 stays base64). */
export function tampered(url: string): string | undefined {
  const match = /([?&]Signature=)([^&]{12,})/.exec(url);
  const value = match?.[2];
  if (match === null || value === undefined) return undefined;
  const changed = `${value.slice(0, 10)}${value[10] === 'A' ? 'B' : 'A'}${value.slice(11)}`;
  return `${url.slice(0, match.index)}${match[1] ?? ''}${changed}${url.slice(match.index + match[0].length)}`;
}
