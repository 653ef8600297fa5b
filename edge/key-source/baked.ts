// The baked private-key source: the key travels in the code package (baked at build from the operator's key file)
// and is imported once at cold start. Trust boundary: the bundle itself; nothing is fetched.
import { createPublicKey } from 'node:crypto';
import { importSigner } from '../../common/cloudfront/keys.ts';
import type { BakedSignerConfig, SignerConfig } from '../config-keys.ts';
import type { KeySource } from './types.ts';

export function createKeySource(signer: SignerConfig): KeySource {
  // Bundled only for a config that parseConfig accepted with privateKeyPem; importSigner checks the key again.
  const imported = importSigner(signer as BakedSignerConfig);
  const publicKeyPem = createPublicKey(imported.privateKey).export({ type: 'spki', format: 'pem' }).toString();
  return { publicKeyPem, current: () => imported, ready: () => Promise.resolve(imported) };
}
