// Everything the decision needs that can be prepared once per cold start: imported keys, the CloudFront verifier,
// the token verifier and the bounded signature caches. Built from a validated EdgeConfig; no per-request parsing.
import { importSigner, importTrustedKeys } from '../../common/cloudfront/keys.ts';
import type { Signer } from '../../common/cloudfront/keys.ts';
import type { SignedCookie } from '../../common/cloudfront/sign.ts';
import { createVerifier } from '../../common/cloudfront/verify.ts';
import type { CloudFrontVerifier } from '../../common/cloudfront/verify.ts';
import { createPublicKey } from 'node:crypto';
import { createTokenVerifier } from '../../common/jwt/index.ts';
import type { TokenVerifier } from '../../common/jwt/index.ts';
import { Lru } from '../../common/lru.ts';
import type { EdgeConfig } from '../config.ts';

export interface Runtime {
  readonly config: EdgeConfig;
  readonly signer: Signer;
  readonly cloudFront: CloudFrontVerifier;
  readonly verifyToken: TokenVerifier;
  /** Signed cookies per exact policy bytes: everyone entering in the same bucket shares one signature. */
  readonly cookieCache: Lru<string, readonly SignedCookie[]>;
  /** Signed URLs per (expiry, url). */
  readonly urlCache: Lru<string, string>;
}

export interface RuntimeOptions {
  readonly cacheEntries?: number;
}

export function createRuntime(config: EdgeConfig, options: RuntimeOptions = {}): Runtime {
  const cacheEntries = options.cacheEntries ?? 1024;
  const signer = importSigner(config.signer);
  // The active signer's own public key is always trusted; older keys stay trusted during rotation.
  const publicPems: Record<string, string> = {
    [signer.keyPairId]: createPublicKey(signer.privateKey).export({ type: 'spki', format: 'pem' }).toString(),
  };
  for (const key of config.trustedKeys) publicPems[key.keyPairId] = key.publicKeyPem;
  return {
    config,
    signer,
    cloudFront: createVerifier(importTrustedKeys(publicPems), { cacheEntries }),
    verifyToken: createTokenVerifier(config.jwt, cacheEntries),
    cookieCache: new Lru(cacheEntries),
    urlCache: new Lru(cacheEntries),
  };
}
