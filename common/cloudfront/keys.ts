// Key types for CloudFront signing, and the one place PEM text becomes KeyObjects (call it once, at module scope).
// CloudFront accepts RSA-2048 and ECDSA P-256 public keys only (CloudFront API reference, "PublicKey").
import { createPrivateKey, createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { ConfigError } from '../errors.ts';

export type HashAlgorithm = 'SHA1' | 'SHA256';

export interface Signer {
  readonly keyPairId: string;
  readonly privateKey: KeyObject;
  readonly hashAlgorithm: HashAlgorithm;
}

/** Key pair id (CloudFront public key id) → public key. */
export type TrustedKeys = ReadonlyMap<string, KeyObject>;

export type KeyKind = 'rsa-2048' | 'ec-p256';

// Ids are CloudFront public key ids (`K2JCJMDEHXQW5F`) or legacy key pair ids (`APKA…`); bounded for safety.
const keyPairIdPattern = /^[A-Za-z0-9]{1,128}$/;

/** Which CloudFront-acceptable key this is, or undefined for any other type or size. */
export function keyKind(key: KeyObject): KeyKind | undefined {
  const details = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType === 'rsa' && details?.modulusLength === 2048) return 'rsa-2048';
  if (key.asymmetricKeyType === 'ec' && details?.namedCurve === 'prime256v1') return 'ec-p256';
  return undefined;
}

export function isHashAlgorithm(value: unknown): value is HashAlgorithm {
  return value === 'SHA1' || value === 'SHA256';
}

function importKey(pem: string, kind: 'private' | 'public'): KeyObject | undefined {
  try {
    return kind === 'private' ? createPrivateKey(pem) : createPublicKey(pem);
  } catch {
    return undefined;
  }
}

function keyProblems(label: string, keyPairId: string, key: KeyObject | undefined): string[] {
  const problems: string[] = [];
  if (!keyPairIdPattern.test(keyPairId)) problems.push(`${label}: key pair id must be 1-128 letters or digits`);
  if (key === undefined) problems.push(`${label}: not a readable PEM key`);
  else if (keyKind(key) === undefined) problems.push(`${label}: key must be RSA-2048 or EC P-256`);
  return problems;
}

export interface SignerInput {
  readonly keyPairId: string;
  readonly privateKeyPem: string;
  readonly hashAlgorithm: HashAlgorithm;
}

/** Imports a signing key; throws ConfigError listing every problem (never the key text). */
export function importSigner(input: SignerInput): Signer {
  const privateKey = importKey(input.privateKeyPem, 'private');
  const problems = keyProblems('signer', input.keyPairId, privateKey);
  if (!isHashAlgorithm(input.hashAlgorithm)) problems.push('signer: hashAlgorithm must be SHA1 or SHA256');
  if (problems.length > 0 || privateKey === undefined) throw new ConfigError(problems, 'CloudFront signer');
  return { keyPairId: input.keyPairId, privateKey, hashAlgorithm: input.hashAlgorithm };
}

/** Imports public keys by key pair id; a private key is refused so that it never ends up in a bundle. */
export function importTrustedKeys(publicKeysPem: Readonly<Record<string, string>>): TrustedKeys {
  const trusted = new Map<string, KeyObject>();
  const problems: string[] = [];
  for (const [keyPairId, pem] of Object.entries(publicKeysPem)) {
    if (pem.includes('PRIVATE KEY')) {
      problems.push(`trusted key ${keyPairId}: a private key was given where a public key belongs`);
      continue;
    }
    const key = importKey(pem, 'public');
    const found = keyProblems(`trusted key ${keyPairId}`, keyPairId, key);
    problems.push(...found);
    if (found.length === 0 && key !== undefined) trusted.set(keyPairId, key);
  }
  if (trusted.size === 0 && problems.length === 0) problems.push('at least one trusted key is required');
  if (problems.length > 0) throw new ConfigError(problems, 'CloudFront trusted keys');
  return trusted;
}
