// Local development keys and config: generated once into the git-ignored .edgepass/ folder, then reused.
// These keys are for localhost only; the folder is 0700, the key files 0600, and none is ever committed.
import { createPrivateKey, createPublicKey, randomBytes } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateKeyPair } from '../common/keypair.ts';
import { makePrivateDir, writePrivateFile } from '../common/private-files.ts';
import { localIssuer } from './oidc/issuer.ts';
import { readProviderState, signingKeyObject } from './oidc/key-file.ts';
import { DEFAULT_CDN_PORT } from './stack-env.ts';

export interface DevState {
  readonly dir: string;
  /** The raw JSON configuration (what parseConfig and the build take). */
  readonly config: Record<string, unknown>;
  /** The local provider's current signer and issuer: the last started stack's, else the first key at port 8080. */
  readonly idp: {
    readonly privateKey: KeyObject;
    readonly kid: string;
    readonly issuer: string;
    readonly audience: string;
  };
  readonly cloudfront: { readonly keyPairId: string; readonly privateKeyPem: string; readonly publicKeyPem: string };
}

/** The issuer written into a new config; the stack serves its provider at its own CDN port (local/oidc/issuer.ts). */
const DEV_ISSUER = localIssuer(DEFAULT_CDN_PORT);
const DEV_AUDIENCE = 'edgepass-demo';
/** The local stack accepts `?token=` links of this audience (linkTokens), which `edgepass token --link` mints. */
export const DEV_LINK_AUDIENCE = 'edgepass-link';
const FILES = { config: 'config.json', idpKey: 'idp-private.pem', cfKey: 'cloudfront-private.pem' };

function devConfig(kid: string, idpPublic: KeyObject, keyPairId: string, privateKeyPem: string): object {
  const jwk = { ...idpPublic.export({ format: 'jwk' }), kid, alg: 'ES256', use: 'sig' };
  return {
    domainNames: ['localhost'],
    viewerProtocol: 'http',
    jwt: { issuer: DEV_ISSUER, audience: DEV_AUDIENCE, algorithms: ['ES256'], jwks: { keys: [jwk] } },
    signer: { keyPairId, privateKeyPem, hashAlgorithm: 'SHA1' },
    sessionCookieName: 'session',
    protectedPaths: [
      {
        pattern: '/attractions/{attraction}/',
        ticketClaim: 'tickets',
        cookieTtlSeconds: 3600,
        signedUrlTtlSeconds: 60,
      },
    ],
  };
}

function generate(dir: string): void {
  const idp = generateKeyPair('ec-p256');
  const cf = generateKeyPair('rsa-2048');
  const kid = `dev-${randomBytes(4).toString('hex')}`;
  const keyPairId = `KDEV${randomBytes(5).toString('hex').toUpperCase()}`;
  const idpPem = idp.privateKeyPem;
  const cfPem = cf.privateKeyPem;
  writePrivateFile(join(dir, FILES.idpKey), idpPem);
  writePrivateFile(join(dir, FILES.cfKey), cfPem);
  const config = devConfig(kid, idp.publicKey, keyPairId, cfPem);
  writePrivateFile(join(dir, FILES.config), `${JSON.stringify(config, null, 2)}\n`);
}

interface StoredConfig {
  jwt: { issuer: string; audience: string; jwks: { keys: { kid: string }[] } };
  signer: { keyPairId: string; privateKeyPem: string };
}

/** Loads the local development state from `dir`, generating it on first run. */
export function ensureDevState(dir = '.edgepass'): DevState {
  const root = resolve(dir);
  // The folder holds private keys and, under template/, bundles with the dev signing key: the owner's only, also
  // when an older version made it readable by everyone.
  makePrivateDir(root);
  if (!existsSync(join(root, FILES.config)) || !existsSync(join(root, FILES.idpKey))) generate(root);
  const config = JSON.parse(readFileSync(join(root, FILES.config), 'utf8')) as Record<string, unknown>;
  const stored = config as unknown as StoredConfig;
  const privateKeyPem = stored.signer.privateKeyPem;
  const publicKeyPem = createPublicKey(privateKeyPem).export({ type: 'spki', format: 'pem' }).toString();
  // Once the provider has run, its state file holds the signer (keys rotate) and the issuer (the port it ran on).
  const provider = readProviderState(root);
  const signer = provider?.keys.keys[0];
  return {
    dir: root,
    config,
    idp: {
      privateKey:
        signer === undefined
          ? createPrivateKey(readFileSync(join(root, FILES.idpKey), 'utf8'))
          : signingKeyObject(signer),
      kid: signer?.kid ?? stored.jwt.jwks.keys[0]?.kid ?? '',
      issuer: provider?.issuer ?? stored.jwt.issuer,
      audience: stored.jwt.audience,
    },
    cloudfront: { keyPairId: stored.signer.keyPairId, privateKeyPem, publicKeyPem },
  };
}
