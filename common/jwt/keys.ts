// An issuer's JWKS as node KeyObjects, imported once (at module scope of the caller, or once per refetch): no key is
// parsed per request. Trust boundary: the keys come from validated configuration or from the issuer's `jwksUri`; the
// token's header only selects among them.
import { createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { JSONWebKeySet, JWK } from 'jose';

/** Thrown to jose from the key lookup; the verifier turns it into its reason code. */
export class KeyNotFoundError extends Error {
  constructor(readonly reason: 'token_unknown_kid' | 'token_jwks_unavailable') {
    super(reason);
  }
}

interface Entry {
  readonly key: KeyObject;
  readonly alg: string | undefined;
}

export type KeyLookup = (header: { kid?: string; alg?: string }) => KeyObject | undefined;

/** The key, or undefined for a JWK node cannot import: a fetched set may hold key types we cannot use. */
function importOrSkip(jwk: JWK): KeyObject | undefined {
  try {
    return createPublicKey({ key: jwk as never, format: 'jwk' });
  } catch {
    return undefined;
  }
}

/**
 * Picks the key by `kid` (or the only key, for a token without `kid`), honouring a JWK's own `alg` and `use`, as
 * jose's local JWKS does (RFC 7517 §4.2, §4.4). Smaller and faster than createLocalJWKSet, which it replaces.
 * A baked key that does not import throws (fail closed at cold start); with `skipUnusable` (fetched keys) it is
 * left out.
 */
export function keyLookup(jwks: JSONWebKeySet, skipUnusable = false): KeyLookup {
  const byKid = new Map<string | undefined, Entry>();
  let count = 0;
  for (const jwk of jwks.keys) {
    if (jwk.use !== undefined && jwk.use !== 'sig') continue;
    const key = skipUnusable ? importOrSkip(jwk) : createPublicKey({ key: jwk as never, format: 'jwk' });
    if (key === undefined) continue;
    byKid.set(jwk.kid, { key, alg: jwk.alg });
    count++;
  }
  const only = count === 1 ? byKid.values().next().value : undefined;
  return ({ kid, alg }) => {
    const entry = kid === undefined ? only : byKid.get(kid);
    return entry === undefined || (entry.alg !== undefined && entry.alg !== alg) ? undefined : entry.key;
  };
}
