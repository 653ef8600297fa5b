// The `linkTokens` section, shared by the edge (which accepts link tokens in `?token=`) and the origin API (which
// must refuse them): a token that travels in a URL is worth one thing, briefly. Validated once, all problems at once.
import type { JwtOptions } from './options.ts';

export interface LinkTokenOptions {
  /** The only audience a `?token=` link is accepted for, and one no other use of a token accepts. */
  readonly audience: string;
  /** A link token's `exp - iat` may be at most this. @default 300 */
  readonly maxLifetimeSeconds: number;
}

export const DEFAULT_LINK_LIFETIME_SECONDS = 300;
const MAX_LINK_LIFETIME_SECONDS = 3600;
const KEYS = ['audience', 'maxLifetimeSeconds'];

const audiencesOf = (audience: string | readonly string[] | null): readonly string[] =>
  audience === null ? [] : typeof audience === 'string' ? [audience] : audience;

/**
 * Absent or null: links are off (a `?token=` parameter is ignored). Otherwise every issuer must check audiences (no
 * `null` opt-out) and none may accept the link audience, or a link token would also work as a session or at the API.
 */
export function parseLinkTokens(
  raw: unknown,
  jwt: JwtOptions | undefined,
  problems: string[],
  at = 'linkTokens',
): LinkTokenOptions | null {
  if (raw === undefined || raw === null) return null;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push(`${at} must be { "audience": "...", "maxLifetimeSeconds"?: n } (or absent: links off)`);
    return null;
  }
  const section = raw as Record<string, unknown>;
  const before = problems.length;
  for (const key of Object.keys(section)) if (!KEYS.includes(key)) problems.push(`${at}.${key} is not a known setting`);
  const { audience, maxLifetimeSeconds = DEFAULT_LINK_LIFETIME_SECONDS } = section;
  if (typeof audience !== 'string' || audience.trim() === '' || audience.length > 256) {
    problems.push(`${at}.audience must be a string of at most 256 characters`);
  }
  const lifetimeOk =
    typeof maxLifetimeSeconds === 'number' &&
    Number.isInteger(maxLifetimeSeconds) &&
    maxLifetimeSeconds >= 10 &&
    maxLifetimeSeconds <= MAX_LINK_LIFETIME_SECONDS;
  if (!lifetimeOk) problems.push(`${at}.maxLifetimeSeconds must be an integer from 10 to ${MAX_LINK_LIFETIME_SECONDS}`);
  (jwt?.issuers ?? []).forEach((entry, i) => {
    const where = jwt?.issuers.length === 1 ? 'jwt' : `jwt[${i}]`;
    if (entry.audience === null) problems.push(`${where}.audience must not be null when ${at} is set`);
    else if (audiencesOf(entry.audience).includes(audience as string)) {
      problems.push(`${where}.audience must not include ${at}.audience (a link token would work everywhere)`);
    }
  });
  if (problems.length > before) return null;
  return { audience: audience as string, maxLifetimeSeconds: maxLifetimeSeconds as number };
}
