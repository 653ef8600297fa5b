// Validates the CloudFront signing key and the rotation list of trusted public keys. Untrusted input: PEM text
// from the config file. Problems never quote key material. CloudFront accepts RSA-2048 or ECDSA P-256 keys
// (CloudFront API reference, "PublicKey"; reference/cloudfront.md "Signature").
import { createPrivateKey, createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { HashAlgorithm } from '../common/cloudfront/keys.ts';
import { checkKeys, isRecord, readChoice, readString } from './config-fields.ts';
import type { Json, Problems } from './config-fields.ts';

/** Where the private key comes from at run time: baked into the bundle, or read once per container. */
export type SignerConfig = BakedSignerConfig | SecretSignerConfig;

interface SignerBase {
  readonly keyPairId: string;
  /** The active key's public half (SPKI PEM), baked so that verification never waits for the private key. */
  readonly publicKeyPem: string;
  readonly hashAlgorithm: HashAlgorithm;
}

/** The private key is baked; parseConfig derives publicKeyPem from it (an operator never gives it). */
export interface BakedSignerConfig extends SignerBase {
  readonly privateKeyPem: string;
}

/** The private key lives in Secrets Manager; the operator gives its public half. */
export interface SecretSignerConfig extends SignerBase {
  readonly privateKeySecret: SecretRef;
}

export interface SecretRef {
  readonly secretId: string;
  readonly region: string;
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
  // node derives a public key from a private PEM: refuse it, or the private key would be baked where a public one goes.
  if (kind === 'public' && pem.includes('PRIVATE KEY')) return 'must be a public key (a private key was given)';
  try {
    const key = kind === 'private' ? createPrivateKey(pem) : createPublicKey(pem);
    return unsupportedKey(key);
  } catch {
    return `is not a readable ${kind} key in PEM form`;
  }
}

// A full secret ARN names its region; GetSecretValue must be sent to that region (Secrets Manager API reference,
// "GetSecretValue": SecretId may be an ARN; ARN format in "Secrets Manager resource types").
const secretArn =
  /^arn:aws(?:-cn|-us-gov)?:secretsmanager:([a-z]{2}(?:-[a-z]+)+-\d{1,2}):\d{12}:secret:[A-Za-z0-9/_+=.@-]{1,512}$/;
const regionCheck = { pattern: /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/, hint: 'an AWS region such as us-east-1' };

function parseSecretRef(raw: unknown, problems: Problems): SecretRef | undefined {
  const where = 'signer.privateKeySecret';
  if (!isRecord(raw)) {
    problems.push(`${where} must be an object { secretId, region }`);
    return undefined;
  }
  checkKeys(raw, ['secretId', 'region'], where, problems);
  const secretId = readString(raw, 'secretId', where, problems, { pattern: secretArn, hint: 'a Secrets Manager ARN' });
  const region = readString(raw, 'region', where, problems, regionCheck);
  const arnRegion = secretId === undefined ? undefined : secretArn.exec(secretId)?.[1];
  if (arnRegion !== undefined && region !== undefined && arnRegion !== region) {
    problems.push(`${where}.region must be the region named in the secret ARN (${arnRegion})`);
    return undefined;
  }
  return secretId === undefined || region === undefined ? undefined : { secretId, region };
}

/** The secret mode: the secret's ARN plus the active signer's public key (checked against the secret at cold start). */
function parseSecretSigner(
  raw: Json,
  problems: Problems,
): Omit<SecretSignerConfig, 'keyPairId' | 'hashAlgorithm'> | undefined {
  const ref = parseSecretRef(raw['privateKeySecret'], problems);
  const publicKeyPem = readString(raw, 'publicKeyPem', 'signer', problems);
  const why = publicKeyPem === undefined ? undefined : checkPem(publicKeyPem, 'public');
  if (why !== undefined) problems.push(`signer.publicKeyPem ${why}`);
  if (ref === undefined || publicKeyPem === undefined || why !== undefined) return undefined;
  return { privateKeySecret: ref, publicKeyPem };
}

function parseBakedKey(
  raw: Json,
  problems: Problems,
): Pick<BakedSignerConfig, 'privateKeyPem' | 'publicKeyPem'> | undefined {
  if (raw['publicKeyPem'] !== undefined) {
    problems.push("signer.publicKeyPem is only for privateKeySecret (the baked key's public half is derived from it)");
  }
  const privateKeyPem = readString(raw, 'privateKeyPem', 'signer', problems);
  const why = privateKeyPem === undefined ? undefined : checkPem(privateKeyPem, 'private');
  if (why !== undefined) problems.push(`signer.privateKeyPem ${why}`);
  if (privateKeyPem === undefined || why !== undefined) return undefined;
  const publicKeyPem = createPublicKey(privateKeyPem).export({ type: 'spki', format: 'pem' }).toString();
  return { privateKeyPem, publicKeyPem };
}

export function parseSigner(root: Json, problems: Problems): SignerConfig | undefined {
  const raw = root['signer'];
  if (!isRecord(raw)) {
    problems.push('signer must be an object with keyPairId and privateKeyPem (or privateKeySecret)');
    return undefined;
  }
  checkKeys(
    raw,
    ['keyPairId', 'privateKeyPem', 'privateKeySecret', 'publicKeyPem', 'hashAlgorithm'],
    'signer',
    problems,
  );
  const keyPairId = readString(raw, 'keyPairId', 'signer', problems, keyPairIdCheck);
  // SHA1 is CloudFront's own default; SHA256 needs the Hash-Algorithm parameter (reference: "Signature").
  const hashAlgorithm = readChoice(raw, 'hashAlgorithm', 'signer', problems, ['SHA1', 'SHA256'] as const, 'SHA1');
  if (raw['privateKeyPem'] !== undefined && raw['privateKeySecret'] !== undefined) {
    problems.push('signer must have exactly one of privateKeyPem and privateKeySecret');
    return undefined;
  }
  if (raw['privateKeySecret'] !== undefined) {
    const secret = parseSecretSigner(raw, problems);
    if (keyPairId === undefined || hashAlgorithm === undefined || secret === undefined) return undefined;
    return { keyPairId, hashAlgorithm, ...secret };
  }
  const baked = parseBakedKey(raw, problems);
  if (keyPairId === undefined || baked === undefined || hashAlgorithm === undefined) return undefined;
  return { keyPairId, ...baked, hashAlgorithm };
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

/**
 * Key pair id → SPKI PEM of every key verification trusts: the active signer's own (so pass-through never waits for
 * its private key), then the rotation keys. The one place the edge runtime, the local emulator and the CLI get it.
 */
export function trustedKeyPems(config: {
  readonly signer: SignerConfig;
  readonly trustedKeys: readonly TrustedKeyConfig[];
}): Record<string, string> {
  const pems: Record<string, string> = { [config.signer.keyPairId]: config.signer.publicKeyPem };
  for (const key of config.trustedKeys) pems[key.keyPairId] = key.publicKeyPem;
  return pems;
}
