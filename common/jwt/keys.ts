// The configured JWKS as node KeyObjects, imported once (at module scope of the caller): no key is parsed per request.
// Trust boundary: the keys come from validated configuration; the token's header only selects among them.
import { createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { JSONWebKeySet, JWK } from 'jose';

/** Thrown to jose from the key lookup; the verifier maps it to `token_unknown_kid`. */
export class UnknownKeyError extends Error {
  readonly code = 'ERR_JWKS_NO_MATCHING_KEY';
}

interface Entry {
  readonly key: KeyObject;
  readonly alg: string | undefined;
}

/**
 * Picks the key by `kid` (or the only key, for a token without `kid`), honouring a JWK's own `alg` and `use`, as
 * jose's local JWKS does (RFC 7517 §4.2, §4.4). Smaller and faster than createLocalJWKSet, which it replaces.
 */
export function keyLookup(jwks: JSONWebKeySet): (header: { kid?: string; alg?: string }) => KeyObject {
  const usable = jwks.keys.filter((jwk: JWK) => jwk.use === undefined || jwk.use === 'sig');
  const byKid = new Map<string | undefined, Entry>();
  for (const jwk of usable) {
    byKid.set(jwk.kid, { key: createPublicKey({ key: jwk as never, format: 'jwk' }), alg: jwk.alg });
  }
  const only = usable.length === 1 ? byKid.values().next().value : undefined;
  return ({ kid, alg }) => {
    const entry = kid === undefined ? only : byKid.get(kid);
    if (entry === undefined || (entry.alg !== undefined && entry.alg !== alg)) throw new UnknownKeyError();
    return entry.key;
  };
}
