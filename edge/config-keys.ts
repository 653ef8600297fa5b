// Validates the CloudFront signing key and the rotation list of trusted public keys. Untrusted input: PEM text
// from the config file. Problems never quote key material. CloudFront accepts RSA-2048 or ECDSA P-256 keys
// (CloudFront API reference, "PublicKey"; reference/cloudfront.md "Signature").
import { createPrivateKey, createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { HashAlgorithm } from '../common/cloudfront/keys.ts';
import { checkKeys, isRecord, readChoice, readString } from './config-fields.ts';
import type { Json, Problems } from './config-fields.ts';

export interface SignerConfig {
  readonly keyPairId: string;
  readonly privateKeyPem: string;
  readonly hashAlgorithm: HashAlgorithm;
}

export interface TrustedKeyConfig {
  readonly keyPairId: string;
  readonly publicKeyPem: string;
}

// CloudFront public key ids are upper-case alphanumerics (e.g. K2JCJMDEHXQW5F; legacy key pairs APKA…).
const keyPairIdCheck = { pattern: /^[A-Z0-9]{6,64}$/, hint: 'a CloudFront public key id (A-Z, 0-9)' };

/** Why a key is unusable for CloudFront, or undefined when it is RSA-2048 or EC P-256. */
export function unsupportedKey(key: KeyObject): string | undefined {
  const details = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType === 'rsa' && details?.modulusLength === 2048) return undefined;
  if (key.asymmetricKeyType === 'ec' && details?.namedCurve === 'prime256v1') return undefined;
  return 'must be an RSA-2048 or ECDSA P-256 key';
}

function checkPem(pem: string, kind: 'private' | 'public'): string | undefined {
  try {
    const key = kind === 'private' ? createPrivateKey(pem) : createPublicKey(pem);
    return unsupportedKey(key);
  } catch {
    return `is not a readable ${kind} key in PEM form`;
  }
}

export function parseSigner(root: Json, problems: Problems): SignerConfig | undefined {
  const raw = root['signer'];
  if (!isRecord(raw)) {
    problems.push('signer must be an object with keyPairId and privateKeyPem');
    return undefined;
  }
  checkKeys(raw, ['keyPairId', 'privateKeyPem', 'hashAlgorithm'], 'signer', problems);
  const keyPairId = readString(raw, 'keyPairId', 'signer', problems, keyPairIdCheck);
  const privateKeyPem = readString(raw, 'privateKeyPem', 'signer', problems);
  // SHA1 is CloudFront's own default; SHA256 needs the Hash-Algorithm parameter (reference: "Signature").
  const hashAlgorithm = readChoice(raw, 'hashAlgorithm', 'signer', problems, ['SHA1', 'SHA256'] as const, 'SHA1');
  if (privateKeyPem !== undefined) {
    const why = checkPem(privateKeyPem, 'private');
    if (why !== undefined) problems.push(`signer.privateKeyPem ${why}`);
  }
  if (keyPairId === undefined || privateKeyPem === undefined || hashAlgorithm === undefined) return undefined;
  return { keyPairId, privateKeyPem, hashAlgorithm };
}

/** Keys still accepted besides the active signer (rotation: CloudFront Developer Guide, "Rotating key pairs"). */
export function parseTrustedKeys(root: Json, signerId: string | undefined, problems: Problems): TrustedKeyConfig[] {
  const raw = root['trustedKeys'];
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    problems.push('trustedKeys must be an array of { keyPairId, publicKeyPem }');
    return [];
  }
  const seen = new Set<string>(signerId === undefined ? [] : [signerId]);
  const keys: TrustedKeyConfig[] = [];
  raw.forEach((item: unknown, index) => {
    const where = `trustedKeys[${index}]`;
    if (!isRecord(item)) {
      problems.push(`${where} must be an object`);
      return;
    }
    checkKeys(item, ['keyPairId', 'publicKeyPem'], where, problems);
    const keyPairId = readString(item, 'keyPairId', where, problems, keyPairIdCheck);
    const publicKeyPem = readString(item, 'publicKeyPem', where, problems);
    const why = publicKeyPem === undefined ? undefined : checkPem(publicKeyPem, 'public');
    if (why !== undefined) problems.push(`${where}.publicKeyPem ${why}`);
    if (keyPairId !== undefined && seen.has(keyPairId)) {
      problems.push(`${where}.keyPairId ${keyPairId} is listed twice (the signer's own key is trusted already)`);
    } else if (keyPairId !== undefined && publicKeyPem !== undefined && why === undefined) {
      seen.add(keyPairId);
      keys.push({ keyPairId, publicKeyPem });
    }
  });
  return keys;
}
