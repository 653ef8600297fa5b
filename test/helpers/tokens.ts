// Test fixtures for app tokens: a generated identity-provider key and signToken({ claims, alg, kid, key }).
// Keys are generated per test run; nothing here is a real secret.
import { createSecretKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import type { JSONWebKeySet, JWTPayload } from 'jose';
import { generateKeyPair } from '../../common/keypair.ts';

export interface TestIdp {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly kid: string;
  readonly jwks: JSONWebKeySet;
}

/** A fresh ES256 (or RS256) identity-provider key and its public JWKS. */
export function createIdp(kid = 'test-key-1', alg: 'ES256' | 'RS256' = 'ES256'): TestIdp {
  const { privateKey, publicKey } = generateKeyPair(alg === 'ES256' ? 'ec-p256' : 'rsa-2048');
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid, alg, use: 'sig' };
  return { privateKey, publicKey, kid, jwks: { keys: [jwk] } };
}

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

export interface SignTokenInput {
  readonly claims: JWTPayload;
  /** `none` writes an unsecured token; `HS256` with a public key reproduces the key-confusion attack. */
  readonly alg?: string;
  readonly kid?: string | undefined;
  readonly key?: KeyObject | Uint8Array | undefined;
}

export async function signToken({ claims, alg = 'ES256', kid, key }: SignTokenInput): Promise<string> {
  const header = { alg, typ: 'JWT', ...(kid === undefined ? {} : { kid }) };
  if (alg === 'none') return `${b64url(header)}.${b64url(claims)}.`;
  if (key === undefined) throw new TypeError('signToken needs a key unless alg is none');
  let signingKey: KeyObject | Uint8Array = key;
  if (alg.startsWith('HS') && !(key instanceof Uint8Array) && key.type === 'public') {
    // Key confusion: use the public key's PEM bytes as an HMAC secret.
    signingKey = createSecretKey(Buffer.from(key.export({ type: 'spki', format: 'pem' })));
  }
  return new SignJWT(claims).setProtectedHeader(header).sign(signingKey);
}
