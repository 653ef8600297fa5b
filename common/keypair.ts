// Fresh key pairs for dev state, examples, the CLI, tests and the benchmark, generated so that they can be exported
// safely. Node 20 can deadlock when a KeyObject straight from generateKeyPair(Sync) is exported to JWK: the export
// holds the key's mutex while it allocates, a garbage collection during that allocation destroys the finished
// key-generation job, and the job's destructor waits for the same mutex forever (seen as `npm test` hanging with the
// worker's main thread in KeyObjectHandle::ExportJWK → GC → ~KeyGenJob → pthread_mutex_lock). Generating PEM and
// importing it again gives KeyObjects that no key-generation job shares.
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

/** The two kinds CloudFront accepts, which are also the usual JWT kinds (RS256, ES256). */
export type KeyPairKind = 'rsa-2048' | 'ec-p256';

export interface GeneratedKeyPair {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** PKCS#8 PEM. */
  readonly privateKeyPem: string;
  /** SPKI PEM. */
  readonly publicKeyPem: string;
}

export function generateKeyPair(kind: KeyPairKind): GeneratedKeyPair {
  const publicKeyEncoding = { type: 'spki', format: 'pem' } as const;
  const privateKeyEncoding = { type: 'pkcs8', format: 'pem' } as const;
  const { privateKey: privateKeyPem, publicKey: publicKeyPem } =
    kind === 'rsa-2048'
      ? generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding, privateKeyEncoding })
      : generateKeyPairSync('ec', { namedCurve: 'prime256v1', publicKeyEncoding, privateKeyEncoding });
  return {
    privateKey: createPrivateKey(privateKeyPem),
    publicKey: createPublicKey(publicKeyPem),
    privateKeyPem,
    publicKeyPem,
  };
}
