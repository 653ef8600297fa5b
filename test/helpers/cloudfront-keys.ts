// Test helper: RSA-2048 and ECDSA P-256 key pairs generated once per test file (vitest runs each file in its own
// fork, so module scope is per file). Nothing here is ever written to disk or committed.
import type { KeyObject } from 'node:crypto';
import type { HashAlgorithm, Signer } from '../../common/cloudfront/keys.ts';
import { generateKeyPair } from '../../common/keypair.ts';

export interface TestKeyPair {
  readonly keyPairId: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly privatePem: string;
  readonly publicPem: string;
}

function pair(keyPairId: string, kind: 'rsa' | 'ec'): TestKeyPair {
  const { privateKey, publicKey, privateKeyPem, publicKeyPem } = generateKeyPair(
    kind === 'rsa' ? 'rsa-2048' : 'ec-p256',
  );
  return { keyPairId, privateKey, publicKey, privatePem: privateKeyPem, publicPem: publicKeyPem };
}

let cached: { rsa: TestKeyPair; ec: TestKeyPair; otherRsa: TestKeyPair } | undefined;

/** The file's keys: `rsa` (K2RSATEST), `ec` (K2ECTEST) and an untrusted `otherRsa` (K2OTHER), made on first use. */
export function cloudFrontKeys(): { rsa: TestKeyPair; ec: TestKeyPair; otherRsa: TestKeyPair } {
  cached ??= { rsa: pair('K2RSATEST', 'rsa'), ec: pair('K2ECTEST', 'ec'), otherRsa: pair('K2OTHER', 'rsa') };
  return cached;
}

export function signerOf(keys: TestKeyPair, hashAlgorithm: HashAlgorithm = 'SHA1'): Signer {
  return { keyPairId: keys.keyPairId, privateKey: keys.privateKey, hashAlgorithm };
}

export function trustedKeysOf(...pairs: TestKeyPair[]): ReadonlyMap<string, KeyObject> {
  return new Map(pairs.map((p) => [p.keyPairId, p.publicKey]));
}
