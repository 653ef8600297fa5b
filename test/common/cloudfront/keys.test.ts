// Key import: only RSA-2048 and EC P-256 (what CloudFront accepts), every problem reported at once, no key text leaked.
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../common/errors.ts';
import { importSigner, importTrustedKeys, keyKind } from '../../../common/cloudfront/keys.ts';
import { signPolicy } from '../../../common/cloudfront/sign.ts';
import { createVerifier } from '../../../common/cloudfront/verify.ts';
import { cloudFrontKeys } from '../../helpers/cloudfront-keys.ts';

const { rsa, ec } = cloudFrontKeys();
const pem = (key: { export(o: { type: 'pkcs8' | 'spki'; format: 'pem' }): string | Buffer }, type: 'pkcs8' | 'spki') =>
  key.export({ type, format: 'pem' }).toString();
const rsa1024 = generateKeyPairSync('rsa', { modulusLength: 1024 });
const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
const ed25519 = generateKeyPairSync('ed25519');

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('importSigner', () => {
  it.each([
    ['RSA-2048', rsa.privatePem, 'rsa-2048'],
    ['EC P-256', ec.privatePem, 'ec-p256'],
  ])('imports an %s private key', (_name, privateKeyPem, kind) => {
    const signer = importSigner({ keyPairId: 'K2ABC', privateKeyPem, hashAlgorithm: 'SHA256' });
    expect(signer.privateKey.type).toBe('private');
    expect(keyKind(signer.privateKey)).toBe(kind);
  });

  it.each([
    ['RSA-1024', pem(rsa1024.privateKey, 'pkcs8')],
    ['EC P-384', pem(p384.privateKey, 'pkcs8')],
    ['Ed25519', pem(ed25519.privateKey, 'pkcs8')],
    ['a public key', rsa.publicPem],
    ['garbage', '-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----'],
  ])('refuses %s without echoing the key', (_name, privateKeyPem) => {
    const error = configError(() => importSigner({ keyPairId: 'K2ABC', privateKeyPem, hashAlgorithm: 'SHA1' }));
    expect(error.code).toBe('config_invalid');
    expect(error.message).not.toContain('BEGIN');
    expect(error.message).not.toContain(privateKeyPem.split('\n')[1]);
  });

  it('reports every problem at once', () => {
    const error = configError(() =>
      importSigner({ keyPairId: 'bad id!', privateKeyPem: 'x', hashAlgorithm: 'MD5' as unknown as 'SHA1' }),
    );
    expect(error.problems).toHaveLength(3);
  });
});

describe('importTrustedKeys', () => {
  it('imports public keys by key pair id', () => {
    const keys = importTrustedKeys({ K2RSA: rsa.publicPem, K2EC: ec.publicPem });
    expect([...keys.keys()]).toEqual(['K2RSA', 'K2EC']);
    expect([...keys.values()].map((k) => k.type)).toEqual(['public', 'public']);
  });

  it('refuses a private key so that it never ends up in a bundle, and lists every bad entry', () => {
    const error = configError(() =>
      importTrustedKeys({ K2PRIV: rsa.privatePem, K2SMALL: pem(rsa1024.publicKey, 'spki'), K2OK: ec.publicPem }),
    );
    expect(error.problems).toEqual([
      'trusted key K2PRIV: a private key was given where a public key belongs',
      'trusted key K2SMALL: key must be RSA-2048 or EC P-256',
    ]);
    expect(error.message).not.toContain('BEGIN');
  });

  it('requires at least one key', () => {
    expect(configError(() => importTrustedKeys({})).problems).toEqual(['at least one trusted key is required']);
  });
});

describe('caller mistakes are TypeErrors', () => {
  it('createVerifier refuses a private key or an unsupported key among trusted keys', () => {
    expect(() => createVerifier(new Map([['K', rsa.privateKey]]), { cacheEntries: 1 })).toThrow(TypeError);
    expect(() => createVerifier(new Map([['K', p384.publicKey]]), { cacheEntries: 1 })).toThrow(TypeError);
  });

  it('signPolicy refuses a public key and an unsupported private key', () => {
    expect(() => signPolicy({ keyPairId: 'K', privateKey: rsa.publicKey, hashAlgorithm: 'SHA1' }, '{}')).toThrow(
      TypeError,
    );
    expect(() => signPolicy({ keyPairId: 'K', privateKey: rsa1024.privateKey, hashAlgorithm: 'SHA1' }, '{}')).toThrow(
      TypeError,
    );
  });
});
