// The baked private-key source: the key travels in the code package (baked at build from the operator's key file).
// Trust boundary: the bundle itself; nothing is fetched.
import { importSigner } from '../../common/cloudfront/keys.ts';
import type { Signer } from '../../common/cloudfront/keys.ts';
import type { BakedSignerConfig, SignerConfig } from '../config-keys.ts';
import type { KeySource } from './types.ts';

export function createKeySource(signer: SignerConfig): KeySource {
  // Bundled only for a config that parseConfig accepted with privateKeyPem; it derived the public half there, so a
  // cold start that only passes requests through never parses the private key (about 2 ms saved). The first signing
  // request imports it, and importSigner checks it again: should that fail, signing answers 503, never a grant.
  const baked = signer as BakedSignerConfig;
  let imported: Signer | undefined;
  const current = (): Signer => (imported ??= importSigner(baked));
  return { current, ready: () => Promise.resolve().then(current) };
}
