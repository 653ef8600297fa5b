// The optional `jwksUri` of an issuer entry and its `jwksRefetch` tuning (key rotation without a redeploy): checked
// when the config is parsed, defaults explicit and documented (docs/edge.md, "Key rotation at the identity provider").
import { checkInteger, isRecord } from './checks.ts';

/** One bounded refetch of an issuer's JWKS (common/jwt/jwks-fetch.ts). */
export interface JwksRefetch {
  /** https, or http to a loopback host (the local stack). */
  readonly uri: string;
  /** No new fetch for this issuer sooner than this after the last one, whatever its outcome. @default 30 */
  readonly minIntervalSeconds: number;
  /** The whole fetch, body included, is aborted after this; at most 1500. @default 1500 */
  readonly timeoutMs: number;
  /** A longer body (declared or streamed) is refused. @default 65536 */
  readonly maxBytes: number;
}

const DEFAULT_JWKS_REFETCH = { minIntervalSeconds: 30, timeoutMs: 1500, maxBytes: 65_536 } as const;
const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

/** `jwksUri` must be https (http only to a loopback host: the local stack), without credentials or fragment. */
function isJwksUri(raw: unknown): raw is string {
  if (typeof raw !== 'string' || !URL.canParse(raw)) return false;
  const url = new URL(raw);
  const scheme = url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.includes(url.hostname));
  return scheme && url.username === '' && url.password === '' && url.hash === '';
}

/** `jwksUri` and its optional `jwksRefetch` tuning; undefined when the entry has no `jwksUri`. */
export function parseRefetch(uri: unknown, tuning: unknown, problems: string[], at: string): JwksRefetch | undefined {
  if (uri === undefined || uri === null) {
    if (tuning !== undefined) problems.push(`${at}.jwksRefetch needs ${at}.jwksUri`);
    return undefined;
  }
  if (!isJwksUri(uri)) {
    problems.push(`${at}.jwksUri must be an https URL (http only to localhost, 127.0.0.1 or [::1])`);
  }
  const raw = tuning ?? {};
  if (!isRecord(raw)) {
    problems.push(`${at}.jwksRefetch must be an object`);
    return undefined;
  }
  for (const key of Object.keys(raw)) {
    if (!(key in DEFAULT_JWKS_REFETCH)) problems.push(`${at}.jwksRefetch.${key} is not a known setting`);
  }
  const setting = (key: keyof typeof DEFAULT_JWKS_REFETCH, min: number, max: number) =>
    checkInteger(raw[key], DEFAULT_JWKS_REFETCH[key], min, max, problems, `${at}.jwksRefetch.${key}`);
  return {
    uri: uri as string,
    minIntervalSeconds: setting('minIntervalSeconds', 1, 3600),
    timeoutMs: setting('timeoutMs', 100, 1500),
    maxBytes: setting('maxBytes', 1024, 1_048_576),
  };
}
