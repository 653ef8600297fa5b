// Shape checks shared by the `jwt` configuration and the JWKS fetched from an issuer's `jwksUri`: they push a
// readable problem and never throw, so that a config reports every problem at once.
import type { JSONWebKeySet } from 'jose';

type Raw = Record<string, unknown>;
export const isRecord = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
export const isNonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
export const isStringList = (v: unknown): v is string[] =>
  Array.isArray(v) && v.length > 0 && v.every(isNonEmptyString);

const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'];
/** Private key material (RFC 7518 §6.2.2, §6.3.2, §6.4.1; OKP's `d`): never accepted, baked or fetched. */
export const hasPrivateMember = (jwk: Raw): boolean => PRIVATE_JWK_MEMBERS.some((m) => m in jwk);

/** A baked JWKS: public keys only, a `kid` on each key when there are several. */
export function checkJwks(raw: unknown, problems: string[], at: string): JSONWebKeySet | undefined {
  if (!isRecord(raw) || !Array.isArray(raw.keys) || raw.keys.length === 0) {
    problems.push(`${at}.jwks must be { "keys": [ ... ] } with at least one public key`);
    return undefined;
  }
  const keys: unknown[] = raw.keys;
  keys.forEach((key, i) => {
    if (!isRecord(key) || !isNonEmptyString(key.kty)) problems.push(`${at}.jwks.keys[${i}] must be a JWK with "kty"`);
    else if (hasPrivateMember(key)) problems.push(`${at}.jwks.keys[${i}] holds private key material`);
    else if (keys.length > 1 && !isNonEmptyString(key.kid)) problems.push(`${at}.jwks.keys[${i}] needs a "kid"`);
  });
  return raw as unknown as JSONWebKeySet;
}

export function checkInteger(
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
