// The `jwt` section of the configuration, shared by the edge and the origin API: validated once, all problems at once.
// One issuer entry (an object) or several (an array); each entry's keys are trusted for its own issuer only.
// Security settings have no silent defaults: issuer, audience (null is the explicit opt-out), algorithms and keys.
import type { JSONWebKeySet } from 'jose';

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
}

export interface JwtOptions {
  /** At least one; issuers are distinct. */
  readonly issuers: readonly IssuerOptions[];
}

export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 30;
export const DEFAULT_MAX_TOKEN_BYTES = 4096;
const MAX_ISSUERS = 8;
const MAX_ISSUER_CHARS = 512;
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'];

type Raw = Record<string, unknown>;
const isRecord = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.length > 0 && v.every(isNonEmptyString);

function checkJwks(raw: unknown, problems: string[], at: string): JSONWebKeySet | undefined {
  if (!isRecord(raw) || !Array.isArray(raw.keys) || raw.keys.length === 0) {
    problems.push(`${at}.jwks must be { "keys": [ ... ] } with at least one public key`);
    return undefined;
  }
  const keys: unknown[] = raw.keys;
  keys.forEach((key, i) => {
    if (!isRecord(key) || !isNonEmptyString(key.kty)) problems.push(`${at}.jwks.keys[${i}] must be a JWK with "kty"`);
    else if (PRIVATE_JWK_MEMBERS.some((m) => m in key))
      problems.push(`${at}.jwks.keys[${i}] holds private key material`);
    else if (keys.length > 1 && !isNonEmptyString(key.kid)) problems.push(`${at}.jwks.keys[${i}] needs a "kid"`);
  });
  return raw as unknown as JSONWebKeySet;
}

function checkInteger(
  raw: unknown,
  fallback: number,
  min: number,
  max: number,
  problems: string[],
  at: string,
): number {
  if (raw === undefined) return fallback;
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < min || raw > max) {
    problems.push(`${at} must be an integer from ${min} to ${max}`);
    return fallback;
  }
  return raw;
}

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

const ENTRY_KEYS = ['issuer', 'audience', 'algorithms', 'jwks', 'clockToleranceSeconds', 'maxTokenBytes', 'typ'];

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
