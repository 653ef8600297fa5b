// The `jwt` section of the configuration, shared by the edge and the origin API: validated once, all problems at once.
// One issuer entry (an object) or several (an array); each entry's keys are trusted for its own issuer only.
// Security settings have no silent defaults: issuer, audience (null is the explicit opt-out), algorithms and keys.
import type { JSONWebKeySet } from 'jose';
import { checkInteger, checkJwks, isNonEmptyString, isRecord, isStringList } from './checks.ts';
import { parseRefetch } from './refetch-options.ts';
import type { JwksRefetch } from './refetch-options.ts';

/** Asymmetric algorithms only: HS* would let anyone holding the (public) JWKS forge tokens. */
export const JWT_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
] as const;
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];

/** One trusted issuer: its keys verify only tokens whose `iss` is exactly `issuer`. */
export interface IssuerOptions {
  readonly issuer: string;
  /** `null` skips the audience check (explicit opt-out, never a default). */
  readonly audience: string | readonly string[] | null;
  readonly algorithms: readonly JwtAlgorithm[];
  /** Baked-in keys (no network at cold start or per request). */
  readonly jwks: JSONWebKeySet;
  readonly clockToleranceSeconds: number;
  readonly maxTokenBytes: number;
  /**
   * The JOSE header `typ` every token must carry, e.g. `at+jwt` (RFC 9068) so that an ID token or a logout token of
   * the same issuer is not accepted as an access token. @default null: not checked
   */
  readonly typ: string | null;
  /**
   * Where to fetch the issuer's current JWKS when a token names a `kid` no known key has (key rotation without a
   * redeploy): the config's `jwksUri` with its `jwksRefetch` tuning, defaults filled in. Absent: baked keys only.
   */
  readonly refetch?: JwksRefetch;
}

export interface JwtOptions {
  /** At least one; issuers are distinct. */
  readonly issuers: readonly IssuerOptions[];
}

export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 30;
export const DEFAULT_MAX_TOKEN_BYTES = 4096;
const MAX_ISSUERS = 8;
const MAX_ISSUER_CHARS = 512;

/** An issuer is compared byte for byte (RFC 7519 §4.1.1); it must survive UTF-8 unchanged, as folder names use it. */
function checkIssuer(issuer: unknown, problems: string[], at: string): void {
  if (isStringList(issuer)) {
    problems.push(
      `${at}.issuer must be one issuer: list several as separate entries, "jwt": [{ "issuer": ... }, ...], each with its own keys`,
    );
  } else if (!isNonEmptyString(issuer) || issuer.length > MAX_ISSUER_CHARS) {
    problems.push(`${at}.issuer must be a string of at most ${MAX_ISSUER_CHARS} characters`);
  } else if (Buffer.from(issuer, 'utf8').toString('utf8') !== issuer) {
    problems.push(`${at}.issuer must be well-formed Unicode`);
  }
}

const ENTRY_KEYS = [
  'issuer',
  'audience',
  'algorithms',
  'jwks',
  'clockToleranceSeconds',
  'maxTokenBytes',
  'typ',
  'jwksUri',
  'jwksRefetch',
];

/** Validates one issuer entry, pushing every problem into `problems` (prefixed with `at`). */
function parseIssuer(raw: unknown, problems: string[], at: string): IssuerOptions | undefined {
  if (!isRecord(raw)) {
    problems.push(`${at} must be an object`);
    return undefined;
  }
  const before = problems.length;
  const { issuer, audience, algorithms } = raw;
  checkIssuer(issuer, problems, at);
  if (audience === undefined) problems.push(`${at}.audience is required (use null to skip the audience check)`);
  else if (audience !== null && !isNonEmptyString(audience) && !isStringList(audience)) {
    problems.push(`${at}.audience must be a string, a list of strings, or null`);
  }
  const known: readonly string[] = JWT_ALGORITHMS;
  if (!isStringList(algorithms) || !algorithms.every((a) => known.includes(a))) {
    problems.push(`${at}.algorithms must list one or more of ${JWT_ALGORITHMS.join(', ')}`);
  }
  const jwks = checkJwks(raw.jwks, problems, at);
  const clockToleranceSeconds = checkInteger(
    raw.clockToleranceSeconds,
    DEFAULT_CLOCK_TOLERANCE_SECONDS,
    0,
    300,
    problems,
    `${at}.clockToleranceSeconds`,
  );
  const maxTokenBytes = checkInteger(
    raw.maxTokenBytes,
    DEFAULT_MAX_TOKEN_BYTES,
    256,
    16_384,
    problems,
    `${at}.maxTokenBytes`,
  );
  const typ = raw.typ ?? null;
  if (typ !== null && (typeof typ !== 'string' || !/^[A-Za-z0-9.+/-]{1,64}$/.test(typ))) {
    problems.push(`${at}.typ must be a media type such as "at+jwt" (or absent)`);
  }
  const refetch = parseRefetch(raw.jwksUri, raw.jwksRefetch, problems, at);
  for (const key of Object.keys(raw)) {
    if (!ENTRY_KEYS.includes(key)) problems.push(`${at}.${key} is not a known setting`);
  }
  if (problems.length > before || jwks === undefined) return undefined;
  return {
    issuer: issuer as string,
    audience: audience as string | string[] | null,
    algorithms: algorithms as JwtAlgorithm[],
    jwks,
    clockToleranceSeconds,
    maxTokenBytes,
    typ: typ as string | null,
    ...(refetch === undefined ? {} : { refetch }),
  };
}

/**
 * Validates `raw` as the `jwt` section: one issuer entry, or an array of 1 to 8 entries with distinct issuers.
 * Every problem goes into `problems` (prefixed with `at`, or `at[i]` for an array's entries).
 */
export function parseJwtOptions(raw: unknown, problems: string[], at = 'jwt'): JwtOptions | undefined {
  if (!Array.isArray(raw)) {
    const entry = parseIssuer(raw, problems, at);
    return entry === undefined ? undefined : { issuers: [entry] };
  }
  const items: unknown[] = raw;
  if (items.length === 0 || items.length > MAX_ISSUERS) {
    problems.push(`${at} must be one issuer entry or an array of 1 to ${MAX_ISSUERS} entries`);
    return undefined;
  }
  const before = problems.length;
  const issuers = items.map((item, i) => parseIssuer(item, problems, `${at}[${i}]`));
  const seen = new Set<string>();
  issuers.forEach((entry, i) => {
    if (entry === undefined) return;
    if (seen.has(entry.issuer)) problems.push(`${at}[${i}].issuer ${entry.issuer} is listed twice`);
    seen.add(entry.issuer);
  });
  if (problems.length > before) return undefined;
  return { issuers: issuers.filter((entry) => entry !== undefined) };
}
