// Each issuer's keys: the baked JWKS (the seed, always trusted) plus, with `jwksUri`, the set last fetched from it.
// A token naming an unknown `kid` triggers at most one fetch per issuer at a time (single flight) and none sooner than
// `minIntervalSeconds` after the previous one, as aws-jwt-verify's JWKS cache does. Cold start makes no network call.
import type { KeyObject } from 'node:crypto';
import { fetchJwks } from './jwks-fetch.ts';
import type { JwksFetch } from './jwks-fetch.ts';
import { KeyNotFoundError, keyLookup } from './keys.ts';
import type { KeyLookup } from './keys.ts';
import type { IssuerOptions, JwtOptions } from './options.ts';

interface Header {
  readonly kid?: string;
  readonly alg?: string;
}

/** The key for a token's header, or a rejection with KeyNotFoundError (its reason says whether we could look). */
export type IssuerKeys = (header: Header, nowMs: number) => Promise<KeyObject>;

/** By issuer. One ring serves every verifier of a deployable, so they share fetches and fetched keys. */
export type KeyRing = ReadonlyMap<string, IssuerKeys>;

const none: KeyLookup = () => undefined;

function issuerKeys(entry: IssuerOptions, fetch: JwksFetch | undefined): IssuerKeys {
  const baked = keyLookup(entry.jwks);
  const { refetch } = entry;
  if (refetch !== undefined && fetch === undefined) throw new TypeError(`jwksUri of ${entry.issuer} needs a fetch`);
  let fetched = none;
  let lastMs = Number.NEGATIVE_INFINITY;
  let reachable = true;
  let pending: Promise<void> | undefined;
  const refused = () => new KeyNotFoundError(reachable ? 'token_unknown_kid' : 'token_jwks_unavailable');
  return async (header, nowMs) => {
    const known = baked(header) ?? fetched(header);
    if (known !== undefined) return known;
    // Nothing to fetch without jwksUri, nor for a token without kid: only the one baked key could verify it.
    if (refetch === undefined || fetch === undefined || header.kid === undefined) {
      throw new KeyNotFoundError('token_unknown_kid');
    }
    if (pending === undefined) {
      if (Math.abs(nowMs - lastMs) < refetch.minIntervalSeconds * 1000) throw refused();
      lastMs = nowMs;
      // A later fetch replaces the fetched set; it never removes a baked key.
      pending = fetchJwks(fetch, refetch)
        .then(
          (jwks) => {
            fetched = keyLookup(jwks, true);
            reachable = true;
          },
          () => {
            reachable = false;
          },
        )
        .finally(() => {
          pending = undefined;
        });
    }
    await pending;
    const key = fetched(header);
    if (key === undefined) throw refused();
    return key;
  };
}

/**
 * Imports every issuer's baked keys (throws on an unusable one: fail closed at cold start). `fetch` is needed when
 * an issuer has `jwksUri` (TypeError otherwise) and is first called only for a token with an unknown `kid`.
 */
export function createKeyRing(options: JwtOptions, fetch?: JwksFetch): KeyRing {
  return new Map(options.issuers.map((entry) => [entry.issuer, issuerKeys(entry, fetch)]));
}
