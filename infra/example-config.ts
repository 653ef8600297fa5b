// Writes an example deployment configuration with freshly generated keys (git-ignored `.edgepass/`), so that
// `npm run synth` and the tests work offline without an operator's config. Never used for a real deployment.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateKeyPair } from '../common/keypair.ts';
import { makePrivateDir, writePrivateFile } from '../common/private-files.ts';

const EXAMPLE_KEY_PAIR_ID = 'KEXAMPLE0000001';

/** The example document; `publicKeyPem` is the CloudFront public key, `jwk` the identity provider's public key. */
export function exampleDocument(publicKeyPem: string, jwk: Record<string, unknown>): Record<string, unknown> {
  return {
    domainNames: ['cdn.example.test'],
    jwt: {
      issuer: 'https://id.example.test/',
      audience: 'edgepass-demo',
      algorithms: ['ES256'],
      jwks: { keys: [jwk] },
    },
    signer: { keyPairId: EXAMPLE_KEY_PAIR_ID, hashAlgorithm: 'SHA1' },
    // __Host-: only this host, over HTTPS, Path=/ and no Domain, so no sibling subdomain can plant or overwrite it.
    sessionCookieName: '__Host-session',
    linkTokens: { audience: 'edgepass-link', maxLifetimeSeconds: 300 },
    appOrigins: ['https://app.example.test'],
    protectedPaths: [
      {
        pattern: '/attractions/{attraction}/',
        ticketClaim: 'tickets',
        cookieTtlSeconds: 3600,
        signedUrlTtlSeconds: 60,
      },
      {
        pattern: '/replays/{attraction}/',
        ticketClaim: 'tickets',
        cookieTtlSeconds: 3600,
        signedUrlTtlSeconds: 60,
        enforcement: 'native',
      },
    ],
    originApi: {
      keyPrefix: 'uploads/',
      purposes: { avatar: { contentTypes: ['image/jpeg', 'image/png'], maxBytes: 5_000_000 } },
    },
    deployment: {
      stackName: 'EdgePassExample',
      region: 'eu-west-1',
      domain: {
        name: 'cdn.example.test',
        certificateArn: 'arn:aws:acm:us-east-1:111122223333:certificate/00000000-0000-4000-8000-000000000000',
      },
      privateKey: { source: 'file', path: 'cloudfront-private.pem' },
      publicKeys: [{ name: 'example1', publicKeyPem }],
      // An example: its placeholder key pair id synthesizes, and `npm run deploy` refuses it (infra/bin/deploy.ts).
      example: true,
    },
  };
}

/**
 * Generates keys and writes `config.json` + `cloudfront-private.pem` into `dir` (once, or again with `fresh`, e.g.
 * when an example written by an older version no longer validates); returns the config path.
 */
export function ensureExampleConfig(dir: string, options: { readonly fresh?: boolean } = {}): string {
  const file = join(resolve(dir), 'config.json');
  if (existsSync(file) && options.fresh !== true) return file;
  makePrivateDir(dir);
  const cloudfront = generateKeyPair('rsa-2048');
  const idp = generateKeyPair('ec-p256');
  const jwk = { ...idp.publicKey.export({ format: 'jwk' }), kid: 'example-1', alg: 'ES256', use: 'sig' };
  writePrivateFile(join(dir, 'cloudfront-private.pem'), cloudfront.privateKeyPem);
  const document = exampleDocument(cloudfront.publicKeyPem, jwk);
  writePrivateFile(file, `${JSON.stringify(document, null, 2)}\n`);
  return file;
}
