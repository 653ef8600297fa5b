// The local provider's signing keys as a value: the current signer first, then retired keys that stay published
// until their grace ends (as real IdPs do, so tokens signed just before a rotation keep verifying). Pure: the clock
// and the fresh key come in as arguments. Private key material never leaves through `publicJwks`.
import type { JWK } from 'jose';

/** An ES256 (P-256) private key as a JWK. */
export interface EcPrivateJwk {
  readonly kty: 'EC';
  readonly crv: 'P-256';
  readonly x: string;
  readonly y: string;
  readonly d: string;
}

export interface StoredKey {
  readonly kid: string;
  readonly privateJwk: EcPrivateJwk;
  /** Set once the key is retired: it stays published, never signs, and is dropped at this time. */
  readonly publishedUntilMs?: number;
}

export interface KeySet {
  /** keys[0] signs; the rest are retired keys still in their grace period. */
  readonly keys: readonly [StoredKey, ...StoredKey[]];
}

export interface Rotation {
  readonly set: KeySet;
  readonly previousKid: string;
  readonly currentKid: string;
  readonly previousPublishedUntilMs: number;
}

/** `fresh` becomes the signer; the old signer stays published for `graceMs`. */
export function rotate(set: KeySet, fresh: StoredKey, nowMs: number, graceMs: number): Rotation {
  const [current, ...retired] = set.keys;
  const publishedUntilMs = nowMs + graceMs;
  return {
    set: { keys: [fresh, { kid: current.kid, privateJwk: current.privateJwk, publishedUntilMs }, ...retired] },
    previousKid: current.kid,
    currentKid: fresh.kid,
    previousPublishedUntilMs: publishedUntilMs,
  };
}

/** Drops retired keys whose grace has ended (the signer is never dropped). */
export function prune(set: KeySet, nowMs: number): KeySet {
  const [current, ...retired] = set.keys;
  return { keys: [current, ...retired.filter((key) => nowMs < (key.publishedUntilMs ?? Infinity))] };
}

/** The public keys verifiers trust (the signer's and every retired key's still in grace), nothing private. */
export function publicJwks(set: KeySet): { keys: JWK[] } {
  return {
    keys: set.keys.map(({ kid, privateJwk: { kty, crv, x, y } }) => ({
      kty,
      crv,
      x,
      y,
      kid,
      alg: 'ES256',
      use: 'sig',
    })),
  };
}

/**
 * The key set oidc-provider is configured with. It needs private keys even for keys it only publishes, and picks
 * its signer by `key_ops` (lib/helpers/keystore.js selectForSign), so retired keys are marked verify-only.
 */
export function providerJwks(set: KeySet): { keys: JWK[] } {
  return {
    keys: set.keys.map(({ kid, privateJwk, publishedUntilMs }) => ({
      ...privateJwk,
      kid,
      alg: 'ES256',
      use: 'sig',
      ...(publishedUntilMs === undefined ? {} : { key_ops: ['verify'] }),
    })),
  };
}

/** The published kids, in order: a change means the provider must be rebuilt. */
export function fingerprint(set: KeySet): string {
  return set.keys.map((key) => `${key.kid}@${String(key.publishedUntilMs ?? '')}`).join(',');
}
